import { parseArgs } from 'node:util';
import { LocalS3, parseS3Uri } from './copy/local-s3';
import { openEngine } from './engine/open-engine';
import { LocalWarehouse } from './local-warehouse';
import { countRows, runPipeline } from './run-pipeline';
import { planRun } from '../lambda/shared/run-plan';
import type { DataLocations } from '../lambda/shared/environment';

const DEFAULT_LOCATIONS: DataLocations = {
  song_data_uri: 's3://udacity-dend/song_data',
  log_data_uri: 's3://udacity-dend/log_data',
  log_jsonpath_uri: 's3://udacity-dend/log_json_path.json',
  data_region: 'us-west-2',
  iam_role: 'arn:aws:iam::000000000000:role/local-copy-role',
};

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      database: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.data) throw new Error('--data DIR is required for now');
  const buckets = Object.fromEntries(
    [DEFAULT_LOCATIONS.song_data_uri, DEFAULT_LOCATIONS.log_data_uri].map((uri) => [
      parseS3Uri(uri).bucket,
      values.data!,
    ]),
  );
  const engine = await openEngine(values.database);
  const warehouse = new LocalWarehouse(engine, new LocalS3(buckets));
  try {
    const reports = await runPipeline(warehouse, DEFAULT_LOCATIONS, planRun({}, 'local'), (report) =>
      console.log(
        `${report.step.padEnd(16)} ${report.durationMs.toFixed(0).padStart(7)} ms  rows ${report.rowsAffected.join(', ')}`,
      ),
    );
    console.log(await countRows(warehouse));
    void reports;
  } finally {
    await engine.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
