import { BatchExecuteStatementCommand, GetStatementResultCommand } from '@aws-sdk/client-redshift-data';
import { dataApiHarnessPerTest, TARGET } from './support';

// COPY's rejected rows in SYS_LOAD_ERROR_DETAIL and STL_LOAD_ERRORS, with Redshift's columns, and
// kept whatever becomes of the transaction, as Redshift's system tables are not transactional.

const h = dataApiHarnessPerTest();

const lines = (...objects: unknown[]) => objects.map((o) => JSON.stringify(o)).join('\n');
const CREATE = 'CREATE TABLE plays (user_id INTEGER NOT NULL, song VARCHAR(4))';

async function batch(sqls: string[]): Promise<{ id: string; status?: string; error?: string }> {
  const { Id } = await h.client.send(new BatchExecuteStatementCommand({ ...TARGET, Sqls: sqls }));
  const description = await h.settled(Id!);
  return { id: Id!, status: description.Status, error: description.Error };
}

test('COPY with MAXERROR 2 loads the good rows; the same batch reads its rejections by pg_last_copy_id()', async () => {
  h.bucket.write(
    'plays/a.json',
    lines(
      { user_id: 1, song: 'ok' },
      { user_id: 'abc', song: 'ok' },
      { user_id: 3, song: 'too long' },
      { user_id: 4 },
    ),
  );
  const { id, status } = await batch([
    CREATE,
    "COPY plays FROM 's3://test-bucket/plays/' IAM_ROLE default JSON 'auto' MAXERROR 2",
    `SELECT trim(file_name) AS file, line_number, trim(column_name) AS col, trim(column_type) AS type,
            trim(column_length) AS length, error_code, trim(error_message) AS reason
       FROM sys_load_error_detail WHERE query_id = pg_last_copy_id() ORDER BY line_number`,
    'SELECT pg_last_copy_count() AS loaded, pg_last_copy_id() > 0 AS has_id',
  ]);
  expect(status).toBe('FINISHED');
  await expect(h.records(`${id}:3`)).resolves.toEqual([
    [
      { stringValue: 's3://test-bucket/plays/a.json' },
      { longValue: 2 },
      { stringValue: 'user_id' },
      { stringValue: 'int4' },
      { stringValue: '' },
      { longValue: 1207 },
      { stringValue: 'expected a number for integer, got "abc"' },
    ],
    [
      { stringValue: 's3://test-bucket/plays/a.json' },
      { longValue: 3 },
      { stringValue: 'song' },
      { stringValue: 'varchar' },
      { stringValue: '4' },
      { longValue: 1204 },
      { stringValue: "8 bytes exceed the column's VARCHAR(4)" },
    ],
  ]);
  await expect(h.records(`${id}:4`)).resolves.toEqual([[{ longValue: 2 }, { booleanValue: true }]]);
});

test('a COPY that fails still leaves its rejections in STL_LOAD_ERRORS after the rollback', async () => {
  h.bucket.write('bad/a.json', lines({ user_id: 1 }, { song: 'x' }));
  await h.run(CREATE);
  const failed = await h.run("COPY plays FROM 's3://test-bucket/bad/' IAM_ROLE default JSON 'auto'");
  expect(failed.Status).toBe('FAILED');
  await expect(h.query('SELECT COUNT(*) FROM plays')).resolves.toEqual([[{ longValue: 0 }]]);
  await expect(
    h.query(`SELECT trim(filename) AS f, line_number, trim(colname) AS c, trim(type) AS t, err_code,
                    trim(err_reason) AS r, trim(raw_line) AS l, trim(raw_field_value) AS v, query > 0 AS q, tbl > 0 AS tb
               FROM stl_load_errors WHERE filename = 's3://test-bucket/bad/a.json'`),
  ).resolves.toEqual([
    [
      { stringValue: 's3://test-bucket/bad/a.json' },
      { longValue: 2 },
      { stringValue: 'user_id' },
      { stringValue: 'int4' },
      { longValue: 1213 },
      { stringValue: 'missing data for not-null field' },
      { stringValue: '{"song":"x"}' },
      { stringValue: '' },
      { booleanValue: true },
      { booleanValue: true },
    ],
  ]);
});

test('rejections of a COPY whose batch fails later are kept too, under distinct query ids', async () => {
  h.bucket.write('later/a.json', lines({ user_id: 'x' }, { user_id: 2 }));
  await h.run(CREATE);
  const copy = "COPY plays FROM 's3://test-bucket/later/' IAM_ROLE default JSON 'auto' MAXERROR 1";
  const { status } = await batch([copy, copy, 'SELECT 1 / 0']);
  expect(status).toBe('FAILED');
  await expect(
    h.query(
      "SELECT COUNT(DISTINCT query_id) AS loads, COUNT(*) AS rejections FROM sys_load_error_detail WHERE file_name = 's3://test-bucket/later/a.json'",
    ),
  ).resolves.toEqual([[{ longValue: 2 }, { longValue: 2 }]]);
  await expect(h.query('SELECT pg_last_copy_id() AS id, pg_last_copy_count() AS n')).resolves.toEqual([
    [{ longValue: -1 }, { longValue: 0 }],
  ]);
});

test.each([
  [
    'sys_load_error_detail',
    'user_id query_id transaction_id session_id database_name table_id start_time file_name line_number ' +
      'column_name column_type column_length position error_code error_message',
  ],
  [
    'stl_load_errors',
    'userid slice tbl starttime session query filename line_number colname type col_length position ' +
      'raw_line raw_field_value err_code err_reason is_partial start_offset copy_job_id',
  ],
])('%s has the columns Redshift documents, in order', async (view, columns) => {
  const { Id } = await h.run(`SELECT * FROM ${view} WHERE false`);
  const result = await h.client.send(new GetStatementResultCommand({ Id }));
  expect(result.ColumnMetadata?.map((column) => column.name).join(' ')).toBe(columns);
});

test('two batches that COPY and read their rejections side by side both finish: the views are not transactional', async () => {
  h.bucket.write('events/a.json', lines({ user_id: 1 }, { user_id: 'x' }));
  h.bucket.write('songs/a.json', lines({ user_id: 2 }, { user_id: 'y' }));
  await h.run('CREATE TABLE events (user_id INTEGER)');
  await h.run('CREATE TABLE songs (user_id INTEGER)');
  await h.run('CREATE TABLE events_rejects (reason VARCHAR(512))');
  await h.run('CREATE TABLE songs_rejects (reason VARCHAR(512))');
  const stage = (table: string) =>
    batch([
      `COPY ${table} FROM 's3://test-bucket/${table}/' IAM_ROLE default JSON 'auto' MAXERROR 1`,
      'SELECT pg_sleep(0.3)',
      `INSERT INTO ${table}_rejects SELECT trim(error_message) FROM sys_load_error_detail WHERE query_id = pg_last_copy_id()`,
    ]);
  const outcomes = await Promise.all([stage('events'), stage('songs')]);
  expect(outcomes.map((outcome) => [outcome.status, outcome.error])).toEqual([
    ['FINISHED', undefined],
    ['FINISHED', undefined],
  ]);
  await expect(
    h.query(
      'SELECT (SELECT reason FROM events_rejects) AS events, (SELECT reason FROM songs_rejects) AS songs',
    ),
  ).resolves.toEqual([
    [
      { stringValue: 'expected a number for integer, got "x"' },
      { stringValue: 'expected a number for integer, got "y"' },
    ],
  ]);
});

test('a COPY that succeeds records every row it skipped, however many MAXERROR allows', async () => {
  const bad = Array.from({ length: 150 }, (_, i) => ({ user_id: `bad-${i}` }));
  h.bucket.write('many/a.json', lines({ user_id: 1 }, ...bad));
  const { id, status } = await batch([
    CREATE,
    "COPY plays FROM 's3://test-bucket/many/' IAM_ROLE default JSON 'auto' MAXERROR 150",
    'SELECT COUNT(*) AS n, MAX(line_number) AS last FROM sys_load_error_detail WHERE query_id = pg_last_copy_id()',
  ]);
  expect(status).toBe('FINISHED');
  await expect(h.records(`${id}:3`)).resolves.toEqual([[{ longValue: 150 }, { longValue: 151 }]]);
});
