-- This step runs in parallel with stage_songs, so it touches staging_events only: two concurrent
-- transactions writing one table (the audit row, say) fail on Redshift with 1023 Serializable
-- isolation violation. The audit counts what was staged later, in record_merge.sql.
-- Its batch is the DELETE, one COPY per log prefix and the INSERT of their rejected rows: the plan
-- keeps that within the Data API's 40 statements (MAX_LOG_PREFIXES in contract/run-plan.ts).

-- DELETE, not TRUNCATE: TRUNCATE commits, and this batch must stay one transaction so a failed
-- COPY leaves the previous staging rows in place.
DELETE FROM staging_events;

-- One COPY per log prefix of the run (everything, or the days of an incremental run).
-- The JSONPaths file maps the log's camelCase keys by position; JSON 'auto' would match them
-- case-sensitively against lower-case columns and load NULLs.
-- TIMEFORMAT 'epochmillisecs' turns the millisecond epoch `ts` into a TIMESTAMP without losing the
-- milliseconds that integer division would drop.
-- MAXERROR is the run's maxErrors: up to that many bad rows are skipped, and recorded below.
COPY staging_events
FROM :'log_data_uri'
IAM_ROLE :'iam_role'
FORMAT AS JSON :'log_jsonpath_uri'
TIMEFORMAT 'epochmillisecs'
REGION :'data_region'
MAXERROR :max_errors
COMPUPDATE OFF STATUPDATE OFF;

-- The rows these COPYs rejected, read while SYS_LOAD_ERROR_DETAIL is fresh. A batch is one
-- session and one transaction, so this transaction's COPYs are those of this session since the
-- transaction began (SYSDATE is its start). They go to a table only this step writes, because
-- stage_songs runs at the same time and two concurrent writers of one table fail with 1023;
-- record_merge.sql, which runs alone, moves them into etl_load_errors.
INSERT INTO staging_events_load_errors (run_id, source_uri, line_number, column_name, reason)
SELECT :'run_id', TRIM(file_name), line_number, TRIM(column_name), TRIM(error_message)
FROM sys_load_error_detail
WHERE session_id = PG_BACKEND_PID() AND start_time >= SYSDATE;
