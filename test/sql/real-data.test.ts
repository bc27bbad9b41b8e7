import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LocalS3 } from '../../local/copy/local-s3';
import { LocalWarehouse } from '../../local/local-warehouse';
import { expectedWarehouse } from '../support/oracle';
import {
  TEST_LOCATIONS,
  WarehouseHarness,
  actualWarehouse,
  runFull,
  select,
  snapshotTables,
} from '../support/warehouse-harness';

// The real Udacity data sets, kept beside the repository (never in it). A clone without them skips
// this file; CI always has them.
const SHARED = join(__dirname, '..', '..', '..', 'shared', 'data');
const BUCKET = join(SHARED, 'udacity-dend');
const WORKSPACE = join(SHARED, 'udacity-workspace');
const describeWithData = existsSync(BUCKET) ? describe : describe.skip;

describeWithData('the real Udacity bucket copy', () => {
  const harness = new WarehouseHarness();
  let warehouse: LocalWarehouse;

  beforeAll(async () => {
    warehouse = await harness.warehouse(BUCKET);
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
    const reports = await runFull(warehouse);
    const gate = reports.find((report) => report.step === 'check_quality');
    expect(gate?.checks?.length).toBeGreaterThan(5);
    expect(gate?.checks?.every((check) => check.failingRows === 0)).toBe(true);
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

describeWithData('the 71-song workspace sample with the real logs', () => {
  const harness = new WarehouseHarness();
  afterAll(() => harness.close());

  test('loads from two buckets and matches the plays the rules match', async () => {
    const base = await harness.warehouse(BUCKET);
    const warehouse = new LocalWarehouse(
      base.engine,
      new LocalS3({ 'test-bucket': BUCKET, workspace: WORKSPACE }),
    );
    await runFull(warehouse, { ...TEST_LOCATIONS, song_data_uri: 's3://workspace/song_data' });

    const logsOnly = expectedWarehouse(BUCKET, 'log_data/', 'nothing/');
    const songs = expectedWarehouse(WORKSPACE, 'nothing/', 'song_data/');
    const actual = await actualWarehouse(warehouse);
    expect(actual.stagedSongs).toBe(71);
    expect(actual.songs.size).toBe(songs.songs.size);
    expect(actual.artists).toEqual(songs.artists);
    const matched = [...actual.songplays.values()].filter((play) => play.song_id !== null);
    expect(matched.length).toBeGreaterThan(0);
    expect(actual.songplays.size).toBe(logsOnly.songplays.size);
  });
});
