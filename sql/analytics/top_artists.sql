-- The ten most played artists, by name; only plays matched to the catalogue have an artist.
SELECT a.name AS artist, COUNT(*) AS plays
FROM songplays sp
JOIN artists a ON a.artist_id = sp.artist_id
GROUP BY a.name
ORDER BY plays DESC, a.name
LIMIT 10;
