import {
  BatchExecuteStatementCommand,
  ExecuteStatementCommand,
  ValidationException,
} from '@aws-sdk/client-redshift-data';
import { statementToken, WarehouseClient } from '../../lambda/shared/redshift-data';
import { dataApiHarnessPerTest, PAUSE, TARGET } from './support';

// Statements from separate calls side by side (a server) or one after another (PGlite), each at
// SERIALIZABLE; and ClientToken's idempotency. Through the real SDK client, on both engines.

const h = dataApiHarnessPerTest();

const sideBySide = () => h.warehouse.engine.concurrency > 1;

async function count(table: string): Promise<number | undefined> {
  const [row] = await h.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return row?.[0]?.longValue;
}

test('on a server a statement runs while another is running; PGlite queues it behind', async () => {
  const pause = h.pauseNext();
  const first = await h.submit(`SELECT 1 ${PAUSE}`);
  await pause.reached;
  const second = await h.submit('SELECT 2');
  if (sideBySide()) {
    await expect(h.settled(second)).resolves.toMatchObject({ Status: 'FINISHED' });
    await expect(h.describe(first)).resolves.toMatchObject({ Status: 'STARTED' });
  } else {
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(h.describe(second)).resolves.toMatchObject({ Status: 'PICKED' });
  }
  pause.release();
  await expect(h.settled(first)).resolves.toMatchObject({ Status: 'FINISHED' });
  await expect(h.settled(second)).resolves.toMatchObject({ Status: 'FINISHED' });
});

test('every transaction runs at SERIALIZABLE, Redshift’s only isolation level', async () => {
  await expect(h.query('SHOW transaction_isolation')).resolves.toEqual([[{ stringValue: 'serializable' }]]);
});

test('two batches reading and updating one row at once: on a server one FAILS with error 1023', async () => {
  await h.run('CREATE TABLE etl_runs (run_id INT, status VARCHAR(16))');
  await h.run("INSERT INTO etl_runs VALUES (1, 'running')");
  const stage = (status: string) =>
    h.client.send(
      new BatchExecuteStatementCommand({
        ...TARGET,
        Sqls: [
          'SELECT status FROM etl_runs WHERE run_id = 1',
          'SELECT pg_sleep(0.5)',
          `UPDATE etl_runs SET status = '${status}' WHERE run_id = 1`,
        ],
      }),
    );
  const [events, songs] = await Promise.all([stage('events'), stage('songs')]);
  const outcomes = await Promise.all([h.settled(events.Id!), h.settled(songs.Id!)]);

  if (!sideBySide()) {
    expect(outcomes.map((outcome) => outcome.Status)).toEqual(['FINISHED', 'FINISHED']);
    return;
  }
  const failed = outcomes.find((outcome) => outcome.Status === 'FAILED');
  const finished = outcomes.find((outcome) => outcome.Status === 'FINISHED');
  expect(failed && finished).toBeTruthy();
  const [tableId] = await h.query("SELECT 'etl_runs'::regclass::oid::bigint");
  const pids = outcomes.map((outcome) => outcome.RedshiftPid!).sort((a, b) => a - b);
  expect(failed!.Error).toMatch(
    new RegExp(
      `^ERROR: 1023 DETAIL: Serializable isolation violation on table - ${tableId?.[0]?.longValue}, ` +
        `transactions forming the cycle are: ${pids.join(', ')} \\(pid:${failed!.RedshiftPid}\\)$`,
    ),
  );
  expect(failed!.SubStatements?.map((sub) => sub.Status)).toEqual(['ABORTED', 'ABORTED', 'FAILED']);
  const winner = finished === outcomes[0] ? 'events' : 'songs';
  await expect(h.query('SELECT status FROM etl_runs')).resolves.toEqual([[{ stringValue: winner }]]);
});

test('the same ClientToken again returns the same statement, which ran once', async () => {
  await h.run('CREATE TABLE t (i INT)');
  const insert = () =>
    h.client.send(
      new ExecuteStatementCommand({ ...TARGET, Sql: 'INSERT INTO t VALUES (1)', ClientToken: 'once' }),
    );
  const first = await insert();
  await h.settled(first.Id!);
  const again = await insert();
  expect(again.Id).toBe(first.Id);
  expect(again.CreatedAt).toEqual(first.CreatedAt);
  expect(await count('t')).toBe(1);

  const batch = () =>
    h.client.send(
      new BatchExecuteStatementCommand({
        ...TARGET,
        Sqls: ['INSERT INTO t VALUES (2)'],
        ClientToken: 'batch',
      }),
    );
  const [one, two] = await Promise.all([batch(), batch()]);
  expect(two.Id).toBe(one.Id);
  await h.settled(one.Id!);
  expect(await count('t')).toBe(2);
});

test('the same ClientToken with different parameters is a ValidationException; a token is 1 to 64 characters', async () => {
  await h.run('SELECT 1', { ClientToken: 'reused' });
  const other = h.submit('SELECT 2', { ClientToken: 'reused' });
  await expect(other).rejects.toBeInstanceOf(ValidationException);
  await expect(other).rejects.toThrow(
    'ClientToken reused was already used by a request with different parameters.',
  );
  await expect(
    h.submit('SELECT 1', { ClientToken: 'reused', StatementName: 'renamed' }),
  ).rejects.toBeInstanceOf(ValidationException);
  await expect(h.submit('SELECT 1', { ClientToken: 'x'.repeat(65) })).rejects.toThrow(
    "Value 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' at 'clientToken' failed to satisfy constraint: Member must have length between 1 and 64",
  );
});

test('a submit invoked again for the same run and step gets the same statement back, and runs it once', async () => {
  await h.run('CREATE TABLE t (i INT)');
  const warehouse = new WarehouseClient(
    { target: { kind: 'serverless', workgroupName: 'local' }, database: 'dev', secretArn: 'arn:secret' },
    h.client,
  );
  const submit = () =>
    warehouse.submit(
      ['INSERT INTO t VALUES (1)', 'INSERT INTO t VALUES (2)'],
      'sparkify-run-1-stage_events',
      statementToken('run-1', 'stage_events'),
    );
  const first = await submit();
  await h.settled(first);
  await expect(submit()).resolves.toBe(first);
  expect(await count('t')).toBe(2);
});

describe('statementToken', () => {
  test('is a UUID-shaped function of the run and the step', () => {
    const token = statementToken('run-1', 'stage_events');
    expect(token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(statementToken('run-1', 'stage_events')).toBe(token);
    expect(statementToken('run-1', 'stage_songs')).not.toBe(token);
    expect(statementToken('run-2', 'stage_events')).not.toBe(token);
  });
});
