import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { DataLocations } from '../lambda/shared/environment';
import { planRun } from '../lambda/shared/run-plan';
import { LocalS3 } from '../local/copy/local-s3';
import { openEngine } from '../local/engine/open-engine';
import { generateDataset } from '../local/generator';
import { LocalWarehouse } from '../local/local-warehouse';
import { formatCount, formatDuration } from '../local/report';
import { runPipeline } from '../local/run-pipeline';

// The cost of a nightly run: one day merged into a month of history, against a full rebuild of
// that month, on the same engine in the same process. Prints the figures and their ratio.

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '300000' },
    songs: { type: 'string', default: '20000' },
    days: { type: 'string', default: '30' },
    repeat: { type: 'string', default: '3' },
    database: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const [events, songs, days, repeat] = [values.events, values.songs, values.days, values.repeat].map(
  Number,
) as [number, number, number, number];

const LOCATIONS: DataLocations = {
  song_data_uri: 's3://bench/song_data',
  log_data_uri: 's3://bench/log_data',
  log_jsonpath_uri: 's3://bench/log_json_path.json',
  data_region: 'us-west-2',
  iam_role: 'arn:aws:iam::000000000000:role/bench',
};

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'sparkify-bench-'));
  const engine = await openEngine(values.database);
  try {
    const data = generateDataset({ outDir: dir, events, songs, days });
    const warehouse = new LocalWarehouse(engine, new LocalS3({ bench: dir }));
    let run = 0;
    const timed = async (input: Record<string, unknown>) => {
      const started = performance.now();
      await runPipeline(warehouse, LOCATIONS, planRun(input, `bench-${++run}`));
      return performance.now() - started;
    };

    const middleDay = new Date(Date.parse(data.start) + Math.floor(days / 2) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    console.log(`engine   ${engine.description}`);
    console.log(
      `history  ${formatCount(data.events)} events over ${days} days, ${formatCount(data.songs)} songs`,
    );
    const firstLoad = await timed({ mode: 'full' });
    console.log(`initial full load ${formatDuration(firstLoad)}`);

    const incremental: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < repeat; i++) {
      incremental.push(await timed({ mode: 'incremental', date: middleDay }));
      full.push(await timed({ mode: 'full' }));
    }
    const [oneDay, rebuild] = [median(incremental), median(full)];
    console.log(`one-day incremental (${middleDay})  median of ${repeat}: ${formatDuration(oneDay)}`);
    console.log(`full rebuild                       median of ${repeat}: ${formatDuration(rebuild)}`);
    console.log(`ratio full / incremental: ${(rebuild / oneDay).toFixed(1)}×`);
    if (values.json) {
      console.log(
        JSON.stringify({
          engine: engine.description,
          events: data.events,
          days,
          incrementalMs: oneDay,
          fullMs: rebuild,
          ratio: rebuild / oneDay,
        }),
      );
    }
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
