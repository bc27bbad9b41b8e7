-- Taken first, before any read, by every transaction that writes the run audit or the run lock
-- (claim, publish, record a failure or a stop). Otherwise a run claiming the lock while another
-- publishes reads what the other writes and writes what it reads: Redshift aborts one of them with
-- 1023 Serializable isolation violation. With the LOCK they take turns.
LOCK etl_run_lock, etl_runs, etl_run_checks;
