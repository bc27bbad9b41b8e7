-- DELETE, not TRUNCATE, to keep this batch one transaction (see copy_staging_events.sql).
DELETE FROM staging_songs;

-- Song objects use lower-case keys equal to the column names, so JSON 'auto' maps them by name.
COPY staging_songs
FROM :'song_data_uri'
IAM_ROLE :'iam_role'
FORMAT AS JSON 'auto'
REGION :'data_region'
COMPUPDATE OFF STATUPDATE OFF;

UPDATE etl_runs SET songs_staged = (SELECT COUNT(*) FROM staging_songs) WHERE run_id = :'run_id';
