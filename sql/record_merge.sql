-- What this run merged, for the audit: the staged keys each merge replaced or added, and the
-- distinct play times those plays cover.
UPDATE etl_runs
SET songplays_merged = (SELECT COUNT(*) FROM (SELECT DISTINCT user_id, session_id, item_in_session
                                             FROM staging_events WHERE page = 'NextSong' AND user_id <> '') plays),
    users_merged = (SELECT COUNT(DISTINCT user_id) FROM staging_events WHERE user_id <> ''),
    songs_merged = CASE WHEN songs_reloaded THEN (SELECT COUNT(DISTINCT song_id) FROM staging_songs) ELSE 0 END,
    artists_merged = CASE WHEN songs_reloaded THEN (SELECT COUNT(DISTINCT artist_id) FROM staging_songs) ELSE 0 END,
    time_rows_merged = (SELECT COUNT(*) FROM time
                       WHERE start_time IN (SELECT ts FROM staging_events WHERE page = 'NextSong' AND user_id <> ''))
WHERE run_id = :'run_id';
