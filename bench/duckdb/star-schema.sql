-- DuckDB's reference time for issue 10: the same staging and star-schema build as the pipeline's
-- full run, on the same files, in DuckDB's dialect. Not warehouse SQL (that is sql/): a yardstick
-- only, so it builds each table in one pass instead of merging. The bench sets data_dir.
CREATE TABLE staging_events AS
SELECT artist, auth, firstName AS first_name, gender, itemInSession AS item_in_session,
       lastName AS last_name, length, level, location, method, page, registration,
       sessionId AS session_id, song, status, make_timestamp(ts * 1000) AS ts,
       userAgent AS user_agent, userId AS user_id
FROM read_json(getvariable('data_dir') || '/log_data/**/*.json', format = 'newline_delimited',
               columns = {artist: 'VARCHAR', auth: 'VARCHAR', firstName: 'VARCHAR', gender: 'VARCHAR',
                          itemInSession: 'INTEGER', lastName: 'VARCHAR', length: 'DOUBLE',
                          level: 'VARCHAR', location: 'VARCHAR', method: 'VARCHAR', page: 'VARCHAR',
                          registration: 'DOUBLE', sessionId: 'INTEGER', song: 'VARCHAR',
                          status: 'INTEGER', ts: 'BIGINT', userAgent: 'VARCHAR', userId: 'VARCHAR'});

CREATE TABLE staging_songs AS
SELECT *
FROM read_json(getvariable('data_dir') || '/song_data/**/*.json', format = 'auto',
               columns = {artist_id: 'VARCHAR', artist_latitude: 'DOUBLE', artist_location: 'VARCHAR',
                          artist_longitude: 'DOUBLE', artist_name: 'VARCHAR', duration: 'DOUBLE',
                          num_songs: 'INTEGER', song_id: 'VARCHAR', title: 'VARCHAR', year: 'INTEGER'});

CREATE TABLE users AS
SELECT CAST(user_id AS INTEGER) AS user_id, first_name, last_name, gender, level
FROM staging_events
WHERE user_id <> ''
QUALIFY ROW_NUMBER() OVER (PARTITION BY CAST(user_id AS INTEGER)
                           ORDER BY ts DESC, item_in_session DESC, level, first_name, last_name, gender) = 1;

CREATE TABLE songs AS
SELECT song_id, title, artist_id, year, duration
FROM staging_songs
QUALIFY ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title, artist_id, year, duration) = 1;

CREATE TABLE artists AS
SELECT artist_id, artist_name AS name, artist_location AS location, artist_latitude AS latitude,
       artist_longitude AS longitude
FROM staging_songs
QUALIFY ROW_NUMBER() OVER (
    PARTITION BY artist_id
    ORDER BY artist_latitude IS NULL, artist_location IS NULL OR artist_location = '', song_id) = 1;

CREATE TABLE songplays AS
SELECT md5(CAST(CAST(e.user_id AS INTEGER) AS VARCHAR) || '-' || CAST(e.session_id AS VARCHAR) || '-'
           || CAST(e.item_in_session AS VARCHAR)) AS songplay_id,
       e.ts AS start_time, CAST(e.user_id AS INTEGER) AS user_id, e.level, s.song_id, s.artist_id,
       e.session_id, e.item_in_session, e.location, e.user_agent
FROM staging_events e
LEFT JOIN staging_songs s ON rtrim(s.title) = rtrim(e.song) AND rtrim(s.artist_name) = rtrim(e.artist)
WHERE e.page = 'NextSong' AND e.user_id <> ''
QUALIFY ROW_NUMBER() OVER (PARTITION BY CAST(e.user_id AS INTEGER), e.session_id, e.item_in_session
                           ORDER BY abs(s.duration - e.length) ASC NULLS LAST, s.song_id ASC NULLS LAST, e.ts) = 1;

CREATE TABLE time AS
SELECT start_time, hour(start_time) AS hour, day(start_time) AS day, week(start_time) AS week,
       month(start_time) AS month, year(start_time) AS year, dayofweek(start_time) AS weekday
FROM (SELECT DISTINCT start_time FROM songplays);
