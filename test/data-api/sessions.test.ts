import { BatchExecuteStatementCommand, CancelStatementCommand } from '@aws-sdk/client-redshift-data';
import { dataApiHarnessPerTest, TARGET } from './support';

// Each call is a session of its own, and the endpoint keeps answering while one runs: through the
// real SDK client, on PGlite (in its worker thread) and on a server.

const h = dataApiHarnessPerTest();

const text = async (sql: string) => (await h.query(sql))[0]?.[0]?.stringValue;

test('a SET, a search_path and a temporary table from one call are gone in the next', async () => {
  await h.run('CREATE SCHEMA elsewhere');
  const defaultPath = await text('SHOW search_path');
  const { Id } = await h.client.send(
    new BatchExecuteStatementCommand({
      ...TARGET,
      Sqls: [
        "SET datestyle TO 'SQL, DMY'",
        'SET search_path TO elsewhere',
        'CREATE TEMP TABLE scratch (i INT)',
        'SHOW search_path',
      ],
    }),
  );
  expect((await h.settled(Id!)).Status).toBe('FINISHED');
  await expect(h.records(`${Id}:4`)).resolves.toEqual([[{ stringValue: 'elsewhere' }]]);

  expect(await text('SHOW datestyle')).toBe('ISO, MDY');
  expect(await text('SHOW search_path')).toBe(defaultPath);
  await expect(h.run('SELECT * FROM scratch')).resolves.toMatchObject({
    Status: 'FAILED',
    Error: 'ERROR: relation "scratch" does not exist',
  });
});

test('DescribeStatement answers at once while a long statement runs', async () => {
  const id = await h.submit('SELECT pg_sleep(1.5)');
  const deadline = Date.now() + 5000;
  while ((await h.describe(id)).Status !== 'STARTED' && Date.now() < deadline) await sleep(5);
  const asked = performance.now();
  const described = await h.describe(id);
  const answeredMs = performance.now() - asked;
  expect(described.Status).toBe('STARTED');
  expect(answeredMs).toBeLessThan(300);
  expect((await h.settled(id)).Status).toBe('FINISHED');
});

test('CancelStatement of a running statement answers at once; it ends ABORTED and rolled back', async () => {
  // A server interrupts the running query; PGlite cannot, and rolls back as soon as it returns.
  const onServer = process.env.SPARKIFY_TEST_DATABASE_URL !== undefined;
  await h.run('CREATE TABLE t (i INT)');
  const { Id } = await h.client.send(
    new BatchExecuteStatementCommand({
      ...TARGET,
      Sqls: ['INSERT INTO t VALUES (1)', 'SELECT pg_sleep(3)', 'INSERT INTO t VALUES (2)'],
    }),
  );
  const deadline = Date.now() + 5000;
  while ((await h.describe(Id!)).SubStatements?.[1]?.Status !== 'STARTED' && Date.now() < deadline) {
    await sleep(5);
  }
  const asked = performance.now();
  await expect(h.client.send(new CancelStatementCommand({ Id }))).resolves.toMatchObject({ Status: true });
  expect(performance.now() - asked).toBeLessThan(300);

  const batch = await h.settled(Id!);
  const endedMs = performance.now() - asked;
  if (onServer) expect(endedMs).toBeLessThan(1500);
  else expect(endedMs).toBeGreaterThan(1500);
  expect(batch.Status).toBe('ABORTED');
  expect(batch.SubStatements?.map((sub) => sub.Status)).toEqual(['ABORTED', 'ABORTED', 'ABORTED']);
  await expect(h.query('SELECT COUNT(*) FROM t')).resolves.toEqual([[{ longValue: 0 }]]);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
