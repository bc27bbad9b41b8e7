import type { LocalPipeline } from '../../local/execution/local-pipeline';
import { bucketPerTest, play, TestBucket } from '../support/dataset';
import { DAY, DAY_PLAYS, FIRST_DAY } from '../support/two-days';
import { PipelineHarness, execute, select, onEngine, playTables } from '../support/warehouse-harness';

// The publish step builds the run's users and plays once, in temporary tables
// (sql/collect_run_users.sql, sql/collect_run_plays.sql), which live as long as the step's session. A
// failed publish must leave nothing of them behind, so the same day run again builds them afresh
// and publishes exactly what a first clean run would.

const harness = new PipelineHarness();
afterAll(() => harness.close());

let bucket: TestBucket;
bucketPerTest((fresh) => (bucket = fresh));

// The same event staged twice: one play.
const PLAYS = [...DAY_PLAYS, DAY_PLAYS[2]];

const load = (pipeline: LocalPipeline, date: string) =>
  execute(pipeline, { mode: 'incremental', date, songs: true });

test('a publish that fails after building the run’s users and plays leaves neither behind; the day again publishes as a clean run', async () => {
  bucket
    .unplayedSong()
    .events(FIRST_DAY, [play({ userId: '1', sessionId: 10, itemInSession: 1 })])
    .events(DAY, PLAYS.map(play));
  const clean = await harness.pipeline(bucket.dir);
  await load(clean, FIRST_DAY);
  await load(clean, DAY);
  const published = await playTables(clean);
  expect(published.songplays).toHaveLength(4);

  const pipeline = await harness.pipeline(bucket.dir);
  await load(pipeline, FIRST_DAY);
  // The time merge loses a play's time, so the gates fail the step after run_plays was filled.
  await onEngine(
    pipeline,
    `CREATE RULE lose_a_time AS ON INSERT TO time
     WHERE NEW.start_time = TIMESTAMP '2018-11-02 13:00:00' DO INSTEAD NOTHING`,
  );
  await expect(load(pipeline, DAY)).rejects.toThrow(/songplays: start_time not in time: 1 row\(s\)/);
  expect(
    await select(
      pipeline,
      "SELECT to_regclass('run_users') AS run_users, to_regclass('run_plays') AS run_plays",
    ),
  ).toEqual([{ run_users: null, run_plays: null }]);

  await onEngine(pipeline, 'DROP RULE lose_a_time ON time');
  await load(pipeline, DAY);
  expect(await playTables(pipeline)).toEqual(published);
  const runs = await select(
    pipeline,
    `SELECT status, songplays_merged, time_rows_merged FROM etl_runs WHERE range_from = '${DAY}' ORDER BY run_seq`,
  );
  expect(runs).toEqual([
    { status: 'FAILED', songplays_merged: null, time_rows_merged: null },
    { status: 'SUCCEEDED', songplays_merged: 3, time_rows_merged: 3 },
  ]);
});
