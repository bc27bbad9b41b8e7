-- Redshift's functions, aggregates and system views that PostgreSQL lacks or types differently,
-- in a schema of their own that each transaction puts on its search_path ahead of pg_catalog.
-- Idempotent: installed once per engine, again on a database that already has it.
CREATE SCHEMA IF NOT EXISTS redshift_local;

-- GETDATE is the statement's start in UTC, to the second; SYSDATE (a rewrite) keeps microseconds.
CREATE OR REPLACE FUNCTION redshift_local.getdate() RETURNS timestamp
LANGUAGE sql STABLE AS $$ SELECT date_trunc('second', statement_timestamp() AT TIME ZONE 'UTC') $$;

CREATE OR REPLACE FUNCTION redshift_local.len(text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT length($1) $$;

CREATE OR REPLACE FUNCTION redshift_local.convert_timezone(source text, target text, ts timestamp) RETURNS timestamp
LANGUAGE sql STABLE STRICT AS $$ SELECT (ts AT TIME ZONE source) AT TIME ZONE target $$;

CREATE OR REPLACE FUNCTION redshift_local.convert_timezone(target text, ts timestamp) RETURNS timestamp
LANGUAGE sql STABLE STRICT AS $$ SELECT (ts AT TIME ZONE 'UTC') AT TIME ZONE target $$;

-- Redshift's date part names and abbreviations, to PostgreSQL's unit names.
CREATE OR REPLACE FUNCTION redshift_local.date_part_unit(part text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE
    WHEN p IN ('year', 'years', 'y', 'yr', 'yrs') THEN 'year'
    WHEN p IN ('quarter', 'quarters', 'qtr', 'qtrs') THEN 'quarter'
    WHEN p IN ('month', 'months', 'mon', 'mons') THEN 'month'
    WHEN p IN ('week', 'weeks', 'w') THEN 'week'
    WHEN p IN ('day', 'days', 'd') THEN 'day'
    WHEN p IN ('hour', 'hours', 'h', 'hr', 'hrs') THEN 'hour'
    WHEN p IN ('minute', 'minutes', 'm', 'min', 'mins') THEN 'minute'
    WHEN p IN ('second', 'seconds', 's', 'sec', 'secs') THEN 'second'
    WHEN p IN ('millisecond', 'milliseconds', 'ms', 'msec', 'msecs', 'msecond', 'mseconds', 'millisec', 'millisecs', 'millisecon') THEN 'millisecond'
    WHEN p IN ('microsecond', 'microseconds', 'microsec', 'microsecs', 'usecond', 'useconds', 'us', 'usec', 'usecs') THEN 'microsecond'
  END
  FROM lower(trim(part)) AS p
$$;

CREATE OR REPLACE FUNCTION redshift_local.checked_unit(part text, caller text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE unit text := redshift_local.date_part_unit(part);
BEGIN
  IF unit IS NULL THEN
    RAISE EXCEPTION 'Invalid datepart for %(): %', caller, part USING ERRCODE = '22023';
  END IF;
  RETURN unit;
END $$;

-- DATEDIFF counts the boundaries of the part crossed between a and b, not elapsed whole units:
-- DATEDIFF(year, '2020-12-31', '2021-01-01') is 1.
CREATE OR REPLACE FUNCTION redshift_local.datediff(part text, a timestamp, b timestamp) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE unit
    WHEN 'year' THEN extract(year FROM b) - extract(year FROM a)
    WHEN 'quarter' THEN (extract(year FROM b) * 4 + extract(quarter FROM b)) - (extract(year FROM a) * 4 + extract(quarter FROM a))
    WHEN 'month' THEN (extract(year FROM b) * 12 + extract(month FROM b)) - (extract(year FROM a) * 12 + extract(month FROM a))
    WHEN 'week' THEN (date_trunc('week', b)::date - date_trunc('week', a)::date) / 7
    WHEN 'day' THEN b::date - a::date
    WHEN 'hour' THEN extract(epoch FROM date_trunc('hour', b) - date_trunc('hour', a)) / 3600
    WHEN 'minute' THEN extract(epoch FROM date_trunc('minute', b) - date_trunc('minute', a)) / 60
    WHEN 'second' THEN extract(epoch FROM date_trunc('second', b) - date_trunc('second', a))
    WHEN 'millisecond' THEN extract(epoch FROM date_trunc('milliseconds', b) - date_trunc('milliseconds', a)) * 1000
    WHEN 'microsecond' THEN extract(epoch FROM b - a) * 1000000
  END::bigint
  FROM redshift_local.checked_unit(part, 'datediff') AS unit
$$;

CREATE OR REPLACE FUNCTION redshift_local.dateadd(part text, n bigint, ts timestamp) RETURNS timestamp
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT ts + n * CASE unit WHEN 'quarter' THEN interval '3 months' ELSE ('1 ' || unit)::interval END
  FROM redshift_local.checked_unit(part, 'dateadd') AS unit
$$;

-- SUM of a BIGINT is a BIGINT on Redshift (numeric in PostgreSQL); of SMALLINT and INTEGER both
-- already give BIGINT.
CREATE OR REPLACE AGGREGATE redshift_local.sum(bigint) (SFUNC = int8pl, STYPE = bigint);

-- AVG of an integer type is a BIGINT on Redshift, the quotient truncated.
CREATE OR REPLACE FUNCTION redshift_local.avg_step(state numeric[], value smallint) RETURNS numeric[]
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT ARRAY[state[1] + value, state[2] + 1] $$;
CREATE OR REPLACE FUNCTION redshift_local.avg_step(state numeric[], value integer) RETURNS numeric[]
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT ARRAY[state[1] + value, state[2] + 1] $$;
CREATE OR REPLACE FUNCTION redshift_local.avg_step(state numeric[], value bigint) RETURNS numeric[]
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT ARRAY[state[1] + value, state[2] + 1] $$;

CREATE OR REPLACE FUNCTION redshift_local.avg_truncated(state numeric[]) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT trunc(state[1] / NULLIF(state[2], 0))::bigint $$;

CREATE OR REPLACE AGGREGATE redshift_local.avg(smallint) (
  SFUNC = redshift_local.avg_step, STYPE = numeric[], FINALFUNC = redshift_local.avg_truncated, INITCOND = '{0,0}');
CREATE OR REPLACE AGGREGATE redshift_local.avg(integer) (
  SFUNC = redshift_local.avg_step, STYPE = numeric[], FINALFUNC = redshift_local.avg_truncated, INITCOND = '{0,0}');
CREATE OR REPLACE AGGREGATE redshift_local.avg(bigint) (
  SFUNC = redshift_local.avg_step, STYPE = numeric[], FINALFUNC = redshift_local.avg_truncated, INITCOND = '{0,0}');

-- MEDIAN: DECIMAL for integer and decimal input, DOUBLE PRECISION for floating point, as on Redshift.
CREATE OR REPLACE FUNCTION redshift_local.median_step(state numeric[], value smallint) RETURNS numeric[]
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT state || value::numeric $$;
CREATE OR REPLACE FUNCTION redshift_local.median_step(state numeric[], value integer) RETURNS numeric[]
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT state || value::numeric $$;
CREATE OR REPLACE FUNCTION redshift_local.median_step(state numeric[], value bigint) RETURNS numeric[]
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT state || value::numeric $$;
CREATE OR REPLACE FUNCTION redshift_local.median_step(state numeric[], value numeric) RETURNS numeric[]
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT state || value::numeric $$;

CREATE OR REPLACE FUNCTION redshift_local.median_final(state numeric[]) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT avg(v) FROM (SELECT v FROM unnest(state) AS v ORDER BY v
                      OFFSET (cardinality(state) - 1) / 2 LIMIT 2 - cardinality(state) % 2) AS middle
$$;

CREATE OR REPLACE FUNCTION redshift_local.median_step(state double precision[], value double precision) RETURNS double precision[]
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT state || value $$;

CREATE OR REPLACE FUNCTION redshift_local.median_final(state double precision[]) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT avg(v) FROM (SELECT v FROM unnest(state) AS v ORDER BY v
                      OFFSET (cardinality(state) - 1) / 2 LIMIT 2 - cardinality(state) % 2) AS middle
$$;

CREATE OR REPLACE AGGREGATE redshift_local.median(smallint) (
  SFUNC = redshift_local.median_step, STYPE = numeric[], FINALFUNC = redshift_local.median_final, INITCOND = '{}');
CREATE OR REPLACE AGGREGATE redshift_local.median(integer) (
  SFUNC = redshift_local.median_step, STYPE = numeric[], FINALFUNC = redshift_local.median_final, INITCOND = '{}');
CREATE OR REPLACE AGGREGATE redshift_local.median(bigint) (
  SFUNC = redshift_local.median_step, STYPE = numeric[], FINALFUNC = redshift_local.median_final, INITCOND = '{}');
CREATE OR REPLACE AGGREGATE redshift_local.median(numeric) (
  SFUNC = redshift_local.median_step, STYPE = numeric[], FINALFUNC = redshift_local.median_final, INITCOND = '{}');
CREATE OR REPLACE AGGREGATE redshift_local.median(double precision) (
  SFUNC = redshift_local.median_step, STYPE = double precision[], FINALFUNC = redshift_local.median_final, INITCOND = '{}');

-- LISTAGG: VARCHAR, NULLs skipped, and refused past Redshift's 65535-byte limit rather than
-- growing without bound. The rewrite casts the value to VARCHAR and moves WITHIN GROUP's ORDER BY
-- into the call, so the result column is named listagg, as on Redshift.
CREATE OR REPLACE FUNCTION redshift_local.listagg_step(state text, value text, delimiter text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE joined text := CASE WHEN value IS NULL THEN state
                            WHEN state IS NULL THEN value
                            ELSE state || coalesce(delimiter, '') || value END;
BEGIN
  IF octet_length(joined) > 65535 THEN
    RAISE EXCEPTION 'Result size exceeds LISTAGG limit' USING DETAIL = 'The LISTAGG result is limited to 65535 bytes.';
  END IF;
  RETURN joined;
END $$;

CREATE OR REPLACE FUNCTION redshift_local.listagg_final(state text) RETURNS varchar
LANGUAGE sql IMMUTABLE AS $$ SELECT state::varchar $$;

CREATE OR REPLACE AGGREGATE redshift_local.listagg(text, text) (
  SFUNC = redshift_local.listagg_step, STYPE = text, FINALFUNC = redshift_local.listagg_final);

-- COPY's rejected rows. Redshift's system tables are not transactional: the local COPY writes a
-- rejection to a temporary table inside its transaction (so a later statement of the batch sees it,
-- and no serializable conflict arises from it) and to load_errors once the transaction ends,
-- committed or rolled back, so a failed load still leaves its rows (local/warehouse/load-errors.ts).
-- Query ids come from a sequence for the same reason.
CREATE SEQUENCE IF NOT EXISTS redshift_local.query_ids;

CREATE TABLE IF NOT EXISTS redshift_local.load_errors (
  query_id bigint NOT NULL,
  transaction_id bigint NOT NULL,
  session_id integer NOT NULL,
  table_id integer,
  start_time timestamp NOT NULL,
  file_name text NOT NULL,
  line_number bigint NOT NULL,
  column_name text NOT NULL,
  column_type text NOT NULL,
  column_length text NOT NULL,
  error_code integer NOT NULL,
  error_message text NOT NULL,
  raw_line text NOT NULL,
  raw_field_value text NOT NULL
);

-- The kept rejections, and those of the COPYs of this session's open transaction.
CREATE OR REPLACE FUNCTION redshift_local.all_load_errors() RETURNS SETOF redshift_local.load_errors
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY SELECT * FROM redshift_local.load_errors;
  IF to_regclass('pg_temp.redshift_local_pending_load_errors') IS NOT NULL THEN
    RETURN QUERY EXECUTE 'SELECT * FROM pg_temp.redshift_local_pending_load_errors';
  END IF;
END $$;

-- The columns and types of Redshift's SYS_LOAD_ERROR_DETAIL and STL_LOAD_ERRORS; character(n)
-- columns are blank-padded there too, hence the trim() in Redshift's own examples.
CREATE OR REPLACE VIEW redshift_local.sys_load_error_detail AS
SELECT 1::integer AS user_id, query_id, transaction_id, session_id,
       current_database()::character(64) AS database_name, table_id, start_time,
       file_name::character(256) AS file_name, line_number, column_name::character(127) AS column_name,
       column_type::character(10) AS column_type, column_length::character(10) AS column_length,
       0::integer AS position, error_code, error_message::character(512) AS error_message
  FROM redshift_local.all_load_errors();

CREATE OR REPLACE VIEW redshift_local.stl_load_errors AS
SELECT 1::integer AS userid, 0::integer AS slice, table_id AS tbl, start_time AS starttime,
       session_id AS session, query_id::integer AS query, file_name::character(256) AS filename,
       line_number, column_name::character(127) AS colname, column_type::character(10) AS type,
       column_length::character(10) AS col_length, 0::integer AS position,
       raw_line::character(1024) AS raw_line, raw_field_value::character(1024) AS raw_field_value,
       error_code AS err_code, error_message::character(100) AS err_reason,
       0::integer AS is_partial, 0::bigint AS start_offset, 0::bigint AS copy_job_id
  FROM redshift_local.all_load_errors();

-- The last COPY of the session; a Data API call is a session, and the local transaction is one.
CREATE OR REPLACE FUNCTION redshift_local.pg_last_copy_id() RETURNS integer
LANGUAGE sql STABLE AS $$ SELECT coalesce(nullif(current_setting('redshift_local.last_copy_id', true), '')::integer, -1) $$;

CREATE OR REPLACE FUNCTION redshift_local.pg_last_copy_count() RETURNS bigint
LANGUAGE sql STABLE AS $$ SELECT coalesce(nullif(current_setting('redshift_local.last_copy_count', true), '')::bigint, 0) $$;
