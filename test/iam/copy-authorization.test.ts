import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  RedshiftDataClient,
  type DescribeStatementResponse,
} from '@aws-sdk/client-redshift-data';
import { readDataLocations } from '../../contract/environment';
import { SQL_STEPS } from '../../lambda/shared/sql-steps';
import { renderStatements, type SqlParameters } from '../../lambda/shared/sql-template';
import type { LocalDeployment } from '../../local/cloud/local-deployment';
import { LocalS3, parseS3Uri } from '../../local/copy/local-s3';
import { startDataApiServer, type DataApiServer } from '../../local/data-api/server';
import { copyS3Authorizer } from '../../local/iam/copy-authorizer';
import { dataApiAuthorizer } from '../../local/iam/data-api-authorizer';
import { LocalSts } from '../../local/iam/sts';
import { LocalWarehouse } from '../../local/warehouse/local-warehouse';
import { play, TestBucket } from '../support/dataset';
import { WarehouseHarness } from '../support/warehouse-harness';
import {
  actionsOf,
  deployed,
  KINDS,
  withoutStatements,
  withRole,
  withStatements,
  type Kind,
} from './support';

/** The file's engine, with the deployment's data bucket standing on a test directory. */
class CopyHarness extends WarehouseHarness {
  async authorizedWarehouse(deployment: LocalDeployment, dir: string): Promise<LocalWarehouse> {
    const bucket = parseS3Uri(
      readDataLocations(deployment.functions.submitStatement.environment).song_data_uri,
    ).bucket;
    return new LocalWarehouse(
      await this.emptyEngine(),
      new LocalS3({ [bucket]: dir }, await copyS3Authorizer(deployment)),
    );
  }
}

const harness = new CopyHarness();
afterAll(() => harness.close());

let running: { server: DataApiServer; client: RedshiftDataClient; bucket: TestBucket } | undefined;
afterEach(async () => {
  if (!running) return;
  running.client.destroy();
  await running.server.close();
  running.bucket.cleanup();
  running = undefined;
});

/** The Data API, authorizing, with COPY authorized too; a client signing as the submit function. */
async function serve(deployment: LocalDeployment): Promise<RedshiftDataClient> {
  const bucket = new TestBucket()
    .song('TRAAAAA128F42A1B2C', { song_id: 'SOA', title: 'A', artist_id: 'AR1', artist_name: 'X' })
    .events('2018-11-02', [play({ song: 'A', artist: 'X' })]);
  const sts = new LocalSts(deployment.account);
  const server = await startDataApiServer({
    warehouse: await harness.authorizedWarehouse(deployment, bucket.dir),
    authorizer: dataApiAuthorizer(deployment, sts),
  });
  const submit = deployment.functions.submitStatement;
  const client = new RedshiftDataClient({
    endpoint: server.endpoint,
    region: deployment.region,
    credentials: sts.assumeRole(submit.role, submit.name),
    maxAttempts: 1,
  });
  running = { server, client, bucket };
  return client;
}

async function run(client: RedshiftDataClient, deployment: LocalDeployment, sqls: string[]) {
  const { warehouse } = deployment;
  const { Id } = await client.send(
    new BatchExecuteStatementCommand({
      ...(warehouse.kind === 'serverless'
        ? { WorkgroupName: warehouse.workgroupName }
        : { ClusterIdentifier: warehouse.clusterIdentifier }),
      Database: warehouse.database,
      SecretArn: warehouse.adminSecretArn,
      Sqls: sqls,
    }),
  );
  let description: DescribeStatementResponse;
  do {
    await new Promise((resolve) => setTimeout(resolve, 5));
    description = await client.send(new DescribeStatementCommand({ Id }));
  } while (!['FINISHED', 'FAILED', 'ABORTED'].includes(description.Status ?? ''));
  return description;
}

/** The pipeline's own staging SQL, with the deployment's locations and copy role. */
function stagingSql(deployment: LocalDeployment, iamRole?: string) {
  const locations = readDataLocations(deployment.functions.submitStatement.environment);
  const parameters: SqlParameters = {
    ...locations,
    ...(iamRole ? { iam_role: iamRole } : {}),
    run_id: 'r',
    max_errors: 0,
  };
  const plan = { reloadSongs: true } as Parameters<typeof SQL_STEPS.stage_songs.files>[0];
  return {
    create: renderStatements(
      SQL_STEPS.create_tables.files().filter((file) => file.name !== 'start_run.sql'),
      parameters,
    ),
    songs: renderStatements(SQL_STEPS.stage_songs.files(plan), parameters),
    events: renderStatements(SQL_STEPS.stage_events.files(), parameters),
  };
}

const copyRoleOf = (deployment: LocalDeployment) =>
  deployment.roles.get(deployment.warehouse.defaultIamRoleArn!)!;

describe.each(KINDS)('GIVEN COPY on the %s warehouse, authorized by the template', (kind: Kind) => {
  const deployment = deployed(kind);

  test('THEN the pipeline stages songs and events with the copy role', async () => {
    const client = await serve(deployment);
    const sql = stagingSql(deployment);
    expect((await run(client, deployment, sql.create)).Status).toBe('FINISHED');
    const songs = await run(client, deployment, sql.songs);
    const events = await run(client, deployment, sql.events);
    expect([songs.Status, songs.Error]).toEqual(['FINISHED', undefined]);
    expect([events.Status, events.Error]).toEqual(['FINISHED', undefined]);
    // DELETE, COPY, UPDATE: the COPY loaded the one object of each prefix
    expect(songs.SubStatements?.[1]?.ResultRows).toBe(1);
    expect(events.SubStatements?.[1]?.ResultRows).toBe(1);
  });

  test('THEN IAM_ROLE default reads as the default role', async () => {
    const client = await serve(deployment);
    const sql = stagingSql(deployment);
    await run(client, deployment, sql.create);
    const songs = await run(
      client,
      deployment,
      sql.songs.map((statement) => statement.replace(/IAM_ROLE '[^']+'/, 'IAM_ROLE default')),
    );
    expect(songs.Status).toBe('FINISHED');
  });

  test('THEN a role not attached to the warehouse cannot be assumed', async () => {
    const client = await serve(deployment);
    const notAttached = deployment.functions.submitStatement.role.arn;
    const sql = stagingSql(deployment, notAttached);
    await run(client, deployment, sql.create);
    const songs = await run(client, deployment, sql.songs);
    expect(songs.Status).toBe('FAILED');
    expect(songs.Error).toContain(
      kind === 'serverless'
        ? `Not authorized to get credentials of role ${notAttached}`
        : `is not authorized to assume IAM Role ${notAttached}`,
    );
  });

  test('THEN without GetObject on song_data, staging songs fails with S3 Access Denied', async () => {
    const role = withStatements(copyRoleOf(deployment), (statement) =>
      actionsOf(statement).includes('s3:GetObject')
        ? {
            ...statement,
            Resource: ([] as string[])
              .concat(statement.Resource ?? [])
              .filter((r) => !r.includes('song_data')),
          }
        : statement,
    );
    const broken = withRole(deployment, role);
    const client = await serve(broken);
    const sql = stagingSql(broken);
    await run(client, broken, sql.create);
    const songs = await run(client, broken, sql.songs);
    expect(songs.Status).toBe('FAILED');
    expect(songs.Error).toMatch(
      /S3ServiceException:Access Denied,Status 403,Error AccessDenied,Rid \w+,ExtRid \w+,CanRetry 1/,
    );
    expect(songs.Error).toContain(
      'S3 key being read : s3://udacity-dend/song_data/A/A/A/TRAAAAA128F42A1B2C.json',
    );
    expect((await run(client, broken, sql.events)).Status).toBe('FINISHED');
  });

  test('THEN without ListBucket, no COPY can list its prefix', async () => {
    const broken = withRole(
      deployment,
      withoutStatements(copyRoleOf(deployment), (statement) =>
        actionsOf(statement).includes('s3:ListBucket'),
      ),
    );
    const client = await serve(broken);
    const sql = stagingSql(broken);
    await run(client, broken, sql.create);
    const events = await run(client, broken, sql.events);
    expect(events.Status).toBe('FAILED');
    expect(events.Error).toContain('S3ServiceException:Access Denied,Status 403');
    expect(events.Error).toContain('context: Listing bucket=udacity-dend prefix=log_data');
  });

  test('THEN without GetObject on the JSONPaths file, staging events fails reading it', async () => {
    const role = withStatements(copyRoleOf(deployment), (statement) =>
      actionsOf(statement).includes('s3:GetObject')
        ? {
            ...statement,
            Resource: ([] as string[]).concat(statement.Resource ?? []).filter((r) => !r.endsWith('.json')),
          }
        : statement,
    );
    const broken = withRole(deployment, role);
    const client = await serve(broken);
    const sql = stagingSql(broken);
    await run(client, broken, sql.create);
    const events = await run(client, broken, sql.events);
    expect(events.Status).toBe('FAILED');
    expect(events.Error).toContain('S3 key being read : s3://udacity-dend/log_json_path.json');
  });
});
