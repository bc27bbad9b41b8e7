-- The plays this run staged, each once, with its songplay_id and matched song, and the distinct
-- times they were played at: computed here once and read by every later statement of the publish
-- step (the songplays and time merges, the audit counts, the gates), where each of them used to
-- match, de-duplicate and hash the staged events, or group the plays by time, again.
-- TEMP: the publish step is one BatchExecuteStatement, so one session and one transaction, and the
-- table lives exactly as long as the step. A retried step is a new session and builds it afresh; a
-- step that fails rolls its creation back with everything else.
-- LIKE songplays, which it is merged into: its columns, and its distribution and sort keys (LIKE
-- carries both on Redshift), so the merge joins node to node.
CREATE TEMP TABLE run_plays (LIKE songplays);

-- One row per staged NextSong event. A play names its song by title and artist name only. Several
-- songs may match: keep the one whose duration is closest to the played length, ties to the
-- smallest song_id; none: NULL ids, play kept. ROW_NUMBER over the event key keeps one row per play
-- however many songs match, and however many times the event was staged.
-- songplay_id is the MD5 of the key, so a reload gives the same id.
-- Redshift ignores a VARCHAR's trailing blanks when comparing, and the logs hold titles ending in a
-- space: RTRIM says so explicitly, so any engine matches as Redshift does.
-- NULLIF before each CAST: Redshift does not promise to filter `user_id <> ''` before it casts.
INSERT INTO run_plays (songplay_id, start_time, user_id, level, song_id, artist_id,
                       session_id, item_in_session, location, user_agent)
SELECT MD5(CAST(user_id AS VARCHAR) || '-' || CAST(session_id AS VARCHAR) || '-' || CAST(item_in_session AS VARCHAR)),
       ts, user_id, level, song_id, artist_id,
       session_id, item_in_session, location, user_agent
FROM (
    SELECT CAST(NULLIF(e.user_id, '') AS INTEGER) AS user_id, e.session_id, e.item_in_session, e.ts, e.level, e.location, e.user_agent,
           s.song_id, s.artist_id,
           ROW_NUMBER() OVER (
               PARTITION BY CAST(NULLIF(e.user_id, '') AS INTEGER), e.session_id, e.item_in_session
               ORDER BY ABS(s.duration - e.length) ASC NULLS LAST, s.song_id ASC NULLS LAST, e.ts
           ) AS pick
    FROM staging_events e
    LEFT JOIN staging_songs s ON RTRIM(s.title) = RTRIM(e.song) AND RTRIM(s.artist_name) = RTRIM(e.artist)
    WHERE e.page = 'NextSong'
      AND e.user_id <> ''
) matched
WHERE pick = 1;

-- One row per distinct time of the run's plays: the time merge adds these, the audit counts them
-- and the time gate looks them up. Distributed and sorted like time, whose key it holds.
CREATE TEMP TABLE run_times (start_time TIMESTAMP NOT NULL) DISTKEY (start_time) SORTKEY (start_time);

INSERT INTO run_times (start_time)
SELECT start_time FROM run_plays GROUP BY start_time;
