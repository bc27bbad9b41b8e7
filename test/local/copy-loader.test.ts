import { LocalS3 } from '../../local/copy/local-s3';
import { PGliteEngine } from '../../local/engine/pglite-engine';
import { LocalWarehouse } from '../../local/warehouse/local-warehouse';
import { TestBucket, play } from '../support/dataset';
import { PipelineHarness, epochMs, runFull, select, snapshotTables } from '../support/warehouse-harness';

// COPY semantics of the local loader, each checked against a small bucket on a real engine.

let engine: PGliteEngine;
let bucket: TestBucket;
let warehouse: LocalWarehouse;

beforeAll(async () => {
  engine = await PGliteEngine.open();
});
afterAll(() => engine.close());
beforeEach(async () => {
  bucket = new TestBucket();
  warehouse = new LocalWarehouse(engine, new LocalS3({ b: bucket.dir }));
  await warehouse.run(['DROP SCHEMA public CASCADE', 'CREATE SCHEMA public']);
});
afterEach(() => bucket.cleanup());

const lines = (...objects: unknown[]) => objects.map((o) => JSON.stringify(o)).join('\n');

async function copyInto(ddl: string, copy: string) {
  await warehouse.run([ddl]);
  const [outcome] = await warehouse.run([copy]);
  return outcome!;
}

test('FROM is a key prefix, not a folder: 2018-11-1 matches the 10th to the 19th only', async () => {
  for (let day = 1; day <= 30; day++) {
    bucket.write(`log_data/2018-11-${String(day).padStart(2, '0')}.json`, lines({ d: day }));
  }
  await copyInto(
    'CREATE TABLE t (d INT)',
    "COPY t FROM 's3://b/log_data/2018-11-1' IAM_ROLE default JSON 'auto'",
  );
  const rows = await select(warehouse, 'SELECT d FROM t ORDER BY d');
  expect(rows.map((row) => row.d)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
});

test('a prefix may end inside a folder name: log_data/2018/1 matches the folders 10, 11 and 12', async () => {
  for (const month of ['09', '10', '11', '12'])
    bucket.write(`log_data/2018/${month}/a.json`, lines({ m: Number(month) }));
  await copyInto(
    'CREATE TABLE t (m INT)',
    "COPY t FROM 's3://b/log_data/2018/1' IAM_ROLE default JSON 'auto'",
  );
  expect((await select(warehouse, 'SELECT m FROM t ORDER BY m')).map((row) => row.m)).toEqual([10, 11, 12]);
});

test('a JSONPaths file must be an existing object, not a prefix or a folder', async () => {
  bucket.write('paths/x.json', JSON.stringify({ jsonpaths: ['$.a'] })).write('data/a.json', lines({ a: 1 }));
  await warehouse.run(['CREATE TABLE t (a INT)']);
  for (const uri of ['s3://b/paths/x', 's3://b/paths']) {
    await expect(
      warehouse.run([`COPY t FROM 's3://b/data/' IAM_ROLE default JSON '${uri}'`]),
    ).rejects.toThrow(`S3 object '${uri}' does not exist`);
  }
});

test('a prefix that matches nothing fails the COPY, as on Redshift', async () => {
  await expect(
    copyInto('CREATE TABLE t (d INT)', "COPY t FROM 's3://b/nothing/' IAM_ROLE default JSON 'auto'"),
  ).rejects.toThrow(/s3:\/\/b\/nothing\/' matches no object/);
});

test('JSONPaths map by position: the n-th path fills the n-th column, whatever the names', async () => {
  bucket
    .write(
      'paths.json',
      JSON.stringify({ jsonpaths: ["$['second']", '$.first', "$['nested']['x']", '$.list[1]'] }),
    )
    .write('data/a.json', lines({ first: 'one', second: 'two', nested: { x: 3 }, list: [10, 20] }));
  const outcome = await copyInto(
    'CREATE TABLE t (first VARCHAR(8), second VARCHAR(8), x INT, item INT)',
    "COPY t FROM 's3://b/data/' IAM_ROLE default FORMAT AS JSON 's3://b/paths.json'",
  );
  expect(outcome.rowsAffected).toBe(1);
  expect(await select(warehouse, 'SELECT * FROM t')).toEqual([
    { first: 'two', second: 'one', x: 3, item: 20 },
  ]);
});

test('a JSONPaths file whose length differs from the column count is refused', async () => {
  bucket.write('paths.json', JSON.stringify({ jsonpaths: ['$.a'] })).write('data/a.json', lines({ a: 1 }));
  await expect(
    copyInto(
      'CREATE TABLE t (a INT, b INT)',
      "COPY t FROM 's3://b/data/' IAM_ROLE default JSON 's3://b/paths.json'",
    ),
  ).rejects.toThrow(/has 1 paths but the target has 2 columns/);
});

test("'auto' matches keys case-sensitively (camelCase loads NULL); 'auto ignorecase' does not", async () => {
  bucket.write('data/a.json', lines({ userid: 'lower', userId: 'camel', sessionId: 7 }));
  await warehouse.run(['CREATE TABLE t (sessionid INT, userid VARCHAR(8))']);
  await warehouse.run(["COPY t FROM 's3://b/data/' IAM_ROLE default JSON 'auto'"]);
  await warehouse.run(["COPY t FROM 's3://b/data/' IAM_ROLE default JSON 'auto ignorecase'"]);
  const rows = await select(warehouse, 'SELECT sessionid, userid FROM t ORDER BY sessionid NULLS FIRST');
  expect(rows).toEqual([
    { sessionid: null, userid: 'lower' },
    { sessionid: 7, userid: expect.stringMatching(/^(lower|camel)$/) },
  ]);
});

test.each([
  ['epochmillisecs', 1541105830796, 1541105830796],
  ['epochsecs', 1541105830.5, 1541105830500],
])("TIMEFORMAT '%s' loads a TIMESTAMP to the millisecond", async (format, value, expected) => {
  bucket.write('data/a.json', lines({ ts: value }));
  await copyInto(
    'CREATE TABLE t (ts TIMESTAMP)',
    `COPY t FROM 's3://b/data/' IAM_ROLE default JSON 'auto' TIMEFORMAT '${format}'`,
  );
  const [row] = await select(warehouse, 'SELECT ts FROM t');
  expect(epochMs(row?.ts)).toBe(expected);
});

test('numbers and JSON values load into VARCHAR columns as their JSON text', async () => {
  bucket.write('data/a.json', lines({ name: 2562, tags: ['a'] }));
  await copyInto(
    'CREATE TABLE t (name VARCHAR(16), tags VARCHAR(16))',
    "COPY t FROM 's3://b/data/' IAM_ROLE default JSON 'auto'",
  );
  expect(await select(warehouse, 'SELECT * FROM t')).toEqual([{ name: '2562', tags: '["a"]' }]);
});

test('VARCHAR(n) counts bytes like Redshift; TRUNCATECOLUMNS cuts at a character boundary', async () => {
  bucket.write('data/a.json', lines({ s: 'ééé' })); // 6 bytes, 3 characters
  await warehouse.run(['CREATE TABLE t (s VARCHAR(5))']);
  await expect(warehouse.run(["COPY t FROM 's3://b/data/' IAM_ROLE default JSON 'auto'"])).rejects.toThrow(
    /data\/a\.json line 1, field "s" \(column s\): 6 bytes exceed the column's VARCHAR\(5\)/,
  );
  await warehouse.run(["COPY t FROM 's3://b/data/' IAM_ROLE default JSON 'auto' TRUNCATECOLUMNS"]);
  expect(await select(warehouse, 'SELECT s FROM t')).toEqual([{ s: 'éé' }]);
});

test('objects may span lines; the error names the line an object starts on', async () => {
  bucket.write('data/a.json', '{"n": 1}\n{\n  "n": 2\n}\n{\n  "n": "x"\n}\n');
  await warehouse.run(['CREATE TABLE t (n INT)']);
  await expect(warehouse.run(["COPY t FROM 's3://b/data/' IAM_ROLE default JSON 'auto'"])).rejects.toThrow(
    /s3:\/\/b\/data\/a\.json line 5, field "n" \(column n\): expected a number for integer, got "x"/,
  );
});

test('MAXERROR lets that many bad rows be rejected and counted; one more fails the whole load', async () => {
  bucket.write('data/a.json', lines({ n: 1 }, { n: 'bad' }, { n: 2 }, { n: 2.5 }));
  await warehouse.run(['CREATE TABLE t (n INT NOT NULL)']);
  const [outcome] = await warehouse.run([
    "COPY t FROM 's3://b/data/' IAM_ROLE default JSON 'auto' MAXERROR 2",
  ]);
  expect(outcome?.copy).toMatchObject({ rowsLoaded: 2, rowsRejected: 2 });
  expect(outcome?.copy?.rejections.map((r) => r.line)).toEqual([2, 4]);

  await expect(
    warehouse.run(["COPY t FROM 's3://b/data/' IAM_ROLE default JSON 'auto' MAXERROR 1"]),
  ).rejects.toThrow(/2 row\(s\) rejected, more than MAXERROR 1; nothing was loaded/);
  expect(await select(warehouse, 'SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 2 }]);
});

describe('bad input in a pipeline run', () => {
  const harness = new PipelineHarness();
  afterAll(() => harness.close());

  const goodDay = () => [play({ userId: '1', itemInSession: 1 }), play({ userId: '2', itemInSession: 2 })];

  test.each([
    ['a malformed JSON line', '{"page": "NextSong", "ts": 1541105830796', /line 3: malformed JSON/],
    [
      'a wrong type',
      JSON.stringify(play({ sessionId: 'abc' })),
      /line 3, field \$\['sessionId'\] \(column session_id\): expected a number/,
    ],
    [
      'a missing required field',
      JSON.stringify({ ...play({}), ts: undefined }),
      /line 3, field \$\['ts'\] \(column ts\): missing data for not-null field/,
    ],
  ])(
    '%s stops the load naming the object, line and field; loaded tables stay as they were',
    async (_, badLine, message) => {
      bucket.unplayedSong().events('2018-11-01', goodDay());
      const pipeline = await harness.pipeline(bucket.dir);
      await runFull(pipeline);
      const before = await snapshotTables(pipeline);

      const day2 = goodDay().map((e) =>
        JSON.stringify({ ...e, itemInSession: Number(e.itemInSession) + 10 }),
      );
      bucket.write('log_data/2018/11/2018-11-02-events.json', [...day2, badLine].join('\n'));
      const failure = runFull(pipeline);
      await expect(failure).rejects.toMatchObject({ name: 'StatementFailed' });
      await expect(failure).rejects.toThrow(/^stage_events FAILED in statement 2 of \d+: /);
      await expect(failure).rejects.toThrow(
        /s3:\/\/udacity-dend\/log_data\/2018\/11\/2018-11-02-events\.json/,
      );
      await expect(failure).rejects.toThrow(message);
      expect(await snapshotTables(pipeline)).toEqual(before);
      const [run] = await select(pipeline, "SELECT status, error FROM etl_runs WHERE status <> 'SUCCEEDED'");
      expect(run?.status).toBe('FAILED');
      expect(run?.error).toMatch(message);
    },
  );
});
