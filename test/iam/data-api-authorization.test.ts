import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  ListStatementsCommand,
  RedshiftDataClient,
  RedshiftDataServiceException,
} from '@aws-sdk/client-redshift-data';
import type { LocalDeployment, LocalFunction } from '../../local/cloud/local-deployment';
import { startDataApiServer, type DataApiServer } from '../../local/data-api/server';
import { dataApiAuthorizer } from '../../local/iam/data-api-authorizer';
import { LocalSts, type SessionCredentials } from '../../local/iam/sts';
import { TestBucket } from '../support/dataset';
import { WarehouseHarness } from '../support/warehouse-harness';
import { actionsOf, deployed, KINDS, withoutStatements, withRole, type Kind } from './support';

const harness = new WarehouseHarness();
afterAll(() => harness.close());

interface Running {
  readonly server: DataApiServer;
  readonly sts: LocalSts;
  readonly clients: RedshiftDataClient[];
  readonly bucket: TestBucket;
}

let running: Running | undefined;

afterEach(async () => {
  if (!running) return;
  for (const client of running.clients) client.destroy();
  await running.server.close();
  running.bucket.cleanup();
  running = undefined;
});

async function serve(deployment: LocalDeployment): Promise<Running> {
  const bucket = new TestBucket();
  const sts = new LocalSts(deployment.account);
  const server = await startDataApiServer({
    warehouse: await harness.warehouse(bucket.dir),
    authorizer: dataApiAuthorizer(deployment, sts),
  });
  running = { server, sts, clients: [], bucket };
  return running;
}

function clientWith(credentials: SessionCredentials): RedshiftDataClient {
  const client = new RedshiftDataClient({
    endpoint: running!.server.endpoint,
    region: 'us-west-2',
    credentials,
    maxAttempts: 1,
  });
  running!.clients.push(client);
  return client;
}

/** A client signing as the function does on Lambda: its role, a session named after it. */
const lambdaClient = (fn: LocalFunction) => clientWith(running!.sts.assumeRole(fn.role, fn.name));

function target(deployment: LocalDeployment) {
  const { warehouse } = deployment;
  return {
    ...(warehouse.kind === 'serverless'
      ? { WorkgroupName: warehouse.workgroupName }
      : { ClusterIdentifier: warehouse.clusterIdentifier }),
    Database: warehouse.database,
    SecretArn: warehouse.adminSecretArn,
  };
}

async function failure(call: Promise<unknown>): Promise<RedshiftDataServiceException> {
  const error: unknown = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof RedshiftDataServiceException))
    throw new Error(`expected a service error, got ${String(error)}`);
  return error;
}

async function settled(client: RedshiftDataClient, id: string) {
  for (;;) {
    const description = await client.send(new DescribeStatementCommand({ Id: id }));
    if (['FINISHED', 'FAILED', 'ABORTED'].includes(description.Status ?? '')) return description;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.each(KINDS)('GIVEN the local Data API authorizing with the %s template', (kind: Kind) => {
  const deployment = deployed(kind);
  const { submitStatement, pollStatement, planRun } = deployment.functions;

  test("THEN the pipeline's calls pass: submit signs, poll describes, reads, lists", async () => {
    await serve(deployment);
    const submit = lambdaClient(submitStatement);
    const poll = lambdaClient(pollStatement);
    const { Id } = await submit.send(
      new BatchExecuteStatementCommand({
        ...target(deployment),
        Sqls: ['CREATE TABLE t (n int)', 'SELECT 1 AS n'],
      }),
    );
    expect((await settled(poll, Id!)).Status).toBe('FINISHED');
    const { Records } = await poll.send(new GetStatementResultCommand({ Id: `${Id}:2` }));
    expect(Records).toEqual([[{ longValue: 1 }]]);
    const { Statements } = await poll.send(new ListStatementsCommand({}));
    expect(Statements?.map((statement) => statement.Id)).toEqual([Id]);
    const cancelled = await failure(poll.send(new CancelStatementCommand({ Id: Id! })));
    expect(cancelled.name).toBe('ValidationException');
  });

  test('THEN an access key STS never issued is UnrecognizedClientException', async () => {
    await serve(deployment);
    const stranger = clientWith({
      accessKeyId: 'ASIAUNKNOWN000000000',
      secretAccessKey: 'x',
      sessionToken: 'y',
    });
    const error = await failure(
      stranger.send(new ExecuteStatementCommand({ ...target(deployment), Sql: 'SELECT 1' })),
    );
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.message).toBe('The security token included in the request is invalid.');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('THEN a wrong secret key is InvalidSignatureException, a wrong session token an invalid token', async () => {
    await serve(deployment);
    const issued = running!.sts.assumeRole(submitStatement.role, submitStatement.name);
    const execute = new ExecuteStatementCommand({ ...target(deployment), Sql: 'SELECT 1' });
    const forged = await failure(clientWith({ ...issued, secretAccessKey: 'x'.repeat(40) }).send(execute));
    expect(forged.name).toBe('InvalidSignatureException');
    expect(forged.message).toMatch(
      /^The request signature we calculated does not match the signature you provided/,
    );
    const stale = await failure(clientWith({ ...issued, sessionToken: 'not-the-token' }).send(execute));
    expect(stale.name).toBe('UnrecognizedClientException');
    expect((await clientWith(issued).send(execute)).Id).toBeDefined();
  });

  test('THEN a request signed for another region is refused', async () => {
    await serve(deployment);
    const client = new RedshiftDataClient({
      endpoint: running!.server.endpoint,
      region: 'eu-west-1',
      credentials: running!.sts.assumeRole(submitStatement.role, submitStatement.name),
      maxAttempts: 1,
    });
    running!.clients.push(client);
    const error = await failure(
      client.send(new ExecuteStatementCommand({ ...target(deployment), Sql: 'SELECT 1' })),
    );
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toBe("Credential should be scoped to a valid region, not 'eu-west-1'. ");
  });

  test("THEN the plan function, whose role has no Data API rights, is denied with IAM's message", async () => {
    await serve(deployment);
    const plan = lambdaClient(planRun);
    const error = await failure(
      plan.send(new ExecuteStatementCommand({ ...target(deployment), Sql: 'SELECT 1' })),
    );
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toBe(
      `User: arn:aws:sts::000000000000:assumed-role/${planRun.role.name}/${planRun.name} is not authorized to ` +
        `perform: redshift-data:ExecuteStatement on resource: ${deployment.warehouse.dataApiResourceArn} ` +
        'because no identity-based policy allows the redshift-data:ExecuteStatement action',
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test("THEN a session of another role may not describe the pipeline's statements", async () => {
    await serve(deployment);
    const { Id } = await lambdaClient(submitStatement).send(
      new ExecuteStatementCommand({ ...target(deployment), Sql: 'SELECT 1' }),
    );
    const error = await failure(lambdaClient(planRun).send(new DescribeStatementCommand({ Id })));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toContain('redshift-data:DescribeStatement on resource: *');
    const { Statements } = await lambdaClient(pollStatement).send(
      new ListStatementsCommand({ RoleLevel: false }),
    );
    expect(Statements).toEqual([]);
  });

  test('THEN without the Describe statement, the poll fails as it would on AWS', async () => {
    const role = withoutStatements(submitStatement.role, (statement) =>
      actionsOf(statement).includes('redshift-data:DescribeStatement'),
    );
    const broken = withRole(deployment, role);
    await serve(broken);
    const { Id } = await lambdaClient(broken.functions.submitStatement).send(
      new ExecuteStatementCommand({ ...target(broken), Sql: 'SELECT 1' }),
    );
    const error = await failure(
      lambdaClient(broken.functions.pollStatement).send(new DescribeStatementCommand({ Id })),
    );
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toMatch(
      /is not authorized to perform: redshift-data:DescribeStatement on resource: \*/,
    );
  });

  test('THEN without GetSecretValue on the admin secret, submitting fails', async () => {
    const role = withoutStatements(submitStatement.role, (statement) =>
      actionsOf(statement).includes('secretsmanager:GetSecretValue'),
    );
    const broken = withRole(deployment, role);
    await serve(broken);
    const error = await failure(
      lambdaClient(broken.functions.submitStatement).send(
        new ExecuteStatementCommand({ ...target(broken), Sql: 'SELECT 1' }),
      ),
    );
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toContain(
      `secretsmanager:GetSecretValue on resource: ${deployment.warehouse.adminSecretArn} because no identity-based policy allows`,
    );
  });

  test('THEN connecting without the secret needs temporary-credential rights the template does not grant', async () => {
    await serve(deployment);
    const withoutSecret = { ...target(deployment), SecretArn: undefined };
    const submit = lambdaClient(submitStatement);
    const asIdentity = await failure(
      submit.send(new ExecuteStatementCommand({ ...withoutSecret, Sql: 'SELECT 1' })),
    );
    expect(asIdentity.name).toBe('AccessDeniedException');
    expect(asIdentity.message).toContain(
      kind === 'serverless'
        ? `redshift-serverless:GetCredentials on resource: ${deployment.warehouse.dataApiResourceArn}`
        : `redshift:GetClusterCredentialsWithIAM on resource: ${deployment.warehouse.dataApiResourceArn.replace(':cluster:', ':dbname:')}/sparkify`,
    );
    if (kind === 'provisioned') {
      const asDbUser = await failure(
        submit.send(new ExecuteStatementCommand({ ...withoutSecret, DbUser: 'etl', Sql: 'SELECT 1' })),
      );
      expect(asDbUser.message).toContain(
        `redshift:GetClusterCredentials on resource: ${deployment.warehouse.dataApiResourceArn.replace(':cluster:', ':dbuser:')}/etl`,
      );
    }
  });

  test('THEN a warehouse other than the deployed one is denied', async () => {
    await serve(deployment);
    const other =
      kind === 'serverless' ? { WorkgroupName: 'someone-elses' } : { ClusterIdentifier: 'someone-elses' };
    const error = await failure(
      lambdaClient(submitStatement).send(
        new ExecuteStatementCommand({ ...other, Database: 'sparkify', Sql: 'SELECT 1' }),
      ),
    );
    expect(error.name).toBe('AccessDeniedException');
  });
});
