-- The run that finished last, whatever its outcome: a failed night must show here, not hide behind
-- an older success.
SELECT run_id, mode, range_from, range_to, songs_reloaded, status, finished_at
FROM etl_runs
WHERE finished_at IS NOT NULL
ORDER BY finished_at DESC, run_seq DESC
LIMIT 1;
