-- Plays per UTC day over the loaded range; a day without plays has no row.
SELECT CAST(start_time AS DATE) AS day, COUNT(*) AS plays
FROM songplays
GROUP BY CAST(start_time AS DATE)
ORDER BY day;
