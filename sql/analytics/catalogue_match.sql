-- How many plays found their song in the catalogue. A play matches only a catalogue song with the
-- same title and artist name, and the catalogue is a subset of what users play.
SELECT COUNT(*) AS plays,
       COUNT(song_id) AS matched_plays,
       COUNT(*) - COUNT(song_id) AS unmatched_plays,
       (SELECT COUNT(*) FROM songs) AS catalogue_songs
FROM songplays;
