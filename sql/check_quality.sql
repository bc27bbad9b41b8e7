-- Data-quality gates, the last statements of the publish step's transaction: each check counts
-- offending rows after the merges, and any non-zero count raises (etl_assert_checks), rolling the
-- merges back, so a run that fails a gate publishes nothing. Keys are informational in Redshift,
-- so uniqueness is checked here.
-- The gates read what this run wrote, not all of history, so a nightly run's cost follows its day:
-- every merge replaces the keys it staged and nothing else, so a row outside them is as the run
-- that wrote it left it, and that run's gates passed. What a run can break beyond its own rows it
-- can break only by deleting a dimension row it does not put back, which would orphan older plays:
-- the "staged … missing" checks catch that, at the cost of the staged keys, not of the history.
-- Songs and artists change only in a run that re-staged the catalogue. The staged keys come from
-- the run's temporary tables, built once per publish from the staged events: run_users
-- (collect_run_users.sql), run_plays and run_times (collect_run_plays.sql).
INSERT INTO etl_run_checks (run_id, check_name, failing_rows)
-- The rows this run wrote are found by their songplay_id, computed once in run_plays
-- (collect_run_plays.sql): one column to join on, which the planner sizes far better than the
-- three-column key. A row of another key that took one of these ids is found with them, and counted
-- as a duplicate; is_run_play tells the run's own play of each id from such a row.
WITH run_songplays AS (
    SELECT sp.songplay_id, sp.start_time, sp.user_id, sp.song_id, sp.artist_id,
           sp.session_id, sp.item_in_session,
           CASE WHEN sp.user_id = staged.user_id AND sp.session_id = staged.session_id
                     AND sp.item_in_session = staged.item_in_session THEN 1 ELSE 0 END AS is_run_play
    FROM songplays sp
    JOIN run_plays staged ON sp.songplay_id = staged.songplay_id
),
-- One row per id of the run's plays that songplays holds: how many rows carry it, and whether one
-- of them is the run's play itself, or one is not. Three gates read it, over one GROUP BY, which
-- hashes, where COUNT(DISTINCT) would sort every id of a rebuild.
run_ids AS (
    SELECT songplay_id, COUNT(*) AS rows_with_id, MAX(is_run_play) AS run_play_landed,
           MIN(is_run_play) AS only_run_plays
    FROM run_songplays
    GROUP BY songplay_id
),
-- The keys a duplicate play key can be among, found without grouping every row by its key: the
-- keys of the rows whose id is carried by more than one row, or by a row that is not the run's
-- play. Any other row is alone with its id, and is the run's play of that id, whose id is the MD5
-- of its key (collect_run_plays.sql): two such rows of one key would have one id.
suspect_keys AS (
    SELECT DISTINCT sp.user_id, sp.session_id, sp.item_in_session
    FROM run_songplays sp
    JOIN run_ids ON run_ids.songplay_id = sp.songplay_id
    WHERE run_ids.rows_with_id > 1 OR run_ids.only_run_plays = 0
),
reloaded_songs AS (
    SELECT song_id, artist_id FROM staging_songs WHERE CAST(:'songs_reloaded' AS BOOLEAN)
)
SELECT :'run_id', check_name, failing_rows
FROM (
    SELECT 'songplays: duplicate play key' AS check_name, COUNT(*) AS failing_rows
    FROM (SELECT sp.user_id, sp.session_id, sp.item_in_session FROM run_songplays sp
          JOIN suspect_keys suspect ON suspect.user_id = sp.user_id AND suspect.session_id = sp.session_id
                                   AND suspect.item_in_session = sp.item_in_session
          GROUP BY sp.user_id, sp.session_id, sp.item_in_session HAVING COUNT(*) > 1) dup
    UNION ALL
    SELECT 'songplays: duplicate songplay_id', COALESCE(SUM(rows_with_id - 1), 0)
    FROM run_ids
    UNION ALL
    SELECT 'users: duplicate or NULL user_id', COUNT(*) - COUNT(DISTINCT user_id)
    FROM users WHERE user_id IN (SELECT user_id FROM run_users)
    UNION ALL
    SELECT 'users: staged user_id missing from users', COUNT(*)
    FROM run_users staged WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = staged.user_id)
    UNION ALL
    SELECT 'songs: duplicate or NULL song_id', COUNT(*) - COUNT(DISTINCT song_id)
    FROM songs WHERE song_id IN (SELECT song_id FROM reloaded_songs)
    UNION ALL
    SELECT 'songs: staged song_id missing from songs', COUNT(*)
    FROM reloaded_songs staged WHERE NOT EXISTS (SELECT 1 FROM songs s WHERE s.song_id = staged.song_id)
    UNION ALL
    SELECT 'artists: duplicate or NULL artist_id', COUNT(*) - COUNT(DISTINCT artist_id)
    FROM artists WHERE artist_id IN (SELECT artist_id FROM reloaded_songs)
    UNION ALL
    SELECT 'artists: staged artist_id missing from artists', COUNT(*)
    FROM reloaded_songs staged WHERE NOT EXISTS (SELECT 1 FROM artists a WHERE a.artist_id = staged.artist_id)
    UNION ALL
    -- Rows beyond the first of each time (a NULL one is never among the run's), over a GROUP BY.
    SELECT 'time: duplicate or NULL start_time', COALESCE(SUM(rows_with_time - 1), 0)
    FROM (SELECT COUNT(*) AS rows_with_time FROM time
          WHERE start_time IN (SELECT start_time FROM run_times) GROUP BY start_time) times
    UNION ALL
    SELECT 'songplays: user_id not in users', COUNT(*)
    FROM run_songplays sp WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = sp.user_id)
    UNION ALL
    SELECT 'songplays: start_time not in time', COUNT(*)
    FROM run_songplays sp WHERE NOT EXISTS (SELECT 1 FROM time t WHERE t.start_time = sp.start_time)
    UNION ALL
    SELECT 'songplays: song_id not in songs', COUNT(*)
    FROM run_songplays sp
    WHERE sp.song_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM songs s WHERE s.song_id = sp.song_id)
    UNION ALL
    SELECT 'songplays: artist_id not in artists', COUNT(*)
    FROM run_songplays sp
    WHERE sp.artist_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM artists a WHERE a.artist_id = sp.artist_id)
    UNION ALL
    SELECT 'staged NextSong events without a user id', COUNT(*)
    FROM staging_events WHERE page = 'NextSong' AND (user_id IS NULL OR user_id = '')
    UNION ALL
    -- Each of the run's plays must have landed under its own id and key: counted from run_ids, so
    -- that no second join of the plays against songplays is needed.
    SELECT 'staged NextSong events missing from songplays',
           (SELECT COUNT(*) FROM run_plays) - (SELECT COALESCE(SUM(run_play_landed), 0) FROM run_ids)
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
