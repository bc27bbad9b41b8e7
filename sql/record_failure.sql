-- A failed step rolled its own transaction back; this marks the run as failed with the cause.
UPDATE etl_runs
SET status = 'FAILED', finished_at = GETDATE(), error = :'error'
WHERE run_id = :'run_id';

-- The run ends here: the lock it held (if any) is free for the next run.
DELETE FROM etl_run_lock WHERE run_id = :'run_id';
