-- What this run staged and merged, for the audit: the staged rows, the staged keys each merge
-- replaced or added, and the distinct play times those plays cover. Staged counts are taken here,
-- not by the parallel staging steps, which must not write a table in common.
UPDATE etl_runs
SET events_staged = (SELECT COUNT(*) FROM staging_events),
    songs_staged = CASE WHEN songs_reloaded THEN (SELECT COUNT(*) FROM staging_songs) END,
    songplays_merged = (SELECT COUNT(*) FROM (SELECT DISTINCT user_id, session_id, item_in_session
                                             FROM staging_events WHERE page = 'NextSong' AND user_id <> '') plays),
    users_merged = (SELECT COUNT(DISTINCT user_id) FROM staging_events WHERE user_id <> ''),
    songs_merged = CASE WHEN songs_reloaded THEN (SELECT COUNT(DISTINCT song_id) FROM staging_songs) ELSE 0 END,
    artists_merged = CASE WHEN songs_reloaded THEN (SELECT COUNT(DISTINCT artist_id) FROM staging_songs) ELSE 0 END,
    time_rows_merged = (SELECT COUNT(*) FROM time
                       WHERE start_time IN (SELECT ts FROM staging_events WHERE page = 'NextSong' AND user_id <> ''))
WHERE run_id = :'run_id';
