-- This step runs in parallel with stage_songs, so it touches staging_events only: two concurrent
-- transactions writing one table (the audit row, say) fail on Redshift with 1023 Serializable
-- isolation violation. The audit counts what was staged later, in record_merge.sql.
-- Its batch is the DELETE plus one COPY per log prefix: the plan keeps that within the Data API's
-- 40 statements (MAX_LOG_PREFIXES in contract/run-plan.ts).

-- DELETE, not TRUNCATE: TRUNCATE commits, and this batch must stay one transaction so a failed
-- COPY leaves the previous staging rows in place.
DELETE FROM staging_events;

-- One COPY per log prefix of the run (everything, or the days of an incremental run).
-- The JSONPaths file maps the log's camelCase keys by position; JSON 'auto' would match them
-- case-sensitively against lower-case columns and load NULLs.
-- TIMEFORMAT 'epochmillisecs' turns the millisecond epoch `ts` into a TIMESTAMP without losing the
-- milliseconds that integer division would drop.
COPY staging_events
FROM :'log_data_uri'
IAM_ROLE :'iam_role'
FORMAT AS JSON :'log_jsonpath_uri'
TIMEFORMAT 'epochmillisecs'
REGION :'data_region'
COMPUPDATE OFF STATUPDATE OFF;
