-- The ten most played songs, as a listener names them: title and artist. Catalogue songs sharing a
-- title and artist count as one. Only plays matched to the catalogue have a song.
SELECT s.title, a.name AS artist, COUNT(*) AS plays
FROM songplays sp
JOIN songs s ON s.song_id = sp.song_id
JOIN artists a ON a.artist_id = sp.artist_id
GROUP BY s.title, a.name
ORDER BY plays DESC, s.title, a.name
LIMIT 10;
