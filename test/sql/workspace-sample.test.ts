import { join } from 'node:path';
import { expectedWarehouse } from '../support/oracle';
import { hasSharedData, SHARED_BUCKET as BUCKET, SHARED_DATA } from '../support/shared-data';
import { PipelineHarness, actualWarehouse, runFull } from '../support/warehouse-harness';

// The 71-song sample that shipped with the Udacity workspaces is not an S3 key layout of the real
// bucket, so it is configured as a second bucket: songs from it, logs from the bucket copy.
const WORKSPACE = join(SHARED_DATA, 'udacity-workspace');
const testWithData = hasSharedData(WORKSPACE, BUCKET) ? test : test.skip;

const harness = new PipelineHarness({ songDataUri: 's3://udacity-workspace/song_data' });
afterAll(() => harness.close());

testWithData('songs from a second bucket: plays match the sample by the same rules', async () => {
  const pipeline = await harness.pipeline(BUCKET);
  pipeline.warehouse.s3.mount('udacity-workspace', WORKSPACE);
  await runFull(pipeline);

  const logsOnly = expectedWarehouse(BUCKET, 'log_data/', 'nothing/');
  const songs = expectedWarehouse(WORKSPACE, 'nothing/', 'song_data/');
  const actual = await actualWarehouse(pipeline);
  expect(actual.stagedSongs).toBe(71);
  expect(actual.songs).toEqual(songs.songs);
  expect(actual.artists).toEqual(songs.artists);
  expect(actual.songplays.size).toBe(logsOnly.songplays.size);
  const matched = [...actual.songplays.values()].filter((play) => play.song_id !== null);
  expect(matched.length).toBeGreaterThan(0);
});
