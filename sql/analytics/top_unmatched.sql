-- The (title, artist) pairs played most often without a match in the catalogue. songplays keeps no
-- title or artist, so they are read from the events the last run staged: after an incremental run,
-- its days only.
SELECT e.song AS title, e.artist, COUNT(DISTINCT sp.songplay_id) AS plays
FROM staging_events e
JOIN songplays sp
  ON sp.user_id = CAST(NULLIF(e.user_id, '') AS INTEGER)
 AND sp.session_id = e.session_id
 AND sp.item_in_session = e.item_in_session
WHERE e.page = 'NextSong'
  AND e.user_id <> ''
  AND sp.song_id IS NULL
GROUP BY e.song, e.artist
ORDER BY plays DESC, e.song, e.artist
LIMIT 10;
