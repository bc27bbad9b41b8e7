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
    -- Rows the COPYs skipped, at most the run's maxErrors each; listed in etl_load_errors.
    rows_rejected      BIGINT         DEFAULT 0 NOT NULL,
    songplays_merged   BIGINT,
    users_merged       BIGINT,
    songs_merged       BIGINT,
    artists_merged     BIGINT,
    time_rows_merged    BIGINT,
    checks_failed      INTEGER,
    error              VARCHAR(4096),
    -- Days of the range without a log object that the run skipped (missingDays=skip), comma-separated:
    -- at most 366 dates of 10 characters.
    missing_days       VARCHAR(4096),
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

-- Every row a COPY of a run rejected, and why. Usually empty, at worst maxErrors rows per COPY;
-- never joined, so spread evenly, and sorted by run_id, since it is read one run at a time.
CREATE TABLE IF NOT EXISTS etl_load_errors (
    run_id       VARCHAR(128)  NOT NULL,
    table_name   VARCHAR(128)  NOT NULL,
    source_uri   VARCHAR(256)  NOT NULL,
    line_number  BIGINT        NOT NULL,
    column_name  VARCHAR(127)  NOT NULL,
    reason       VARCHAR(512)  NOT NULL
) DISTSTYLE EVEN SORTKEY (run_id);

-- Where each staging step keeps its COPYs' rejected rows until record_merge.sql moves them into
-- etl_load_errors: the staging steps run in parallel, and two concurrent transactions writing one
-- table fail on Redshift with 1023 Serializable isolation violation, so each has a table of its own.
CREATE TABLE IF NOT EXISTS staging_events_load_errors (
    run_id       VARCHAR(128)  NOT NULL,
    source_uri   VARCHAR(256)  NOT NULL,
    line_number  BIGINT        NOT NULL,
    column_name  VARCHAR(127)  NOT NULL,
    reason       VARCHAR(512)  NOT NULL
) DISTSTYLE EVEN;

CREATE TABLE IF NOT EXISTS staging_songs_load_errors (LIKE staging_events_load_errors);

-- An audit table that an earlier version created lacks the columns added since, and CREATE TABLE IF
-- NOT EXISTS leaves it as it is. Redshift has no ADD COLUMN IF NOT EXISTS, so this procedure adds
-- a column only when the catalog does not list it (inside the step's transaction, which ALTER TABLE
-- ADD COLUMN on a local table allows).
CREATE OR REPLACE PROCEDURE etl_add_missing_column(target_table VARCHAR(128), new_column VARCHAR(128),
                                                   column_type VARCHAR(256)) AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_schema = CURRENT_SCHEMA() AND table_name = target_table
                     AND column_name = new_column) THEN
        EXECUTE 'ALTER TABLE ' || QUOTE_IDENT(target_table) || ' ADD COLUMN ' || QUOTE_IDENT(new_column)
                || ' ' || column_type;
    END IF;
END;
$$ LANGUAGE plpgsql;

CALL etl_add_missing_column('etl_runs', 'missing_days', 'VARCHAR(4096)');
