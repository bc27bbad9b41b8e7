import type { CleanupResult } from '../../lambda/shared/stop-cleanup';
import { TestBucket, play } from '../support/dataset';
import { PipelineHarness, select } from '../support/warehouse-harness';

// The synthesized stop rule in the local run: an execution that ends ABORTED or FAILED raises its
// status change, the rule's pattern picks it, and the cleanup runs in its sandbox.

const harness = new PipelineHarness();
let bucket: TestBucket;
beforeEach(() => {
  bucket = new TestBucket().unplayedSong().events('2018-11-01', [play({ userId: '1' })]);
});
afterEach(() => bucket.cleanup());
afterAll(() => harness.close());

const auditOf = (pipeline: Awaited<ReturnType<PipelineHarness['pipeline']>>, runId: string) =>
  select(pipeline, `SELECT status, error FROM etl_runs WHERE run_id = '${runId}'`);

test('an execution stopped while staging ends ABORTED; the cleanup marks its run ABORTED and frees the lock', async () => {
  const pipeline = await harness.pipeline(bucket.dir);
  const stop = new AbortController();
  const outcome = await pipeline.execute(
    { mode: 'full' },
    {
      executionName: 'stopped-run',
      signal: stop.signal,
      onState: (state) => {
        if (state.name === 'stage_events: submit') stop.abort();
      },
    },
  );

  expect(outcome.status).toBe('ABORTED');
  const [delivery, ...others] = outcome.deliveries;
  expect(others).toEqual([]);
  expect(delivery?.targetArn).toBe(pipeline.deployment.functions.stopCleanup.arn);
  expect(delivery?.result).toMatchObject({
    runId: 'stopped-run',
    status: 'ABORTED',
    auditStatus: 'FINISHED',
  });
  expect(await auditOf(pipeline, 'stopped-run')).toEqual([
    {
      status: 'ABORTED',
      error: expect.stringMatching(/^Execution ABORTED: arn:aws:states:.*:stopped-run ended at/),
    },
  ]); // Stopped while holding the run lock (claimed before staging): the cleanup frees it.
  expect(await select(pipeline, 'SELECT COUNT(*) AS n FROM etl_run_lock')).toEqual([{ n: 0 }]);
});

test('a failed execution raises its status change too; the audit keeps what record_failure wrote', async () => {
  const pipeline = await harness.pipeline(bucket.dir);
  // A line that is not JSON fails stage_events, after the run claimed its audit row.
  bucket.write('log_data/2018/11/2018-11-02-events.json', '{"userId": "2"\nnot json');
  const outcome = await pipeline.execute(
    { mode: 'incremental', date: '2018-11-02' },
    { executionName: 'failed-run' },
  );
  expect(outcome.status).toBe('FAILED');
  const result = outcome.deliveries[0]?.result as CleanupResult;
  expect(result).toMatchObject({ status: 'FAILED', cancelled: [], auditStatus: 'FINISHED' });
  expect(await auditOf(pipeline, 'failed-run')).toEqual([
    { status: 'FAILED', error: expect.not.stringMatching(/^Execution FAILED/) },
  ]);
});

test('a succeeded execution matches no rule', async () => {
  const pipeline = await harness.pipeline(bucket.dir);
  const outcome = await pipeline.execute({ mode: 'full' }, { executionName: 'good-run' });
  expect(outcome).toMatchObject({ status: 'SUCCEEDED', deliveries: [] });
});
