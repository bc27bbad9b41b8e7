import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { DataLocations } from '../lambda/shared/environment';
import { planRun } from '../lambda/shared/run-plan';
import { LocalS3, parseS3Uri } from './copy/local-s3';
import { openEngine } from './engine/open-engine';
import { LocalWarehouse } from './local-warehouse';
import { generateDataset } from './generator';
import { formatCount, formatDuration, rowCountTable } from './report';
import { countRows, runPipeline, type StepReport } from './run-pipeline';

const USAGE = `usage: npm run local -- [--data DIR] [--database URL] [--json]

  --data DIR        an S3-layout directory standing in for the data bucket
                    (DIR/song_data/…, DIR/log_data/…, DIR/log_json_path.json);
                    default: a deterministic data set generated for this run
  --database URL    postgres://user:password@host:port/db, or pglite:DIR to keep a PGlite
                    database on disk; default: PGlite in memory
  --json            print one JSON object with counts and step timings as the last line`;

// Where the deployed pipeline reads its data; locally, DIR stands in for that bucket.
const LOCATIONS: DataLocations = {
  song_data_uri: 's3://udacity-dend/song_data',
  log_data_uri: 's3://udacity-dend/log_data',
  log_jsonpath_uri: 's3://udacity-dend/log_json_path.json',
  data_region: 'us-west-2',
  iam_role: 'arn:aws:iam::000000000000:role/local-copy-role',
};

function describeStep(report: StepReport): string {
  if (report.checks) return `${report.checks.length} checks passed`;
  if (report.step.startsWith('stage_')) {
    return `${formatCount(report.rowsLoaded)} rows loaded, ${formatCount(report.rowsRejected)} rejected`;
  }
  return `rows per statement: ${report.rowsAffected.map(formatCount).join(' · ')}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      database: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  const generated =
    values.data === undefined ? mkdtempSync(join(tmpdir(), 'sparkify-dwh-sample-')) : undefined;
  const dataDir = values.data === undefined ? generated! : resolve(values.data);
  const engine = await openEngine(values.database);
  try {
    console.log(`engine  ${engine.description}`);
    if (generated) {
      const summary = generateDataset({ outDir: dataDir });
      console.log(
        `data    ${dataDir} (generated: ${formatCount(summary.events)} events, ${formatCount(summary.songs)} songs)`,
      );
    } else {
      console.log(`data    ${dataDir}`);
    }
    const buckets = Object.fromEntries(
      [LOCATIONS.song_data_uri, LOCATIONS.log_data_uri].map((uri) => [parseS3Uri(uri).bucket, dataDir]),
    );
    const warehouse = new LocalWarehouse(engine, new LocalS3(buckets));
    const steps = await runPipeline(warehouse, LOCATIONS, planRun({}, `local-${Date.now()}`), (report) =>
      console.log(
        `  ✓ ${report.step.padEnd(16)} ${formatDuration(report.durationMs).padStart(9)}   ${describeStep(report)}`,
      ),
    );
    const counts = await countRows(warehouse);
    const totalMs = performance.now() - started;
    console.log(`\n${rowCountTable(counts)}\n\nfinished in ${formatDuration(totalMs)}`);
    if (values.json) {
      const timings = steps.map(({ step, durationMs, rowsAffected, rowsRejected }) => ({
        step,
        durationMs,
        rowsAffected,
        rowsRejected,
      }));
      console.log(
        JSON.stringify({ engine: engine.description, data: dataDir, counts, steps: timings, totalMs }),
      );
    }
  } finally {
    await engine.close();
    if (generated) rmSync(generated, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`\n✗ ${error.message}`);
  process.exitCode = 1;
});
