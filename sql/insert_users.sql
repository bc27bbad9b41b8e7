-- users holds, for every non-empty userId ever staged, the attributes of that user's latest event
-- by (ts, item_in_session). A user's level changes over time, and days may be loaded out of order or
-- twice, so a staged event replaces the remembered one only when it is strictly newer. The run's
-- latest event of each user is in run_users (collect_run_users.sql): a remembered event is
-- superseded by some staged event exactly when it is by that one.

-- 1. Forget remembered events that a staged event of the same user supersedes. (Plain tables in
--    USING: the form both Redshift and PostgreSQL accept.)
DELETE FROM user_latest_events
USING run_users
WHERE user_latest_events.user_id = run_users.user_id
  AND (run_users.ts > user_latest_events.ts
       OR (run_users.ts = user_latest_events.ts
           AND run_users.item_in_session > user_latest_events.item_in_session));

-- 2. Remember the staged latest event of every user who now has none.
INSERT INTO user_latest_events (user_id, ts, item_in_session, first_name, last_name, gender, level)
SELECT user_id, ts, item_in_session, first_name, last_name, gender, level
FROM run_users staged
WHERE NOT EXISTS (SELECT 1 FROM user_latest_events known WHERE known.user_id = staged.user_id);

-- 3. Re-project the staged users from what is remembered.
DELETE FROM users
USING run_users
WHERE users.user_id = run_users.user_id;

INSERT INTO users (user_id, first_name, last_name, gender, level)
SELECT latest.user_id, latest.first_name, latest.last_name, latest.gender, latest.level
FROM user_latest_events latest
WHERE latest.user_id IN (SELECT user_id FROM run_users);
