-- One row per song_id. Staged songs replace their earlier versions; should a song_id be staged
-- twice, the tie-breaks make the kept row the same on every run.
DELETE FROM songs
USING staging_songs
WHERE songs.song_id = staging_songs.song_id;

INSERT INTO songs (song_id, title, artist_id, year, duration)
SELECT song_id, title, artist_id, year, duration
FROM (
    SELECT song_id, title, artist_id, year, duration,
           ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title, artist_id, year, duration) AS pick
    FROM staging_songs
) ranked
WHERE pick = 1;
