import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../lib/app';
import { ETL_FUNCTION_ENTRIES, ETL_FUNCTION_KEYS } from '../../contract/functions';
import { lambdaBundles } from '../../local/execution/lambda-bundles';
import { localFunctions } from '../../local/execution/local-pipeline';
import { localDeployment } from '../../local/cloud/local-deployment';
import { LocalSts } from '../../local/iam/sts';
import { bucketPerTest, TestBucket, play } from '../support/dataset';
import { ExecutionFailed, PipelineHarness, execute, runFull, select } from '../support/warehouse-harness';

const harness = new PipelineHarness();
let bucket: TestBucket;
bucketPerTest(
  (fresh) =>
    (bucket = fresh.unplayedSong().events('2018-11-01', [play({ userId: '1' }), play({ userId: '2' })])),
);
afterAll(() => harness.close());

test('an execution visits the synthesized states in pipeline order and succeeds', async () => {
  const pipeline = await harness.pipeline(bucket.dir);
  const { states } = await runFull(pipeline);
  const steps = states
    .filter((state) => state.type === 'Task' && state.name.endsWith(': submit'))
    .map((state) => state.name.replace(': submit', ''));
  expect(steps.slice(0, 2)).toEqual(['create_tables', 'claim_run']);
  expect(steps.slice(2, 4).sort()).toEqual(['stage_events', 'stage_songs']);
  expect(steps.slice(4)).toEqual(['publish']);
  expect(states[0]?.name).toBe('plan run');
  expect(states.at(-1)?.name).toBe('pipeline succeeded');
});

test('invalid input fails the first state, saying what is wrong, before any SQL runs', async () => {
  const pipeline = await harness.pipeline(bucket.dir);
  const failure = execute(pipeline, { mode: 'incremental', date: '2018-13-01' });
  await expect(failure).rejects.toMatchObject({ name: 'InvalidInput' });
  await expect(failure).rejects.toThrow(/"date" must be a calendar date like 2018-11-12, got "2018-13-01"/);
  await failure.catch((error: ExecutionFailed) => {
    // As Step Functions shows a Lambda error: the runtime's error document, as JSON, is the cause.
    const document = JSON.parse(error.outcome.cause) as Record<string, unknown>;
    expect(document).toEqual({
      errorType: 'InvalidInput',
      errorMessage: expect.stringContaining('"date" must be a calendar date'),
      trace: expect.arrayContaining([expect.stringMatching(/^InvalidInput: "date" must be/)]),
    });
    expect(error.outcome.states.filter((state) => state.type === 'Task').map((state) => state.name)).toEqual([
      'plan run',
    ]);
  });
  expect(await select(pipeline, "SELECT to_regclass('songplays') AS t")).toEqual([{ t: null }]);
});

test("bad SQL fails the execution at that step with the database's error; earlier steps' tables stay, nothing is published", async () => {
  const pipeline = await harness.pipeline(bucket.dir);
  // A songplays table of another shape: CREATE … IF NOT EXISTS keeps it, the merge into it fails.
  await pipeline.warehouse.run(['CREATE TABLE songplays (songplay_id CHAR(32), user_id INTEGER)']);
  const failure = runFull(pipeline);
  await expect(failure).rejects.toMatchObject({ name: 'StatementFailed' });
  await expect(failure).rejects.toThrow(
    /^publish FAILED in statement \d+ of \d+: ERROR: column .* does not exist/,
  );
  await failure.catch((error: ExecutionFailed) => {
    const failed = error.outcome.states.find((state) => state.outcome === 'failed');
    expect(failed?.name).toBe('publish: poll');
    expect(error.outcome.states.map((state) => state.name)).toContain('record_failure: poll');
  });
  expect(await select(pipeline, 'SELECT COUNT(*) AS n FROM staging_events')).toEqual([{ n: 2 }]);
  expect(await select(pipeline, 'SELECT COUNT(*) AS n FROM users')).toEqual([{ n: 0 }]);
  expect(await select(pipeline, 'SELECT COUNT(*) AS n FROM songplays')).toEqual([{ n: 0 }]);
  expect(await select(pipeline, 'SELECT COUNT(*) AS n FROM etl_run_lock')).toEqual([{ n: 0 }]);
  // The audit reads the caught Cause, the runtime's error document, for its message, as on AWS.
  expect(await select(pipeline, 'SELECT status, error FROM etl_runs')).toEqual([
    {
      status: 'FAILED',
      error: expect.stringMatching(/^StatementFailed: publish FAILED in statement \d+ of \d+: ERROR: column/),
    },
  ]);
});

test("each function's sandbox loads the bundle the CDK builds from its entry, SQL and AWS SDK inside", async () => {
  const bundles = await lambdaBundles();
  // The pipeline's own SQL: sql/analytics/ holds the report's queries, which no Lambda runs.
  const sqlFiles = readdirSync(join(__dirname, '..', '..', 'sql'))
    .filter((file) => file.endsWith('.sql'))
    .map((file) => `sql/${file}`);
  for (const key of ETL_FUNCTION_KEYS) {
    expect(bundles.inputs[key]).toContain(ETL_FUNCTION_ENTRIES[key]);
    // Source-mapped, as deployed with --enable-source-maps.
    expect(existsSync(`${bundles.functions[key]}.map`)).toBe(true);
  }
  // The .sql loader: every SQL file is inside a bundle that submits statements.
  expect([...bundles.inputs.submitStatement, ...bundles.inputs.stopCleanup]).toEqual(
    expect.arrayContaining(sqlFiles),
  );
  expect(bundles.inputs.stopCleanup).toContain('sql/record_stop.sql');
  // bundleAwsSDK: the Data API client is bundled, not taken from the Lambda runtime.
  for (const key of ['submitStatement', 'pollStatement', 'stopCleanup'] as const) {
    expect(bundles.inputs[key]).toContainEqual(
      expect.stringMatching(/node_modules\/@aws-sdk\/client-redshift-data\//),
    );
  }
});

test('each function gets its own environment, every variable the template gives it, and its timeout', () => {
  const built = buildApp({ context: {}, bundle: false });
  const { stack } = built;
  const deployment = localDeployment(built);
  const sts = new LocalSts(deployment.account);
  const resources = Template.fromStack(stack).toJSON().Resources as Record<
    string,
    { Properties: { Timeout: number; Environment?: { Variables?: object } } }
  >;
  const functions = localFunctions(deployment, sts, { redshiftData: 'http://127.0.0.1:1' });
  for (const fn of functions) {
    const cfn = stack.functions[fn.key].node.defaultChild as CfnFunction;
    const deployed = resources[stack.getLogicalId(cfn)]!.Properties;
    expect(Object.keys(fn.environment)).toEqual(
      expect.arrayContaining(Object.keys(deployed.Environment?.Variables ?? {})),
    );
    expect(fn.environment.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(fn.timeoutSeconds).toBe(deployed.Timeout);
    // Lambda names the role session after the function.
    expect(sts.principalOf(fn.environment.AWS_ACCESS_KEY_ID!)).toMatchObject({
      sessionName: fn.name,
      roleArn: deployment.functions[fn.key].role.arn,
    });
  }
  const byKey = Object.fromEntries(functions.map((fn) => [fn.key, fn]));
  expect(Object.fromEntries(functions.map((fn) => [fn.key, fn.timeoutSeconds]))).toEqual({
    planRun: 10,
    submitStatement: 30,
    pollStatement: 30,
    stopCleanup: 120,
  });
  // planRun reads no warehouse settings, so its sandbox has none.
  expect(byKey.planRun?.environment).not.toHaveProperty('SECRET_ARN');
  expect(byKey.pollStatement?.environment).not.toHaveProperty('COPY_ROLE_ARN');
});

test('two pipelines in one process, at once, each talk to their own endpoint and see only their data', async () => {
  const other = new PipelineHarness();
  const otherBucket = new TestBucket().unplayedSong().events('2018-11-01', [play({ userId: '7' })]);
  try {
    const [first, second] = [await harness.pipeline(bucket.dir), await other.pipeline(otherBucket.dir)];
    await Promise.all([runFull(first), runFull(second)]);
    expect(await select(first, 'SELECT user_id FROM users ORDER BY user_id')).toEqual([
      { user_id: 1 },
      { user_id: 2 },
    ]);
    expect(await select(second, 'SELECT user_id FROM users ORDER BY user_id')).toEqual([{ user_id: 7 }]);
  } finally {
    await other.close();
    otherBucket.cleanup();
  }
});
