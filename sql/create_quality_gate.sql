-- Fails the transaction that calls it when a data-quality check of the run found offending rows,
-- so the run's merges roll back with it: nothing that fails a gate is ever published. Redshift's
-- SQL can raise an error only from a procedure. The message starts with the error name the poll
-- handler reports, then one line per failing check.
CREATE OR REPLACE PROCEDURE etl_assert_checks(run VARCHAR(128)) AS $$
DECLARE
    failing RECORD;
    total INTEGER;
    failed INTEGER := 0;
    report VARCHAR(65535) := '';
BEGIN
    SELECT INTO total COUNT(*) FROM etl_run_checks WHERE run_id = run;
    FOR failing IN SELECT check_name, failing_rows FROM etl_run_checks
                   WHERE run_id = run AND failing_rows <> 0 ORDER BY check_name LOOP
        failed := failed + 1;
        report := report || CHR(10) || '  - ' || failing.check_name || ': '
                  || CAST(failing.failing_rows AS VARCHAR) || ' row(s)';
    END LOOP;
    IF failed > 0 THEN
        RAISE EXCEPTION 'DataQualityCheckFailed: % of % data-quality checks failed%', failed, total, report;
    END IF;
END;
$$ LANGUAGE plpgsql;
