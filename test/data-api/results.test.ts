import {
  BatchExecuteStatementCommand,
  GetStatementResultCommand,
  ValidationException,
} from '@aws-sdk/client-redshift-data';
import { play } from '../support/dataset';
import { dataApiHarnessPerTest, TARGET } from './support';

// Result typing, paging, parameters and COPY, through the real SDK client.

const h = dataApiHarnessPerTest();

test('results are typed as the Data API types them, NULL as isNull', async () => {
  await h.run(`CREATE TABLE typed (
    s SMALLINT, i INTEGER, b BIGINT, r REAL, d DOUBLE PRECISION, n NUMERIC(10,2), flag BOOLEAN,
    c CHAR(3), v VARCHAR(10), day DATE, ts TIMESTAMP)`);
  await h.run(`INSERT INTO typed VALUES
    (1, 2, 9007199254740991, 2.5, 0.1, 12.34, TRUE, 'ab', 'xy', '2018-11-01', '2018-11-01 21:01:46.796'),
    (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
  const { Id } = await h.run('SELECT * FROM typed ORDER BY s NULLS LAST');
  const result = await h.client.send(new GetStatementResultCommand({ Id }));

  expect(result.ColumnMetadata?.map((column) => [column.name, column.typeName])).toEqual([
    ['s', 'int2'],
    ['i', 'int4'],
    ['b', 'int8'],
    ['r', 'float4'],
    ['d', 'float8'],
    ['n', 'numeric'],
    ['flag', 'bool'],
    ['c', 'bpchar'],
    ['v', 'varchar'],
    ['day', 'date'],
    ['ts', 'timestamp'],
  ]);
  expect(result.ColumnMetadata?.[2]).toMatchObject({
    label: 'b',
    isSigned: true,
    precision: 19,
    nullable: 1,
  });
  expect(result.ColumnMetadata?.[8]).toMatchObject({ isCaseSensitive: true, isSigned: false });
  expect(result.ColumnMetadata?.[10]).toMatchObject({ precision: 29, scale: 6 });
  expect(result.Records).toEqual([
    [
      { longValue: 1 },
      { longValue: 2 },
      { longValue: 9007199254740991 },
      { doubleValue: 2.5 },
      { doubleValue: 0.1 },
      { stringValue: '12.34' },
      { booleanValue: true },
      { stringValue: 'ab ' },
      { stringValue: 'xy' },
      { stringValue: '2018-11-01' },
      { stringValue: '2018-11-01 21:01:46.796' },
    ],
    Array.from({ length: 11 }, () => ({ isNull: true })),
  ]);
});

test('GetStatementResult pages by 1,000 records with NextToken and TotalNumRows', async () => {
  const { Id, ResultRows } = await h.run('SELECT g AS n FROM generate_series(1, 2500) AS g ORDER BY g');
  expect(ResultRows).toBe(2500);
  const first = await h.client.send(new GetStatementResultCommand({ Id }));
  expect(first.Records).toHaveLength(1000);
  expect(first.TotalNumRows).toBe(2500);
  expect(first.NextToken).toEqual(expect.any(String));

  const all = await h.records(Id!);
  expect(all.map((record) => record[0]?.longValue)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
  await expect(
    h.client.send(new GetStatementResultCommand({ Id, NextToken: 'not-a-token' })),
  ).rejects.toBeInstanceOf(ValidationException);
});

test('a result the engine cannot return column by column fails the statement instead of losing one', async () => {
  const failed = await h.run('SELECT 1 AS a, 2 AS a');
  expect(failed).toMatchObject({ Status: 'FAILED' });
  expect(failed.Error).toMatch(/^ERROR: column name "a" appears more than once/);
});

test('named parameters bind as text and take the type their use gives them', async () => {
  await h.run('CREATE TABLE events (user_id INT, ts TIMESTAMP, name VARCHAR(64))');
  const insert = await h.run('INSERT INTO events VALUES (:user, :at, :name), (:user + 1, :at, :name)', {
    Parameters: [
      { name: 'user', value: '41' },
      { name: 'at', value: '2018-11-01 21:01:46.796' },
      { name: 'name', value: "O'Brien'); DROP TABLE events; --" },
    ],
  });
  expect(insert).toMatchObject({ Status: 'FINISHED', ResultRows: 2 });
  expect(insert.QueryParameters).toEqual([
    { name: 'user', value: '41' },
    { name: 'at', value: '2018-11-01 21:01:46.796' },
    { name: 'name', value: "O'Brien'); DROP TABLE events; --" },
  ]);

  const records = await h.query(
    "SELECT user_id, ts, name, ':user' AS literal, :day::date AS day FROM events WHERE user_id >= :min -- :not_a_parameter",
    {
      Parameters: [
        { name: 'min', value: '41' },
        { name: 'day', value: '2018-11-02' },
      ],
    },
  );
  expect(records).toEqual([
    [
      { longValue: 41 },
      { stringValue: '2018-11-01 21:01:46.796' },
      { stringValue: "O'Brien'); DROP TABLE events; --" },
      { stringValue: ':user' },
      { stringValue: '2018-11-02' },
    ],
    [
      { longValue: 42 },
      { stringValue: '2018-11-01 21:01:46.796' },
      { stringValue: "O'Brien'); DROP TABLE events; --" },
      { stringValue: ':user' },
      { stringValue: '2018-11-02' },
    ],
  ]);
});

test('a value the parameter’s use cannot take fails the statement with the engine’s error', async () => {
  const failed = await h.run('SELECT :n + 1', { Parameters: [{ name: 'n', value: 'forty-one' }] });
  expect(failed).toMatchObject({ Status: 'FAILED' });
  expect(failed.Error).toMatch(/^ERROR: invalid input syntax for type integer: "forty-one"/);
});

test('a batch shares one parameter list: each statement uses what it names', async () => {
  const { Id } = await h.client.send(
    new BatchExecuteStatementCommand({
      ...TARGET,
      Sqls: [
        'CREATE TABLE t (i INT, tag VARCHAR(8))',
        'INSERT INTO t VALUES (:i, :tag)',
        'SELECT tag FROM t WHERE i = :i',
      ],
      Parameters: [
        { name: 'i', value: '7' },
        { name: 'tag', value: 'seven' },
      ],
    }),
  );
  await expect(h.settled(Id!)).resolves.toMatchObject({ Status: 'FINISHED' });
  await expect(h.records(`${Id}:3`)).resolves.toEqual([[{ stringValue: 'seven' }]]);
});

test('COPY loads from the S3-layout directory; its row count is ResultRows', async () => {
  h.bucket.events('2018-11-01', [play({ userId: '7' }), play({ userId: '8' })]);
  await h.run('CREATE TABLE staged (userid VARCHAR(16), page VARCHAR(16))');
  const copy = await h.run(
    "COPY staged FROM 's3://test-bucket/log_data' IAM_ROLE default FORMAT AS JSON 'auto ignorecase' REGION 'us-west-2'",
  );
  expect(copy).toMatchObject({ Status: 'FINISHED', ResultRows: 2, HasResultSet: false });
  await expect(h.query('SELECT userid, page FROM staged ORDER BY userid')).resolves.toEqual([
    [{ stringValue: '7' }, { stringValue: 'NextSong' }],
    [{ stringValue: '8' }, { stringValue: 'NextSong' }],
  ]);

  const missing = await h.run("COPY staged FROM 's3://test-bucket/nothing/' IAM_ROLE default JSON 'auto'");
  expect(missing).toMatchObject({ Status: 'FAILED' });
  expect(missing.Error).toMatch(/^ERROR: S3 prefix 's3:\/\/test-bucket\/nothing\/' matches no object/);
});
