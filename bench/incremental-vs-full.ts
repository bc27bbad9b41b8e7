import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openEngine } from '../local/engine/open-engine';
import { LocalPipeline } from '../local/execution/local-pipeline';
import { generateDataset } from '../local/generator';
import { formatCount, formatDuration } from '../local/cli/report';

// The cost of a nightly run: one day merged into a month of history, against a full rebuild of
// that month, on the same engine in the same process, each an execution of the synthesized state
// machine as `npm run local` runs it. Prints the figures and their ratio.

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

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'sparkify-bench-'));
  const engine = await openEngine(values.database);
  let pipeline: LocalPipeline | undefined;
  try {
    const data = generateDataset({ outDir: dir, events, songs, days });
    pipeline = await LocalPipeline.start({ engine, dataDir: dir, waitMs: 10 });
    const timed = async (input: Record<string, unknown>) => {
      const started = performance.now();
      const outcome = await pipeline!.execute(input);
      if (outcome.status === 'FAILED') throw new Error(`${outcome.error}: ${outcome.cause}`);
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
    await pipeline?.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
