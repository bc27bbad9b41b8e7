-- users holds, for every non-empty userId ever staged, the attributes of that user's latest event
-- by (ts, item_in_session). A user's level changes over time, and days may be loaded out of order or
-- twice, so a staged event replaces the remembered one only when it is strictly newer.

-- 1. Forget remembered events that a staged event of the same user supersedes. (Plain tables in
--    USING: the form both Redshift and PostgreSQL accept.)
DELETE FROM user_latest_events
USING staging_events
WHERE staging_events.user_id <> ''
  AND user_latest_events.user_id = CAST(NULLIF(staging_events.user_id, '') AS INTEGER)
  AND (staging_events.ts > user_latest_events.ts
       OR (staging_events.ts = user_latest_events.ts
           AND staging_events.item_in_session > user_latest_events.item_in_session));

-- 2. Remember the staged latest event of every user who now has none.
INSERT INTO user_latest_events (user_id, ts, item_in_session, first_name, last_name, gender, level)
SELECT user_id, ts, item_in_session, first_name, last_name, gender, level
FROM (
    SELECT CAST(NULLIF(user_id, '') AS INTEGER) AS user_id, ts, item_in_session, first_name, last_name, gender, level,
           ROW_NUMBER() OVER (PARTITION BY CAST(NULLIF(user_id, '') AS INTEGER)
                              ORDER BY ts DESC, item_in_session DESC, level, first_name, last_name, gender) AS recency
    FROM staging_events
    WHERE user_id <> ''
) ranked
WHERE recency = 1
  AND NOT EXISTS (SELECT 1 FROM user_latest_events known WHERE known.user_id = ranked.user_id);

-- 3. Re-project the staged users from what is remembered.
DELETE FROM users
USING staging_events
WHERE staging_events.user_id <> ''
  AND users.user_id = CAST(NULLIF(staging_events.user_id, '') AS INTEGER);

INSERT INTO users (user_id, first_name, last_name, gender, level)
SELECT latest.user_id, latest.first_name, latest.last_name, latest.gender, latest.level
FROM user_latest_events latest
WHERE latest.user_id IN (SELECT CAST(NULLIF(user_id, '') AS INTEGER) FROM staging_events WHERE user_id <> '');
