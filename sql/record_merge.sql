-- What this run staged and merged, for the audit: the staged rows, the staged keys each merge
-- replaced or added, and the distinct play times those plays cover. Staged counts are taken here,
-- not by the parallel staging steps, which must not write a table in common.

-- The rows this run's COPYs rejected, from the tables each staging step kept them in (a retried
-- step rolled back its own). Rows of runs that failed before this step are dropped with them.
DELETE FROM etl_load_errors WHERE run_id = :'run_id';
INSERT INTO etl_load_errors (run_id, table_name, source_uri, line_number, column_name, reason)
SELECT run_id, 'staging_events', source_uri, line_number, column_name, reason
FROM staging_events_load_errors WHERE run_id = :'run_id'
UNION ALL
SELECT run_id, 'staging_songs', source_uri, line_number, column_name, reason
FROM staging_songs_load_errors WHERE run_id = :'run_id';
DELETE FROM staging_events_load_errors;
DELETE FROM staging_songs_load_errors;

-- songs_reloaded is set again: a run that found the song catalogue empty loaded it after claiming.
UPDATE etl_runs
SET songs_reloaded = CAST(:'songs_reloaded' AS BOOLEAN),
    events_staged = (SELECT COUNT(*) FROM staging_events),
    rows_rejected = (SELECT COUNT(*) FROM etl_load_errors WHERE run_id = :'run_id'),
    songs_staged = CASE WHEN CAST(:'songs_reloaded' AS BOOLEAN) THEN (SELECT COUNT(*) FROM staging_songs) END,
    -- run_plays holds each staged play once (collect_run_plays.sql).
    songplays_merged = (SELECT COUNT(*) FROM run_plays),
    -- run_users holds each staged user once (collect_run_users.sql).
    users_merged = (SELECT COUNT(*) FROM run_users),
    songs_merged = CASE WHEN CAST(:'songs_reloaded' AS BOOLEAN) THEN (SELECT COUNT(DISTINCT song_id) FROM staging_songs) ELSE 0 END,
    artists_merged = CASE WHEN CAST(:'songs_reloaded' AS BOOLEAN) THEN (SELECT COUNT(DISTINCT artist_id) FROM staging_songs) ELSE 0 END,
    -- The time rows the run's plays point at: one per distinct play time (run_times holds each once,
    -- collect_run_plays.sql), as the gates that follow require (none missing, none twice); a run
    -- that fails them rolls this count back with its merges.
    time_rows_merged = (SELECT COUNT(*) FROM run_times)
WHERE run_id = :'run_id';
