import { play, TestBucket } from '../support/dataset';
import { PipelineHarness, execute, select } from '../support/warehouse-harness';

// An incremental run on a warehouse whose song catalogue is empty (a first run that was a day, not
// a full load) would match none of its plays. It loads the catalogue as `"songs": true` would, and
// says so: a state of its own in the execution, and songs_reloaded in the audit.

const harness = new PipelineHarness();
afterAll(() => harness.close());

const LOADING = 'claim_run: song catalogue is empty, loading it';
let bucket: TestBucket;
beforeEach(() => {
  bucket = new TestBucket()
    .song('TRAAAAA128F42A1B2C', { song_id: 'SOA', title: 'Song', artist_id: 'AR1', artist_name: 'Artist' })
    .events('2018-11-01', [play({ userId: '1', song: 'Song', artist: 'Artist', length: 200 })])
    .events('2018-11-02', [play({ userId: '2', song: 'Song', artist: 'Artist', length: 200 })]);
});
afterEach(() => bucket.cleanup());

const lastAudit = async (pipeline: Awaited<ReturnType<PipelineHarness['pipeline']>>) =>
  (
    await select(pipeline, 'SELECT songs_reloaded, songs_merged FROM etl_runs ORDER BY run_seq DESC LIMIT 1')
  )[0];

test('the first incremental run on an empty catalogue loads it, matches its plays, and says so', async () => {
  const pipeline = await harness.pipeline(bucket.dir);
  const { states } = await execute(pipeline, { mode: 'incremental', date: '2018-11-01' });
  expect(states.map((state) => state.name)).toContain(LOADING);
  expect(await select(pipeline, 'SELECT song_id, artist_id FROM songplays')).toEqual([
    { song_id: 'SOA', artist_id: 'AR1' },
  ]);
  expect(await lastAudit(pipeline)).toMatchObject({ songs_reloaded: true });
  expect(Number((await lastAudit(pipeline))?.songs_merged)).toBe(1);
});

test('once the catalogue has songs, an incremental run leaves it alone', async () => {
  const pipeline = await harness.pipeline(bucket.dir);
  await execute(pipeline, { mode: 'incremental', date: '2018-11-01' });
  const { states } = await execute(pipeline, { mode: 'incremental', date: '2018-11-02' });
  expect(states.map((state) => state.name)).not.toContain(LOADING);
  expect(await lastAudit(pipeline)).toMatchObject({ songs_reloaded: false });
  expect(Number((await lastAudit(pipeline))?.songs_merged)).toBe(0);
  expect(
    Number((await select(pipeline, "SELECT COUNT(*) AS n FROM songplays WHERE song_id = 'SOA'"))[0]?.n),
  ).toBe(2);
});
