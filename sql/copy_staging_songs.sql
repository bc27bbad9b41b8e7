-- Touches staging_songs only, and DELETE, not TRUNCATE, to keep this batch one transaction: see
-- copy_staging_events.sql, which runs in parallel.
DELETE FROM staging_songs;

-- Song objects use lower-case keys equal to the column names, so JSON 'auto' maps them by name.
COPY staging_songs
FROM :'song_data_uri'
IAM_ROLE :'iam_role'
FORMAT AS JSON 'auto'
REGION :'data_region'
COMPUPDATE OFF STATUPDATE OFF;
