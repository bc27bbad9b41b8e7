import type { LocalPipeline } from '../../local/execution/local-pipeline';
import { bucketPerTest, play, TestBucket } from '../support/dataset';
import { PipelineHarness, execute, select, onEngine, playTables } from '../support/warehouse-harness';

// The gates read the keys a run staged, plus what it could orphan, not all of history. A faulty
// merge is simulated with a PostgreSQL rule or a planted row, set on the engine directly (the
// Redshift bridge would rightly refuse a rule): the gates must still fail the run that breaks
// something, and must not read history the run did not touch.

const harness = new PipelineHarness();
afterAll(() => harness.close());

let bucket: TestBucket;
bucketPerTest((fresh) => (bucket = fresh));

const FIRST_DAY_PLAY = { userId: '1', sessionId: 10, itemInSession: 1, ts: Date.UTC(2018, 10, 1, 12) };
const SECOND_DAY_PLAYS = [
  { userId: '1', sessionId: 11, itemInSession: 1, ts: Date.UTC(2018, 10, 2, 12) },
  { userId: '2', sessionId: 20, itemInSession: 1, ts: Date.UTC(2018, 10, 2, 13) },
];

/** A warehouse holding the first day; the second day's file waits in the bucket. */
async function historyOfOneDay(): Promise<LocalPipeline> {
  bucket
    .unplayedSong()
    .events('2018-11-01', [play(FIRST_DAY_PLAY)])
    .events('2018-11-02', SECOND_DAY_PLAYS.map(play));
  const pipeline = await harness.pipeline(bucket.dir);
  await execute(pipeline, { mode: 'incremental', date: '2018-11-01', songs: true });
  return pipeline;
}

const loadSecondDay = (pipeline: LocalPipeline) =>
  execute(pipeline, { mode: 'incremental', date: '2018-11-02' });

describe('a run that breaks what it touched fails its gates and publishes nothing', () => {
  test.each([
    {
      fault: 'its play takes a songplay_id an older row of another key already has',
      sql: `INSERT INTO songplays (songplay_id, start_time, user_id, session_id, item_in_session)
            SELECT MD5('2-20-1'), start_time, user_id, 99, 99 FROM songplays`,
      failed: /songplays: duplicate songplay_id: 1 row\(s\)/,
    },
    {
      fault: 'its time merge loses one of its plays’ start times',
      sql: `CREATE RULE lose_a_time AS ON INSERT TO time
            WHERE NEW.start_time = TIMESTAMP '2018-11-02 13:00:00' DO INSTEAD NOTHING`,
      failed: /songplays: start_time not in time: 1 row\(s\)/,
    },
    {
      // User 1's older play, which the run did not stage, would be orphaned too.
      fault: 'its users merge deletes a user it does not put back',
      sql: 'CREATE RULE lose_user_1 AS ON INSERT TO users WHERE NEW.user_id = 1 DO INSTEAD NOTHING',
      failed: /users: staged user_id missing from users: 1 row\(s\)/,
    },
  ])('$fault', async ({ sql, failed }) => {
    const pipeline = await historyOfOneDay();
    await onEngine(pipeline, sql);
    const before = await playTables(pipeline);
    const run = loadSecondDay(pipeline);
    await expect(run).rejects.toMatchObject({ name: 'DataQualityCheckFailed' });
    await expect(run).rejects.toThrow(failed);
    expect(await playTables(pipeline)).toEqual(before);
  });
});

test('history outside the run’s keys is not read: an older duplicate and orphan do not fail a nightly run', async () => {
  const pipeline = await historyOfOneDay();
  // The first day's play twice, and a play of a user and a time the warehouse never had.
  await onEngine(
    pipeline,
    'INSERT INTO songplays SELECT * FROM songplays',
    `INSERT INTO songplays (songplay_id, start_time, user_id, session_id, item_in_session)
     VALUES (MD5('777-1-1'), TIMESTAMP '2000-01-01 00:00:00', 777, 1, 1)`,
  );
  await loadSecondDay(pipeline);
  const [run] = await select(pipeline, "SELECT run_id, status FROM etl_runs WHERE range_from = '2018-11-02'");
  expect(run?.status).toBe('SUCCEEDED');
  const failing = await select(
    pipeline,
    `SELECT check_name FROM etl_run_checks WHERE run_id = '${String(run?.run_id)}' AND failing_rows <> 0`,
  );
  expect(failing).toEqual([]);
  // The planted rows are still there: a whole-table gate would have failed on them.
  expect(await select(pipeline, 'SELECT COUNT(*) AS n FROM songplays WHERE user_id IN (1, 777)')).toEqual([
    { n: 4 },
  ]);
});
