import type { LocalDeployment } from '../../local/cloud/local-deployment';
import { LocalPipeline } from '../../local/execution/local-pipeline';
import type { ExecutionOutcome } from '../../local/execution/local-execution';
import { causeMessage } from '../../contract/errors';
import { play, bucketPerTest, TestBucket } from '../support/dataset';
import { select, TEST_POLL_INTERVAL_MS, WarehouseHarness } from '../support/warehouse-harness';
import { actionsOf, withRole, withStatements, withoutStatements, type Statement } from './support';

// The whole pipeline, as `npm run local` runs it, on a stack whose template lost one statement:
// the execution fails where AWS would fail it, with the error AWS would give.

class AmendedPipelines extends WarehouseHarness {
  readonly started: LocalPipeline[] = [];

  async start(dataDir: string, amend: (deployment: LocalDeployment) => LocalDeployment) {
    const pipeline = await LocalPipeline.start({
      engine: await this.emptyEngine(),
      dataDir,
      amend,
      waitMs: TEST_POLL_INTERVAL_MS,
    });
    this.started.push(pipeline);
    return pipeline;
  }

  override async close(): Promise<void> {
    for (const pipeline of this.started) await pipeline.close();
    await super.close();
  }
}

const harness = new AmendedPipelines();
let bucket: TestBucket;
bucketPerTest(
  (fresh) =>
    (bucket = fresh
      .song('TRAAAAA128F42A1B2C', { song_id: 'SOA', title: 'Song', artist_id: 'AR1', artist_name: 'Artist' })
      .events('2018-11-01', [play({ userId: '1' })])),
);
afterAll(() => harness.close());

const resources = (statement: Statement) => ([] as string[]).concat(statement.Resource ?? []);

async function failedRun(amend: (deployment: LocalDeployment) => LocalDeployment) {
  const pipeline = await harness.start(bucket.dir, amend);
  const outcome = await pipeline.execute({ mode: 'full' });
  expect(outcome.status).toBe('FAILED');
  return { pipeline, outcome: outcome as Extract<ExecutionOutcome, { status: 'FAILED' }> };
}

const failedStates = (outcome: ExecutionOutcome) =>
  outcome.states
    .filter((state) => state.outcome === 'failed' || state.outcome === 'caught')
    .map((s) => s.name);

test('without s3:GetObject on song_data, stage_songs fails with S3 access denied and no song is staged', async () => {
  const { pipeline, outcome } = await failedRun((deployment) => {
    const copyRole = deployment.roles.get(
      deployment.warehouse.defaultIamRoleArn ?? deployment.warehouse.iamRoleArns[0]!,
    )!;
    return withRole(
      deployment,
      withStatements(copyRole, (statement) =>
        actionsOf(statement).includes('s3:GetObject')
          ? {
              ...statement,
              Resource: resources(statement).filter((resource) => !resource.includes('song_data')),
            }
          : statement,
      ),
    );
  });
  expect(outcome.error).toBe('StatementFailed');
  expect(causeMessage(outcome.cause)).toMatch(
    /^stage_songs FAILED.*S3ServiceException:Access Denied,Status 403/s,
  );
  expect(causeMessage(outcome.cause)).toContain('song_data');
  expect(failedStates(outcome)).toContain('stage_songs: poll');
  expect(await select(pipeline, 'SELECT COUNT(*) AS n FROM staging_songs')).toEqual([{ n: 0 }]);
  expect(await select(pipeline, 'SELECT status FROM etl_runs')).toEqual([{ status: 'FAILED' }]);
});

test('without DescribeStatement for the statement role, the first poll is denied', async () => {
  const { outcome } = await failedRun((deployment) =>
    withRole(
      deployment,
      withoutStatements(deployment.functions.pollStatement.role, (statement) =>
        actionsOf(statement).includes('redshift-data:DescribeStatement'),
      ),
    ),
  );
  expect(outcome.error).toBe('AccessDeniedException');
  expect(causeMessage(outcome.cause)).toMatch(
    /is not authorized to perform: redshift-data:DescribeStatement on resource: \*/,
  );
  expect(failedStates(outcome)[0]).toBe('create_tables: poll');
});

test('without lambda:InvokeFunction on the poll function, its Task fails as Step Functions reports it', async () => {
  const { outcome } = await failedRun((deployment) => {
    const poll = deployment.functions.pollStatement.arn;
    return withRole(
      deployment,
      withStatements(deployment.stateMachine.role, (statement) =>
        resources(statement).some((resource) => resource.startsWith(poll))
          ? { ...statement, Resource: resources(statement).filter((resource) => !resource.startsWith(poll)) }
          : statement,
      ),
    );
  });
  expect(outcome.error).toBe('Lambda.AWSLambdaException');
  expect(outcome.cause).toMatch(/is not authorized to perform: lambda:InvokeFunction .*Status Code: 403/);
  expect(failedStates(outcome)[0]).toBe('create_tables: poll');
});
