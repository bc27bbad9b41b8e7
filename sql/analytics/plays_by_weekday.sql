-- Plays per weekday, free against paid. A play carries the level the user had when playing, so a
-- user who upgraded counts on both sides. weekday 0 is Sunday, as the time dimension stores it.
SELECT t.weekday,
       DECODE(t.weekday, 0, 'Sun', 1, 'Mon', 2, 'Tue', 3, 'Wed', 4, 'Thu', 5, 'Fri', 6, 'Sat') AS day_name,
       sp.level,
       COUNT(*) AS plays
FROM songplays sp
JOIN time t ON t.start_time = sp.start_time
GROUP BY t.weekday, sp.level
ORDER BY t.weekday, sp.level;
