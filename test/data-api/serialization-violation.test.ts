import { writtenTable } from '../../local/data-api/serialization-violation';

// Error 1023 names the table the failed statement writes; this finds it in the statement's text.

test.each([
  ["UPDATE etl_runs SET status = 'x' WHERE run_id = 1", 'etl_runs'],
  ['update ONLY public.etl_runs set status = 1', 'public.etl_runs'],
  ['INSERT INTO "Quoted"."Table" (a) VALUES (1)', '"Quoted"."Table"'],
  ['DELETE FROM staging_events', 'staging_events'],
  ['DELETE staging_events WHERE 1 = 1', 'staging_events'],
  ['MERGE INTO songs USING staging_songs ON true WHEN MATCHED THEN DELETE', 'songs'],
  ["COPY staging_events FROM 's3://b/k' IAM_ROLE 'r' JSON 'auto'", 'staging_events'],
  ['TRUNCATE TABLE time', 'time'],
  ['/* a comment */ UPDATE users SET level = 1', 'users'],
])('%s writes %s', (sql, table) => {
  expect(writtenTable(sql)).toBe(table);
});

test.each(['SELECT 1', 'CREATE TABLE t (i INT)', 'INSERT VALUES', 'WITH x AS (SELECT 1) SELECT * FROM x'])(
  '%s writes no table',
  (sql) => {
    expect(writtenTable(sql)).toBeUndefined();
  },
);
