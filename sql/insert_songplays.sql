-- The run's plays (collect_run_plays.sql) replace their own keys: delete, then insert, so a retry, a
-- reloaded day or a full rebuild lands each play exactly once.
DELETE FROM songplays
USING run_plays
WHERE songplays.user_id = run_plays.user_id
  AND songplays.session_id = run_plays.session_id
  AND songplays.item_in_session = run_plays.item_in_session;

INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id,
                       session_id, item_in_session, location, user_agent)
SELECT songplay_id, start_time, user_id, level, song_id, artist_id,
       session_id, item_in_session, location, user_agent
FROM run_plays;
