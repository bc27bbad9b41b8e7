import { play, TestBucket } from '../support/dataset';
import { ExecutionFailed, PipelineHarness, execute, runFull, select } from '../support/warehouse-harness';

// A day with no log object is expected (a bucket that ends, a feed that skipped a day), and the
// deployment says what it means: `missingDays=fail` stops the run naming the days, `skip` loads the
// days there are and records the others. The days are found by listing the log location from the
// plan function, through the local S3 endpoint, as its role may.

const failing = new PipelineHarness();
const skipping = new PipelineHarness({ missingDays: 'skip' });
afterAll(async () => {
  await failing.close();
  await skipping.close();
});

let bucket: TestBucket;
beforeEach(() => {
  bucket = new TestBucket()
    .song('TRAAAAA128F42A1B2C', { song_id: 'SOA', title: 'Song', artist_id: 'AR1', artist_name: 'Artist' })
    .events('2018-11-01', [play({ userId: '1', ts: Date.UTC(2018, 10, 1, 12) })])
    .events('2018-11-03', [play({ userId: '3', ts: Date.UTC(2018, 10, 3, 12) })]);
});
afterEach(() => bucket.cleanup());

async function auditRow(pipeline: Awaited<ReturnType<PipelineHarness['pipeline']>>) {
  const [row] = await select(
    pipeline,
    'SELECT status, missing_days, events_staged FROM etl_runs ORDER BY run_seq DESC LIMIT 1',
  );
  return { status: row?.status, missing_days: row?.missing_days, events_staged: Number(row?.events_staged) };
}

describe('missingDays=fail (the default)', () => {
  test('a backfill with days that have no log object fails in the plan, naming them, before any SQL runs', async () => {
    const pipeline = await failing.pipeline(bucket.dir);
    const run = execute(pipeline, { mode: 'incremental', from: '2018-11-01', to: '2018-11-05' });
    await expect(run).rejects.toMatchObject({ name: 'NoLogData' });
    await expect(run).rejects.toThrow(
      /no log object for 3 day\(s\) of 2018-11-01\.\.2018-11-05 under s3:\/\/udacity-dend\/log_data: 2018-11-02, 2018-11-04\.\.2018-11-05\./,
    );
    await expect(run).rejects.toThrow(/-c missingDays=skip/);
    expect(await select(pipeline, "SELECT to_regclass('staging_events') AS t")).toEqual([{ t: null }]);
  });

  test('a day in a month with no log folder at all fails the same way', async () => {
    const pipeline = await failing.pipeline(bucket.dir);
    await runFull(pipeline);
    const run = execute(pipeline, { mode: 'incremental', date: '2018-12-01' });
    await expect(run).rejects.toThrow(
      /no log object for 1 day\(s\) of 2018-12-01\.\.2018-12-01 .*: 2018-12-01\./,
    );
  });

  test('a range whose every day has a log object runs as before', async () => {
    const pipeline = await failing.pipeline(bucket.dir);
    await runFull(pipeline);
    await execute(pipeline, { mode: 'incremental', date: '2018-11-03' });
    expect(await auditRow(pipeline)).toEqual({ status: 'SUCCEEDED', missing_days: null, events_staged: 1 });
  });
});

describe('missingDays=skip', () => {
  test('loads the days there are and records each missing day in the audit', async () => {
    const pipeline = await skipping.pipeline(bucket.dir);
    await runFull(pipeline);
    await select(pipeline, 'DELETE FROM songplays');
    await execute(pipeline, { mode: 'incremental', from: '2018-11-01', to: '2018-11-05' });
    expect(await auditRow(pipeline)).toEqual({
      status: 'SUCCEEDED',
      missing_days: '2018-11-02,2018-11-04,2018-11-05',
      events_staged: 2,
    });
    expect(await select(pipeline, 'SELECT user_id FROM songplays ORDER BY user_id')).toEqual([
      { user_id: 1 },
      { user_id: 3 },
    ]);
  });

  test('a range with no log object at all stages nothing and succeeds; a month prefix with no object is left out', async () => {
    const pipeline = await skipping.pipeline(bucket.dir);
    await runFull(pipeline);
    await execute(pipeline, { mode: 'incremental', date: '2018-12-25' });
    expect(await auditRow(pipeline)).toEqual({
      status: 'SUCCEEDED',
      missing_days: '2018-12-25',
      events_staged: 0,
    });
    // November (whole-month prefix, two days present) and December (no object at all).
    await execute(pipeline, { mode: 'incremental', from: '2018-11-01', to: '2018-12-31' });
    const audit = await auditRow(pipeline);
    expect(audit.events_staged).toBe(2);
    expect(String(audit.missing_days).split(',')).toHaveLength(61 - 2);
    expect(await select(pipeline, 'SELECT user_id FROM songplays ORDER BY user_id')).toEqual([
      { user_id: 1 },
      { user_id: 3 },
    ]);
  });
});

test('a failed plan is a plan error: ExecutionFailed carries NoLogData as the execution error', async () => {
  const pipeline = await failing.pipeline(bucket.dir);
  const error = await execute(pipeline, { mode: 'incremental', date: '2019-01-01' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ExecutionFailed);
  expect((error as ExecutionFailed).outcome.states.map((state) => state.name)).toEqual(['plan run']);
});

test('an audit table from before missing_days existed gets the column on the next run', async () => {
  const pipeline = await skipping.pipeline(bucket.dir);
  await runFull(pipeline);
  await select(pipeline, 'ALTER TABLE etl_runs DROP COLUMN missing_days');
  await execute(pipeline, { mode: 'incremental', from: '2018-11-01', to: '2018-11-02' });
  expect(await auditRow(pipeline)).toEqual({
    status: 'SUCCEEDED',
    missing_days: '2018-11-02',
    events_staged: 1,
  });
});
