-- Touches staging_songs only, and DELETE, not TRUNCATE, to keep this batch one transaction: see
-- copy_staging_events.sql, which runs in parallel.
DELETE FROM staging_songs;

-- Song objects use lower-case keys equal to the column names, so JSON 'auto' maps them by name.
COPY staging_songs
FROM :'song_data_uri'
IAM_ROLE :'iam_role'
FORMAT AS JSON 'auto'
REGION :'data_region'
MAXERROR :max_errors
COMPUPDATE OFF STATUPDATE OFF;

-- Its rejected rows, to a table only this step writes: see copy_staging_events.sql.
INSERT INTO staging_songs_load_errors (run_id, source_uri, line_number, column_name, reason)
SELECT :'run_id', TRIM(file_name), line_number, TRIM(column_name), TRIM(error_message)
FROM sys_load_error_detail
WHERE session_id = PG_BACKEND_PID() AND start_time >= SYSDATE;
