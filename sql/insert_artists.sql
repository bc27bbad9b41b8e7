-- One row per artist_id. Songs of one artist may disagree about the artist's location; keep the
-- record with coordinates first, then one with a non-empty location, then the smallest song_id.
DELETE FROM artists
USING staging_songs
WHERE artists.artist_id = staging_songs.artist_id;

INSERT INTO artists (artist_id, name, location, latitude, longitude)
SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude
FROM (
    SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude,
           ROW_NUMBER() OVER (
               PARTITION BY artist_id
               ORDER BY CASE WHEN artist_latitude IS NULL THEN 1 ELSE 0 END,
                        CASE WHEN artist_location IS NULL OR artist_location = '' THEN 1 ELSE 0 END,
                        song_id, artist_name, artist_location, artist_latitude, artist_longitude
           ) AS pick
    FROM staging_songs
) ranked
WHERE pick = 1;
