-- Data-quality gates, the last statements of the publish step's transaction: each check counts
-- offending rows after the merges, and any non-zero count raises (etl_assert_checks), rolling the
-- merges back, so a run that fails a gate publishes nothing. Keys are informational in Redshift,
-- so uniqueness is checked here.
INSERT INTO etl_run_checks (run_id, check_name, failing_rows)
SELECT :'run_id', check_name, failing_rows
FROM (
    SELECT 'songplays: duplicate play key' AS check_name, COUNT(*) AS failing_rows
    FROM (SELECT user_id, session_id, item_in_session FROM songplays
          GROUP BY user_id, session_id, item_in_session HAVING COUNT(*) > 1) dup
    UNION ALL
    SELECT 'songplays: duplicate songplay_id', COUNT(*) - COUNT(DISTINCT songplay_id) FROM songplays
    UNION ALL
    SELECT 'users: duplicate or NULL user_id', COUNT(*) - COUNT(DISTINCT user_id) FROM users
    UNION ALL
    SELECT 'songs: duplicate or NULL song_id', COUNT(*) - COUNT(DISTINCT song_id) FROM songs
    UNION ALL
    SELECT 'artists: duplicate or NULL artist_id', COUNT(*) - COUNT(DISTINCT artist_id) FROM artists
    UNION ALL
    SELECT 'time: duplicate or NULL start_time', COUNT(*) - COUNT(DISTINCT start_time) FROM time
    UNION ALL
    SELECT 'songplays: user_id not in users', COUNT(*)
    FROM songplays sp WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = sp.user_id)
    UNION ALL
    SELECT 'songplays: start_time not in time', COUNT(*)
    FROM songplays sp WHERE NOT EXISTS (SELECT 1 FROM time t WHERE t.start_time = sp.start_time)
    UNION ALL
    SELECT 'songplays: song_id not in songs', COUNT(*)
    FROM songplays sp WHERE sp.song_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM songs s WHERE s.song_id = sp.song_id)
    UNION ALL
    SELECT 'songplays: artist_id not in artists', COUNT(*)
    FROM songplays sp
    WHERE sp.artist_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM artists a WHERE a.artist_id = sp.artist_id)
    UNION ALL
    SELECT 'staged NextSong events without a user id', COUNT(*)
    FROM staging_events WHERE page = 'NextSong' AND (user_id IS NULL OR user_id = '')
    UNION ALL
    SELECT 'staged NextSong events missing from songplays', COUNT(*)
    FROM (SELECT DISTINCT user_id, session_id, item_in_session FROM staging_events
          WHERE page = 'NextSong' AND user_id <> '') staged
    WHERE NOT EXISTS (SELECT 1 FROM songplays sp
                      WHERE sp.user_id = CAST(NULLIF(staged.user_id, '') AS INTEGER)
                        AND sp.session_id = staged.session_id
                        AND sp.item_in_session = staged.item_in_session)
) checks;

UPDATE etl_runs
SET checks_failed = (SELECT COUNT(*) FROM etl_run_checks WHERE run_id = :'run_id' AND failing_rows <> 0),
    status = CASE WHEN (SELECT COUNT(*) FROM etl_run_checks WHERE run_id = :'run_id' AND failing_rows <> 0) = 0
                  THEN 'SUCCEEDED' ELSE 'FAILED' END,
    finished_at = GETDATE()
WHERE run_id = :'run_id';

CALL etl_assert_checks(:'run_id');

-- Published: the next run may claim the lock.
DELETE FROM etl_run_lock WHERE run_id = :'run_id';

SELECT check_name, failing_rows FROM etl_run_checks WHERE run_id = :'run_id' ORDER BY check_name;
