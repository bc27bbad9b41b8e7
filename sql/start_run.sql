-- A retried execution keeps its name, so its audit row is replaced rather than duplicated.
DELETE FROM etl_run_checks WHERE run_id = :'run_id';
DELETE FROM etl_runs WHERE run_id = :'run_id';

INSERT INTO etl_runs (run_id, mode, range_from, range_to, songs_reloaded, status, started_at)
VALUES (:'run_id', :'mode', CAST(NULLIF(:'range_from', '') AS DATE), CAST(NULLIF(:'range_to', '') AS DATE),
        CAST(:'songs_reloaded' AS BOOLEAN), 'RUNNING', GETDATE());
