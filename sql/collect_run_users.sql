-- Each user this run staged, with that user's latest staged event by (ts, item_in_session): computed
-- here once, from one pass over the staged events, and read by the users merge, the audit count and
-- the gates, where each of them used to scan and group the staged events again.
-- TEMP: the publish step is one BatchExecuteStatement, so one session and one transaction, and the
-- table lives exactly as long as the step; a retried step builds it afresh.
-- LIKE user_latest_events, whose rows it holds: its columns, and on Redshift its DISTSTYLE ALL and
-- sort key (LIKE carries both), small and joined to users, so a copy on each node.
CREATE TEMP TABLE run_users (LIKE user_latest_events);

-- Ties on (ts, item_in_session) go to the smallest attributes, so the pick never depends on the
-- order rows were read in. NULLIF before the CAST: Redshift does not promise to filter
-- `user_id <> ''` before it casts.
INSERT INTO run_users (user_id, ts, item_in_session, first_name, last_name, gender, level)
SELECT user_id, ts, item_in_session, first_name, last_name, gender, level
FROM (
    SELECT CAST(NULLIF(user_id, '') AS INTEGER) AS user_id, ts, item_in_session, first_name, last_name, gender, level,
           ROW_NUMBER() OVER (PARTITION BY CAST(NULLIF(user_id, '') AS INTEGER)
                              ORDER BY ts DESC, item_in_session DESC, level, first_name, last_name, gender) AS recency
    FROM staging_events
    WHERE user_id <> ''
) ranked
WHERE recency = 1;
