-- Plays per hour of the day, in UTC: the hour the time dimension stores.
SELECT t.hour, COUNT(*) AS plays
FROM songplays sp
JOIN time t ON t.start_time = sp.start_time
GROUP BY t.hour
ORDER BY t.hour;
