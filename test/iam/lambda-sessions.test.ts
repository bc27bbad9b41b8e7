import { planRun, type RunPlan } from '../../contract/run-plan';
import type { StepName } from '../../contract/steps';
import type { LocalDeployment, LocalFunction } from '../../local/cloud/local-deployment';
import { LocalS3, parseS3Uri } from '../../local/copy/local-s3';
import { startDataApiServer, type DataApiServer } from '../../local/data-api/server';
import { copyS3Authorizer } from '../../local/iam/copy-authorizer';
import { dataApiAuthorizer } from '../../local/iam/data-api-authorizer';
import { lambdaCredentialsEnvironment, LocalSts } from '../../local/iam/sts';
import { LocalWarehouse } from '../../local/warehouse/local-warehouse';
import { play, TestBucket } from '../support/dataset';
import { WarehouseHarness } from '../support/warehouse-harness';
import { deployed, KINDS, withRole, withStatements, type Kind, type Statement } from './support';

type Handler = (event: unknown) => Promise<Record<string, unknown>>;

class AuthorizedHarness extends WarehouseHarness {
  async authorizedWarehouse(deployment: LocalDeployment, dir: string): Promise<LocalWarehouse> {
    const bucket = parseS3Uri(deployment.functions.submitStatement.environment.SONG_DATA_URI!).bucket;
    return new LocalWarehouse(
      await this.emptyEngine(),
      new LocalS3({ [bucket]: dir }, await copyS3Authorizer(deployment)),
    );
  }
}

const harness = new AuthorizedHarness();
afterAll(() => harness.close());

let running: { server: DataApiServer; bucket: TestBucket } | undefined;
afterEach(async () => {
  await running?.server.close();
  running?.bucket.cleanup();
  running = undefined;
});

/** Runs with process.env holding exactly what Lambda would give the function, then puts it back. */
async function withEnvironment<T>(environment: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, environment);
  try {
    return await work();
  } finally {
    for (const name of Object.keys(environment)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

/**
 * The real handler module, loaded fresh as a Lambda sandbox would load it: the deployment's
 * environment, credentials of the function's role for a session named after the function.
 */
async function lambda(fn: LocalFunction, entry: string, sts: LocalSts, endpoint: string, region: string) {
  const environment = {
    ...fn.environment,
    ...lambdaCredentialsEnvironment(sts, fn),
    AWS_REGION: region,
    AWS_ENDPOINT_URL_REDSHIFT_DATA: endpoint,
  };
  let handler!: Handler;
  await withEnvironment(environment, () =>
    jest.isolateModulesAsync(async () => {
      handler = ((await import(entry)) as { handler: Handler }).handler;
    }),
  );
  return (event: unknown) => withEnvironment(environment, () => handler(event));
}

async function pipelineFunctions(deployment: LocalDeployment) {
  const bucket = new TestBucket()
    .song('TRAAAAA128F42A1B2C', { song_id: 'SOA', title: 'A', artist_id: 'AR1', artist_name: 'X' })
    .events('2018-11-02', [play({ song: 'A', artist: 'X', userId: '7' })]);
  const sts = new LocalSts(deployment.account);
  const server = await startDataApiServer({
    warehouse: await harness.authorizedWarehouse(deployment, bucket.dir),
    authorizer: dataApiAuthorizer(deployment, sts),
  });
  running = { server, bucket };
  const { submitStatement, pollStatement } = deployment.functions;
  return {
    submit: await lambda(
      submitStatement,
      '../../lambda/submit-statement/index',
      sts,
      server.endpoint,
      deployment.region,
    ),
    poll: await lambda(
      pollStatement,
      '../../lambda/poll-statement/index',
      sts,
      server.endpoint,
      deployment.region,
    ),
  };
}

async function runStep(functions: { submit: Handler; poll: Handler }, step: StepName, plan: RunPlan) {
  const { statementId } = await functions.submit({ step, plan });
  for (let polls = 0; ; polls++) {
    const progress = await functions.poll({ step, statementId, polls });
    if (progress.finished) return progress;
  }
}

const FOLLOW_UP = 'redshift-data:DescribeStatement';

describe.each(KINDS)(
  "GIVEN the real handlers in their Lambda sessions, on the %s template's IAM",
  (kind: Kind) => {
    const deployment = deployed(kind);
    const plan = planRun({ mode: 'full' }, 'run-1');

    test('THEN submit and poll run the staging steps end to end, COPY included', async () => {
      const functions = await pipelineFunctions(deployment);
      for (const step of ['create_tables', 'stage_events', 'stage_songs'] as const) {
        expect(await runStep(functions, step, plan)).toMatchObject({ finished: true, status: 'FINISHED' });
      }
    });

    test('THEN with the follow-up actions scoped to ${aws:userid}, the first poll is denied as AWS would deny it', async () => {
      const role = withStatements(deployment.functions.submitStatement.role, (statement: Statement) =>
        ([] as string[]).concat(statement.Action ?? []).includes(FOLLOW_UP)
          ? {
              ...statement,
              Condition: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } },
            }
          : statement,
      );
      const functions = await pipelineFunctions(withRole(deployment, role));
      const { statementId } = await functions.submit({ step: 'create_tables', plan });
      await expect(functions.poll({ step: 'create_tables', statementId, polls: 0 })).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining(
          `assumed-role/${role.name}/${deployment.functions.pollStatement.name} is not authorized to perform: ${FOLLOW_UP}`,
        ) as string,
      });
    });
  },
);
