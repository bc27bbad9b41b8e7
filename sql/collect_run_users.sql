-- Each user this run staged, with that user's latest staged event by (ts, item_in_session): computed
-- here once, from one pass over the staged events, and read by the users merge, the audit count and
-- the gates, where each of them used to scan and group the staged events again.
-- TEMP: the publish step is one BatchExecuteStatement, so one session and one transaction, and the
-- table lives exactly as long as the step; a retried step builds it afresh.
-- LIKE user_latest_events, whose rows it holds: its columns, and on Redshift its DISTSTYLE ALL and
-- sort key (LIKE carries both), small and joined to users, so a copy on each node.
CREATE TEMP TABLE run_users (LIKE user_latest_events);

-- A user's latest event is among the events at that user's latest ts: one hashed pass finds that
-- ts, and only those events (one per user but for ties) are ranked, instead of sorting every staged
-- event by user. Ties on (ts, item_in_session) go to the smallest attributes, so the pick never
-- depends on the order rows were read in. ts is NOT NULL in staging_events, so MAX(ts) is the ts
-- that `ts DESC` ranks first. NULLIF before the CAST: Redshift does not promise to filter
-- `user_id <> ''` before it casts.
INSERT INTO run_users (user_id, ts, item_in_session, first_name, last_name, gender, level)
SELECT user_id, ts, item_in_session, first_name, last_name, gender, level
FROM (
    SELECT latest.user_id, e.ts, e.item_in_session, e.first_name, e.last_name, e.gender, e.level,
           ROW_NUMBER() OVER (PARTITION BY latest.user_id
                              ORDER BY e.item_in_session DESC, e.level, e.first_name, e.last_name, e.gender) AS recency
    FROM staging_events e
    JOIN (SELECT CAST(NULLIF(user_id, '') AS INTEGER) AS user_id, MAX(ts) AS ts
          FROM staging_events
          WHERE user_id <> ''
          GROUP BY CAST(NULLIF(user_id, '') AS INTEGER)) latest
      ON CAST(NULLIF(e.user_id, '') AS INTEGER) = latest.user_id AND e.ts = latest.ts
    WHERE e.user_id <> ''
) ranked
WHERE recency = 1;
