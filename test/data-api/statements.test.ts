import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  ListStatementsCommand,
  ResourceNotFoundException,
  ValidationException,
} from '@aws-sdk/client-redshift-data';
import { dataApiHarnessPerTest, PAUSE, TARGET } from './support';

// The six operations and the status life cycle, through the real SDK client.

const h = dataApiHarnessPerTest();

async function count(table: string): Promise<number | undefined> {
  const [row] = await h.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return row?.[0]?.longValue;
}

test('ExecuteStatement answers SUBMITTED at once; Describe and GetStatementResult follow it to FINISHED', async () => {
  const submitted = await h.client.send(
    new ExecuteStatementCommand({
      ...TARGET,
      Sql: "SELECT 42 AS answer, 'forty-two' AS words",
      DbUser: 'awsuser',
    }),
  );
  expect(submitted).toMatchObject({
    Status: 'SUBMITTED',
    WorkgroupName: 'local',
    Database: 'dev',
    DbUser: 'awsuser',
  });
  expect(submitted.Id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(submitted.CreatedAt).toBeInstanceOf(Date);

  const described = await h.settled(submitted.Id!);
  expect(described).toMatchObject({
    Id: submitted.Id,
    Status: 'FINISHED',
    QueryString: "SELECT 42 AS answer, 'forty-two' AS words",
    HasResultSet: true,
    ResultRows: 1,
    WorkgroupName: 'local',
    Database: 'dev',
    DbUser: 'awsuser',
  });
  expect(described.Duration).toBeGreaterThan(0);
  expect(described.RedshiftPid).toBeGreaterThan(0);
  expect(described.RedshiftQueryId).toBeGreaterThan(0);
  expect(described.UpdatedAt!.getTime()).toBeGreaterThanOrEqual(described.CreatedAt!.getTime());

  const result = await h.client.send(new GetStatementResultCommand({ Id: submitted.Id }));
  expect(result.TotalNumRows).toBe(1);
  expect(result.Records).toEqual([[{ longValue: 42 }, { stringValue: 'forty-two' }]]);
  expect(result.ColumnMetadata?.map((column) => [column.name, column.typeName])).toEqual([
    ['answer', 'int4'],
    ['words', 'text'],
  ]);
  expect(result.NextToken).toBeUndefined();
});

test('statements start in submission order: PICKED while queued behind a running one, STARTED while running', async () => {
  await h.serial();
  const pause = h.pauseNext();
  const first = await h.submit(`CREATE TABLE log (step INT) ${PAUSE}`);
  const second = await h.submit('INSERT INTO log VALUES (2)');
  await pause.reached;
  await expect(h.describe(first)).resolves.toMatchObject({ Status: 'STARTED', Duration: -1, ResultRows: -1 });
  await expect(h.describe(second)).resolves.toMatchObject({ Status: 'PICKED', Duration: -1, ResultRows: -1 });
  pause.release();

  const [created, inserted] = [await h.settled(first), await h.settled(second)];
  expect(created).toMatchObject({ Status: 'FINISHED', HasResultSet: false, ResultRows: 0 });
  expect(inserted).toMatchObject({ Status: 'FINISHED', HasResultSet: false, ResultRows: 1 });
  expect(inserted.UpdatedAt!.getTime()).toBeGreaterThanOrEqual(created.UpdatedAt!.getTime());
});

test('a batch is one transaction with sub-statements <id>:1…N, each described and fetched by its own id', async () => {
  const { Id, Status } = await h.client.send(
    new BatchExecuteStatementCommand({
      ...TARGET,
      StatementName: 'setup',
      Sqls: ['CREATE TABLE t (i INT)', 'INSERT INTO t VALUES (1), (2)', 'SELECT i FROM t ORDER BY i'],
    }),
  );
  expect(Status).toBe('SUBMITTED');
  const batch = await h.settled(Id!);
  expect(batch).toMatchObject({ Status: 'FINISHED', HasResultSet: true, ResultRows: 4 });
  expect(batch.QueryString).toBeUndefined();
  expect(batch.SubStatements?.map((sub) => [sub.Id, sub.Status, sub.ResultRows, sub.HasResultSet])).toEqual([
    [`${Id}:1`, 'FINISHED', 0, false],
    [`${Id}:2`, 'FINISHED', 2, false],
    [`${Id}:3`, 'FINISHED', 2, true],
  ]);

  await expect(h.describe(`${Id}:2`)).resolves.toMatchObject({
    Id: `${Id}:2`,
    Status: 'FINISHED',
    QueryString: 'INSERT INTO t VALUES (1), (2)',
    ResultRows: 2,
  });
  await expect(h.records(`${Id}:3`)).resolves.toEqual([[{ longValue: 1 }], [{ longValue: 2 }]]);
  await expect(h.describe(`${Id}:4`)).rejects.toBeInstanceOf(ResourceNotFoundException);
});

test('a failing statement rolls the whole batch back; Describe names it FAILED and the rest ABORTED', async () => {
  await h.run('CREATE TABLE t (i INT)');
  const { Id } = await h.client.send(
    new BatchExecuteStatementCommand({
      ...TARGET,
      Sqls: [
        'INSERT INTO t VALUES (1)',
        'INSERT INTO t VALUES (2)',
        'INSERT INTO missing VALUES (3)',
        'INSERT INTO t VALUES (4)',
      ],
    }),
  );
  const batch = await h.settled(Id!);
  expect(batch).toMatchObject({ Status: 'FAILED', Error: 'ERROR: relation "missing" does not exist' });
  expect(batch.SubStatements?.map((sub) => sub.Status)).toEqual(['ABORTED', 'ABORTED', 'FAILED', 'ABORTED']);
  expect(batch.SubStatements?.[2]?.Error).toBe('ERROR: relation "missing" does not exist');
  expect(batch.SubStatements?.map((sub) => sub.ResultRows)).toEqual([-1, -1, -1, -1]);
  expect(await count('t')).toBe(0);
  await expect(h.client.send(new GetStatementResultCommand({ Id: `${Id}:1` }))).rejects.toBeInstanceOf(
    ValidationException,
  );
});

test('CancelStatement of a queued statement aborts it without running it', async () => {
  await h.serial();
  await h.run('CREATE TABLE t (i INT)');
  const pause = h.pauseNext();
  const running = await h.submit(`SELECT 1 ${PAUSE}`);
  const queued = await h.submit('INSERT INTO t VALUES (1)');
  await pause.reached;
  await expect(h.client.send(new CancelStatementCommand({ Id: queued }))).resolves.toMatchObject({
    Status: true,
  });
  await expect(h.describe(queued)).resolves.toMatchObject({
    Status: 'ABORTED',
    Duration: -1,
    ResultRows: -1,
  });
  pause.release();
  await expect(h.settled(running)).resolves.toMatchObject({ Status: 'FINISHED' });
  expect(await count('t')).toBe(0);
});

test('CancelStatement of a running batch rolls back what it had done, once its statement ends', async () => {
  await h.run('CREATE TABLE t (i INT)');
  const pause = h.pauseNext();
  const { Id } = await h.client.send(
    new BatchExecuteStatementCommand({
      ...TARGET,
      Sqls: ['INSERT INTO t VALUES (1)', `INSERT INTO t VALUES (2) ${PAUSE}`, 'INSERT INTO t VALUES (3)'],
    }),
  );
  await pause.reached;
  const running = await h.describe(Id!);
  expect(running.Status).toBe('STARTED');
  expect(running.SubStatements?.map((sub) => sub.Status)).toEqual(['FINISHED', 'STARTED', 'PICKED']);

  await expect(h.client.send(new CancelStatementCommand({ Id }))).resolves.toMatchObject({ Status: true });
  await expect(h.describe(Id!)).resolves.toMatchObject({ Status: 'STARTED' });
  pause.release();
  const batch = await h.settled(Id!);
  expect(batch.Status).toBe('ABORTED');
  expect(batch.SubStatements?.map((sub) => sub.Status)).toEqual(['ABORTED', 'ABORTED', 'ABORTED']);
  expect(batch.SubStatements?.[0]?.Duration).toBeGreaterThan(0);
  expect(await count('t')).toBe(0);
});

test('CancelStatement of a finished statement is a ValidationException', async () => {
  const { Id } = await h.run('SELECT 1');
  const cancel = h.client.send(new CancelStatementCommand({ Id }));
  await expect(cancel).rejects.toBeInstanceOf(ValidationException);
  await expect(cancel).rejects.toThrow('Could not cancel a query that is already in FINISHED state.');
});

test('ListStatements: newest first, filtered by status and name prefix, paged with NextToken', async () => {
  const a = (await h.run('SELECT 1', { StatementName: 'etl-a', SecretArn: 'arn:secret' })).Id;
  const b = (await h.run('SELECT * FROM missing', { StatementName: 'etl-b' })).Id;
  const other = (await h.run('SELECT 3', { StatementName: 'other' })).Id;
  const { Id: batch } = await h.client.send(
    new BatchExecuteStatementCommand({
      ...TARGET,
      StatementName: 'etl-batch',
      Sqls: ['SELECT 4', 'SELECT 5'],
    }),
  );
  await h.settled(batch!);

  const all = await h.client.send(new ListStatementsCommand({}));
  expect(all.Statements?.map((s) => s.Id)).toEqual([batch, other, b, a]);
  expect(all.NextToken).toBeUndefined();
  expect(all.Statements?.[0]).toMatchObject({
    IsBatchStatement: true,
    QueryStrings: ['SELECT 4', 'SELECT 5'],
    StatementName: 'etl-batch',
    Status: 'FINISHED',
  });
  expect(all.Statements?.[3]).toMatchObject({
    IsBatchStatement: false,
    QueryString: 'SELECT 1',
    SecretArn: 'arn:secret',
  });
  expect(all.Statements?.[3]?.CreatedAt).toBeInstanceOf(Date);

  const etl = await h.client.send(new ListStatementsCommand({ StatementName: 'etl-' }));
  expect(etl.Statements?.map((s) => s.Id)).toEqual([batch, b, a]);
  const failed = await h.client.send(new ListStatementsCommand({ Status: 'FAILED' }));
  expect(failed.Statements?.map((s) => s.Id)).toEqual([b]);

  const pages: (string | undefined)[][] = [];
  let token: string | undefined;
  do {
    const page = await h.client.send(
      new ListStatementsCommand({ MaxResults: 3, NextToken: token, Status: 'ALL' }),
    );
    pages.push(page.Statements!.map((s) => s.Id));
    token = page.NextToken;
  } while (token);
  expect(pages).toEqual([[batch, other, b], [a]]);
});

test('statements and their results are gone after 24 hours', async () => {
  const { Id } = await h.run('SELECT 1');
  h.skewMs = 24 * 60 * 60 * 1000 - 1000;
  await expect(h.records(Id!)).resolves.toEqual([[{ longValue: 1 }]]);
  h.skewMs = 24 * 60 * 60 * 1000;
  await expect(h.describe(Id!)).rejects.toBeInstanceOf(ResourceNotFoundException);
  await expect(h.client.send(new ListStatementsCommand({}))).resolves.toMatchObject({ Statements: [] });
});
