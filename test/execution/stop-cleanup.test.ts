import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  type DescribeStatementResponse,
} from '@aws-sdk/client-redshift-data';
import { planRun } from '../../contract/run-plan';
import type { StepFailure } from '../../lambda/shared/sql-steps';
import type { CleanupResult } from '../../lambda/shared/stop-cleanup';
import type { LocalDeployment } from '../../local/cloud/local-deployment';
import { startDataApiServer, type DataApiServer } from '../../local/data-api/server';
import { lambdaBundles } from '../../local/execution/lambda-bundles';
import { LocalLambda } from '../../local/execution/lambda-sandbox';
import { localFunctions } from '../../local/execution/local-pipeline';
import { dataApiAuthorizer } from '../../local/iam/data-api-authorizer';
import { LocalSts } from '../../local/iam/sts';
import { TestBucket } from '../support/dataset';
import { WarehouseHarness } from '../support/warehouse-harness';
import { deployed } from '../iam/support';

// The stop cleanup as Lambda runs it: its bundle in a sandbox, with the statement role's
// credentials in its own session, against the local Data API authorizing on the synthesized
// policies. The run's statements are the submit function's, as on AWS.

const harness = new WarehouseHarness();
const deployment: LocalDeployment = deployed('serverless');
const RUN = 'run-stopped';

let bucket: TestBucket;
let server: DataApiServer;
let submit: LocalLambda;
let cleanup: LocalLambda;
/** Signs as the submit function's session. */
let submitter: RedshiftDataClient;

beforeEach(async () => {
  bucket = new TestBucket();
  const sts = new LocalSts(deployment.account);
  server = await startDataApiServer({
    warehouse: await harness.warehouse(bucket.dir),
    authorizer: dataApiAuthorizer(deployment, sts),
  });
  const bundles = await lambdaBundles();
  const functions = localFunctions(deployment, sts, { redshiftData: server.endpoint });
  const sandbox = (key: 'submitStatement' | 'stopCleanup') => {
    const fn = functions.find((candidate) => candidate.key === key)!;
    return new LocalLambda(fn, bundles.runtime, bundles.functions[key]);
  };
  submit = sandbox('submitStatement');
  cleanup = sandbox('stopCleanup');
  const { submitStatement } = deployment.functions;
  submitter = new RedshiftDataClient({
    endpoint: server.endpoint,
    region: deployment.region,
    credentials: sts.assumeRole(submitStatement.role, submitStatement.name),
    maxAttempts: 1,
  });
});

afterEach(async () => {
  submitter.destroy();
  await Promise.all([submit.close(), cleanup.close()]);
  await server.close();
  bucket.cleanup();
});
afterAll(() => harness.close());

const TARGET = {
  WorkgroupName: deployment.warehouse.kind === 'serverless' ? deployment.warehouse.workgroupName : '',
  Database: deployment.warehouse.database,
  SecretArn: deployment.warehouse.adminSecretArn,
};

async function described(id: string, until: (status: string) => boolean): Promise<DescribeStatementResponse> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const description = await submitter.send(new DescribeStatementCommand({ Id: id }));
    if (until(description.Status ?? '')) return description;
    if (Date.now() > deadline) throw new Error(`${id} is still ${description.Status}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ended = (id: string) => described(id, (status) => ['FINISHED', 'FAILED', 'ABORTED'].includes(status));

/** A step of the run, submitted by the real submit function, run to its end. */
async function step(
  name: 'create_tables' | 'claim_run' | 'record_failure',
  failure?: StepFailure,
): Promise<void> {
  const plan = planRun({ mode: 'full' }, RUN);
  const { statementId } = (await submit.invoke({ step: name, plan, failure })) as { statementId: string };
  expect((await ended(statementId)).Status).toBe('FINISHED');
}

interface AuditRow {
  readonly status: string;
  readonly error: string;
  readonly finishedAt: string;
}

async function auditRows(): Promise<AuditRow[]> {
  const { Id } = await submitter.send(
    new ExecuteStatementCommand({
      ...TARGET,
      Sql: `SELECT status, COALESCE(error, '') AS error, COALESCE(CAST(finished_at AS VARCHAR), '') AS finished_at FROM etl_runs WHERE run_id = '${RUN}'`,
    }),
  );
  const { Status, Error } = await ended(Id!);
  expect({ Status, Error }).toEqual({ Status: 'FINISHED' });
  const { Records = [] } = await submitter.send(new GetStatementResultCommand({ Id }));
  return Records.map(([status, error, finishedAt]) => ({
    status: status!.stringValue!,
    error: error!.stringValue!,
    finishedAt: finishedAt!.stringValue!,
  }));
}

function statusChange(status: 'ABORTED' | 'TIMED_OUT' | 'FAILED', stopDate = Date.now()) {
  const executionArn = `arn:aws:states:${deployment.region}:${deployment.account}:execution:${deployment.stateMachine.name}:${RUN}`;
  return {
    version: '0',
    id: 'f5b1b5b0-0000-4000-8000-000000000000',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: deployment.account,
    time: new Date(stopDate).toISOString(),
    region: deployment.region,
    resources: [executionArn],
    detail: {
      executionArn,
      stateMachineArn: deployment.stateMachine.arn,
      name: RUN,
      status,
      startDate: stopDate - 60_000,
      stopDate,
      input: '{"mode":"full"}',
      output: null,
      error: null,
      cause: null,
    },
  };
}

test("GIVEN a run stopped mid-step WHEN the cleanup runs THEN the step's statement ends ABORTED, the run reads ABORTED, and a second delivery changes nothing", async () => {
  await step('create_tables');
  await step('claim_run');
  const { Id } = await submitter.send(
    new BatchExecuteStatementCommand({
      ...TARGET,
      Sqls: ['SELECT 1', 'SELECT pg_sleep(2)'],
      StatementName: `sparkify-${RUN}-stage_events`,
    }),
  );
  await described(Id!, (status) => status === 'STARTED');
  const event = statusChange('ABORTED');

  const first = (await cleanup.invoke(event)) as CleanupResult;
  expect(first).toEqual({
    runId: RUN,
    status: 'ABORTED',
    cancelled: [Id],
    auditStatementId: expect.any(String) as unknown,
    auditStatus: 'FINISHED',
  });
  expect((await ended(Id!)).Status).toBe('ABORTED');
  const [row] = await auditRows();
  expect(row).toMatchObject({
    status: 'ABORTED',
    error: expect.stringMatching(/^Execution ABORTED: arn:aws:states:/) as unknown,
  });
  expect(row?.finishedAt).not.toBe('');

  const second = (await cleanup.invoke(event)) as CleanupResult;
  expect(second).toMatchObject({ cancelled: [], auditStatus: 'FINISHED' });
  expect(await auditRows()).toEqual([row]);
});

test('GIVEN a failed run that record_failure marked WHEN the cleanup runs for FAILED THEN the audit keeps its error', async () => {
  await step('create_tables');
  await step('claim_run');
  await step('record_failure', { Error: 'StatementFailed', Cause: 'stage_events: ERROR: boom' });
  const [marked] = await auditRows();
  expect(marked).toMatchObject({ status: 'FAILED', error: 'StatementFailed: stage_events: ERROR: boom' });

  expect(await cleanup.invoke(statusChange('FAILED'))).toMatchObject({
    cancelled: [],
    auditStatus: 'FINISHED',
  });
  expect(await auditRows()).toEqual([marked]);
});

test('GIVEN a run that timed out before its first create_tables WHEN the cleanup runs THEN it succeeds and records nothing', async () => {
  expect(await cleanup.invoke(statusChange('TIMED_OUT'))).toMatchObject({
    status: 'TIMED_OUT',
    cancelled: [],
    auditStatus: 'FINISHED',
  });
  expect(await auditRows()).toEqual([]);
});
