-- Rows in every table the pipeline fills: the original project's validation query.
SELECT 'staging_events' AS table_name, COUNT(*) AS row_count FROM staging_events
UNION ALL SELECT 'staging_songs', COUNT(*) FROM staging_songs
UNION ALL SELECT 'songplays', COUNT(*) FROM songplays
UNION ALL SELECT 'users', COUNT(*) FROM users
UNION ALL SELECT 'songs', COUNT(*) FROM songs
UNION ALL SELECT 'artists', COUNT(*) FROM artists
UNION ALL SELECT 'time', COUNT(*) FROM time
ORDER BY table_name;
