import { request } from 'node:http';
import {
  ActiveStatementsExceededException,
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  ListDatabasesCommand,
  ListStatementsCommand,
  RedshiftDataServiceException,
  ResourceNotFoundException,
  ValidationException,
} from '@aws-sdk/client-redshift-data';
import { MAX_ACTIVE_STATEMENTS } from '../../local/data-api/statement-queue';
import { dataApiHarnessPerTest, PAUSE, TARGET } from './support';

// The Data API's error shapes and limits, as the SDK raises them.

const h = dataApiHarnessPerTest();

const execute = (input: Partial<ConstructorParameters<typeof ExecuteStatementCommand>[0]>) =>
  h.client.send(new ExecuteStatementCommand({ ...TARGET, Sql: 'SELECT 1', ...input }));
const batch = (sqls: string[]) => h.client.send(new BatchExecuteStatementCommand({ ...TARGET, Sqls: sqls }));

test('an unknown id is a ResourceNotFoundException naming it; a malformed one a ValidationException', async () => {
  const id = '0f0e0d0c-0b0a-0908-0706-050403020100';
  const describe = h.client.send(new DescribeStatementCommand({ Id: id }));
  await expect(describe).rejects.toBeInstanceOf(ResourceNotFoundException);
  await expect(describe).rejects.toMatchObject({ message: 'Query does not exist.', ResourceId: id });
  await expect(h.client.send(new DescribeStatementCommand({ Id: 'select-1' }))).rejects.toBeInstanceOf(
    ValidationException,
  );
});

test('a statement over 100 KB and a batch of none or over 40 statements are refused', async () => {
  const big = `SELECT '${'x'.repeat(100 * 1024)}'`;
  await expect(execute({ Sql: big })).rejects.toThrow(/the Data API accepts at most 100 KB/);
  await expect(execute({ Sql: big })).rejects.toBeInstanceOf(ValidationException);
  await expect(batch([])).rejects.toBeInstanceOf(ValidationException);
  await expect(batch(Array.from({ length: 41 }, () => 'SELECT 1'))).rejects.toThrow(/between 1 and 40/);
  await expect(batch(Array.from({ length: 40 }, () => 'SELECT 1'))).resolves.toMatchObject({
    Status: 'SUBMITTED',
  });
});

test('requests must name a cluster or a workgroup (not both) and a database', async () => {
  const noTarget = h.client.send(new ExecuteStatementCommand({ Database: 'dev', Sql: 'SELECT 1' }));
  await expect(noTarget).rejects.toBeInstanceOf(ValidationException);
  await expect(execute({ ClusterIdentifier: 'cluster' })).rejects.toThrow(
    /either ClusterIdentifier or WorkgroupName/,
  );
  await expect(execute({ Database: undefined })).rejects.toThrow('Database is required.');
  await expect(execute({ WorkgroupName: undefined, ClusterIdentifier: 'cluster' })).resolves.toMatchObject({
    ClusterIdentifier: 'cluster',
  });
});

test('parameter errors name the parameters: missing, unused, repeated, or an empty list', async () => {
  const withParameters = (sql: string, ...parameters: [string, string][]) =>
    execute({ Sql: sql, Parameters: parameters.map(([name, value]) => ({ name, value })) });
  await expect(withParameters('SELECT :a, :b', ['a', '1'])).rejects.toThrow(
    /No value given for parameter\(s\) :b/,
  );
  await expect(withParameters('SELECT :a', ['a', '1'], ['c', '2'])).rejects.toThrow(
    /Parameter\(s\) :c are not used/,
  );
  await expect(withParameters('SELECT :a', ['a', '1'], ['a', '2'])).rejects.toThrow(
    /:a is given more than once/,
  );
  await expect(withParameters('SELECT 1')).rejects.toBeInstanceOf(ValidationException);
  const copy = await h.run("COPY :table FROM 's3://test-bucket/x' IAM_ROLE default JSON 'auto'", {
    Parameters: [{ name: 'table', value: 't' }],
  });
  expect(copy).toMatchObject({ Status: 'FAILED', Error: 'ERROR: COPY takes no bind parameters' });
});

test('GetStatementResult wants a FINISHED statement with a result set, by its sub-statement id in a batch', async () => {
  const result = (id: string | undefined) => h.client.send(new GetStatementResultCommand({ Id: id }));
  const ddl = await h.run('CREATE TABLE t (i INT)');
  await expect(result(ddl.Id)).rejects.toThrow('Query does not have result.');

  const failed = await h.run('SELECT * FROM missing');
  await expect(result(failed.Id)).rejects.toThrow('Query has not finished. Query status is FAILED.');

  const { Id } = await batch(['SELECT 1', 'SELECT 2']);
  await h.settled(Id!);
  await expect(result(Id)).rejects.toThrow(/is a batch: fetch a result by its statement's id/);
  await expect(result(`${Id}:2`)).resolves.toMatchObject({ Records: [[{ longValue: 2 }]] });
});

test(`more than ${MAX_ACTIVE_STATEMENTS} active statements is ActiveStatementsExceededException`, async () => {
  await h.serial();
  const pause = h.pauseNext();
  await h.submit(`SELECT 1 ${PAUSE}`);
  for (let i = 1; i < MAX_ACTIVE_STATEMENTS; i++) await h.submit('SELECT 1');
  await pause.reached;
  await expect(execute({})).rejects.toBeInstanceOf(ActiveStatementsExceededException);
  pause.release();
});

test('what is not served locally is refused, not silently ignored', async () => {
  await expect(execute({ SessionKeepAliveSeconds: 60 })).rejects.toThrow(
    /Sessions .* are not served locally/,
  );
  await expect(execute({ ResultFormat: 'CSV' })).rejects.toThrow(/ResultFormat CSV is not served locally/);
  const autoCommit = h.client.send(
    new BatchExecuteStatementCommand({ ...TARGET, Sqls: ['SELECT 1'], ExecutionMode: 'AUTO_COMMIT' }),
  );
  await expect(autoCommit).rejects.toBeInstanceOf(ValidationException);
  const other = h.client.send(new ListDatabasesCommand({ ...TARGET }));
  await expect(other).rejects.toBeInstanceOf(RedshiftDataServiceException);
  await expect(other).rejects.toMatchObject({ name: 'UnknownOperationException' });
  await expect(h.client.send(new ListStatementsCommand({ MaxResults: 101 }))).rejects.toBeInstanceOf(
    ValidationException,
  );
});

test('a body over the request limit is refused before it is read', async () => {
  const { hostname, port } = new URL(h.server.endpoint);
  const response = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'RedshiftData.ExecuteStatement',
          'content-length': 64 * 1024 * 1024,
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      },
    );
    req.on('error', reject);
    req.write('{');
  });
  expect(response.status).toBe(413);
  expect(JSON.parse(response.body)).toMatchObject({ __type: 'ValidationException' });
});
