import type { LocalPipeline } from '../../local/execution/local-pipeline';
import { expectedWarehouse } from '../support/oracle';
import { hasSharedData, SHARED_BUCKET as BUCKET } from '../support/shared-data';
import {
  PipelineHarness,
  actualWarehouse,
  runFull,
  select,
  snapshotTables,
} from '../support/warehouse-harness';

// The real Udacity data sets, kept beside the repository (never in it). A clone without them skips
// this file; CI always has them.
const describeWithData = hasSharedData(BUCKET) ? describe : describe.skip;

describeWithData('the real Udacity bucket copy', () => {
  const harness = new PipelineHarness();
  let warehouse: LocalPipeline;

  beforeAll(async () => {
    warehouse = await harness.pipeline(BUCKET);
    await runFull(warehouse);
  });
  afterAll(() => harness.close());

  test('stages all 30 days of events and keeps every NextSong play', async () => {
    const actual = await actualWarehouse(warehouse);
    expect(actual.stagedEvents).toBe(8056);
    expect(actual.songplays.size).toBe(6820);
  });

  test('every star table equals what the rules derive from the raw files', async () => {
    const expected = expectedWarehouse(BUCKET);
    const actual = await actualWarehouse(warehouse);
    expect(actual.stagedEvents).toBe(expected.stagedEvents);
    expect(actual.stagedSongs).toBe(expected.stagedSongs);
    expect(actual.users).toEqual(expected.users);
    expect(actual.songs).toEqual(expected.songs);
    expect(actual.artists).toEqual(expected.artists);
    expect(actual.time).toEqual(expected.time);
    expect(actual.songplays).toEqual(expected.songplays);
  });

  test('the quality gates pass and a second run changes nothing', async () => {
    const before = await snapshotTables(warehouse);
    const { states } = await runFull(warehouse);
    const gate = states.findLast((state) => state.name === 'publish: poll')?.result as {
      checks?: { failingRows: number }[];
    };
    expect(gate.checks?.length).toBeGreaterThan(5);
    expect(gate.checks?.every((check) => check.failingRows === 0)).toBe(true);
    expect(await snapshotTables(warehouse)).toEqual(before);
  });

  test('plays match songs of the partial song copy by title and artist', async () => {
    const [row] = await select(warehouse, 'SELECT COUNT(song_id) AS matched FROM songplays');
    const expected = [...expectedWarehouse(BUCKET).songplays.values()].filter(
      (play) => play.song_id !== null,
    );
    expect(row?.matched).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(0);
  });
});
