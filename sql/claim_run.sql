-- Claims the run lock, or records that this run waits for it: runs share the staging tables, so
-- only the holder may stage and publish. Runs after lock_run_audit.sql, so two runs claiming at
-- once take turns.

-- A retried execution keeps its name, so its earlier audit rows are replaced; a run claiming again
-- after waiting keeps its row.
DELETE FROM etl_run_checks WHERE run_id = :'run_id';
DELETE FROM etl_runs WHERE run_id = :'run_id' AND status <> 'WAITING';

INSERT INTO etl_runs (run_id, mode, range_from, range_to, songs_reloaded, missing_days, status, started_at)
SELECT :'run_id', :'mode', CAST(NULLIF(:'range_from', '') AS DATE), CAST(NULLIF(:'range_to', '') AS DATE),
       CAST(:'songs_reloaded' AS BOOLEAN), NULLIF(:'missing_days', ''), 'WAITING', GETDATE()
WHERE NOT EXISTS (SELECT 1 FROM etl_runs WHERE run_id = :'run_id');

-- A lock older than the longest execution (the state machine's 12-hour timeout) was left by a run
-- that ended without releasing it: it is free.
DELETE FROM etl_run_lock WHERE acquired_at < DATEADD(hour, -12, GETDATE());

INSERT INTO etl_run_lock (run_id, acquired_at)
SELECT :'run_id', GETDATE()
WHERE NOT EXISTS (SELECT 1 FROM etl_run_lock);

UPDATE etl_runs SET status = 'RUNNING', started_at = GETDATE()
WHERE run_id = :'run_id' AND status = 'WAITING'
  AND EXISTS (SELECT 1 FROM etl_run_lock WHERE run_id = :'run_id');

-- Read by the poll handler: whether this run holds the lock, and otherwise who does, since when;
-- and whether the song catalogue is empty, which a run that holds the lock then loads, songs or
-- not: without it, every play of an incremental run would be left unmatched.
SELECT run_id = :'run_id' AS claimed, run_id AS holder, acquired_at,
       NOT EXISTS (SELECT 1 FROM songs) AS catalogue_empty
FROM etl_run_lock;
