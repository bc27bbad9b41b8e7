-- The ten locations with the most plays, as the app reported the user's location at the time.
SELECT location, COUNT(*) AS plays
FROM songplays
WHERE location IS NOT NULL
GROUP BY location
ORDER BY plays DESC, location
LIMIT 10;
