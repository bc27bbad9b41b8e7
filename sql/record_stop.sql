-- An execution that ended without recording its own end (stopped, timed out, or failed before
-- record_failure could run) still reads RUNNING, or WAITING for the run lock. Only such a row
-- changes, so a repeated cleanup, or one after record_failure, leaves the audit as it is.
UPDATE etl_runs
SET status = :'status', finished_at = GETDATE(), error = :'error'
WHERE run_id = :'run_id' AND status IN ('RUNNING', 'WAITING');

-- The run is over: the lock it held (if any) is free for the next run, not only after 12 hours.
DELETE FROM etl_run_lock WHERE run_id = :'run_id';
