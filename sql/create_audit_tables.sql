-- The run audit: one row per execution, and the data-quality results of each.
-- Small and append-mostly, so a copy on every node (DISTSTYLE ALL) costs nothing.
CREATE TABLE IF NOT EXISTS etl_runs (
    run_seq            BIGINT IDENTITY(1, 1),
    run_id             VARCHAR(128)   NOT NULL,
    mode               VARCHAR(16)    NOT NULL,
    range_from         DATE,
    range_to           DATE,
    songs_reloaded     BOOLEAN        NOT NULL,
    status             VARCHAR(16)    NOT NULL,
    started_at         TIMESTAMP      NOT NULL,
    finished_at        TIMESTAMP,
    events_staged      BIGINT,
    songs_staged       BIGINT,
    -- COPY runs with MAXERROR 0: a load either takes every row or fails naming the first bad one.
    rows_rejected      BIGINT         DEFAULT 0 NOT NULL,
    songplays_merged   BIGINT,
    users_merged       BIGINT,
    songs_merged       BIGINT,
    artists_merged     BIGINT,
    time_rows_merged    BIGINT,
    checks_failed      INTEGER,
    error              VARCHAR(4096),
    PRIMARY KEY (run_id)
) DISTSTYLE ALL SORTKEY (started_at);

CREATE TABLE IF NOT EXISTS etl_run_checks (
    run_id       VARCHAR(128)  NOT NULL,
    check_name   VARCHAR(256)  NOT NULL,
    failing_rows BIGINT        NOT NULL
) DISTSTYLE ALL;

-- The run lock: at most one row, the run that may stage and publish. Runs share the staging
-- tables, so a run that finds the lock taken waits for it (claim_run.sql).
CREATE TABLE IF NOT EXISTS etl_run_lock (
    run_id      VARCHAR(128)  NOT NULL,
    acquired_at TIMESTAMP     NOT NULL
) DISTSTYLE ALL;
