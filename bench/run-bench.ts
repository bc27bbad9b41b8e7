import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as prettier from 'prettier';
import { dirname, join } from 'node:path';
import { projectRoot } from '../contract/functions';
import { generateDataset } from '../local/generator';
import { formatCount, formatDuration } from '../local/cli/report';
import { freshEngine, engineLabel, type EngineTarget } from './engines';
import { ArgumentError, helpText, invocationDirectory } from '../local/cli/arguments';
import { BENCH_COMMAND, parseBenchArguments, type BenchOptions } from './options';
import { measureStaging, type StagingMeasurement } from './staging';
import { markdownTable, spliceReadme, textTable, type BenchResults } from './report';
import { stepChart } from './chart';
import {
  compareIncrementalToFull,
  median,
  timeFullRuns,
  timeSetup,
  type IncrementalComparison,
} from './scenarios';
import { timeDuckdb } from './duckdb';

// npm run bench: see BENCH_COMMAND in options.ts, or --help.

// scripts/run.mjs runs the bundle from its build cache, so the project is found as the CDK app finds it.
const projectDir = projectRoot();

function generated(events: number, options: BenchOptions, scratch: string[]) {
  const outDir = mkdtempSync(join(tmpdir(), 'sparkify-bench-'));
  scratch.push(outDir);
  const summary = generateDataset({ outDir, events, songs: options.songs, days: options.days });
  console.log(
    `data      ${outDir} (generated: ${formatCount(summary.events)} events, ${formatCount(summary.songs)} songs, ${options.days} days)`,
  );
  return { outDir, start: summary.start };
}

const dayAfter = (start: string, days: number) =>
  new Date(Date.parse(start) + days * 86_400_000).toISOString().slice(0, 10);

async function bench(options: BenchOptions): Promise<void> {
  const targets: EngineTarget[] = [
    { kind: 'pglite' },
    ...(options.database ? [{ kind: 'server' as const, url: options.database }] : []),
  ];
  const scratch: string[] = [];
  try {
    const dataDir = options.dataDir ?? generated(options.events, options, scratch).outDir;
    if (options.dataDir) console.log(`data      ${dataDir}`);

    const staging: StagingMeasurement[] = [];
    for (const target of targets) {
      const fresh = await freshEngine(target);
      try {
        const measured = await measureStaging({ engine: fresh.engine, dataDir });
        console.log(
          `loader    ${engineLabel(target)}: ${formatCount(measured.events)} events parsed in ${formatDuration(measured.parseOnlyMs)}, staged in ${formatDuration(measured.stageEventsMs)}`,
        );
        staging.push(measured);
      } finally {
        await fresh.dispose();
      }
    }
    const setupMs = await timeSetup();
    console.log(`setup     bundling the Lambdas and synthesizing the app, cold: ${formatDuration(setupMs)}`);
    const fullRuns = [];
    for (const target of targets) {
      const run = await timeFullRuns(target, dataDir, setupMs, options.repeat);
      console.log(`full run  ${run.description}: ${formatDuration(run.wholeMs)}`);
      fullRuns.push(run);
    }
    const duckdbRuns: number[] = [];
    for (let i = 0; options.duckdb && i < options.repeat; i++) duckdbRuns.push(await timeDuckdb(dataDir));
    const duckdbMs = options.duckdb ? median(duckdbRuns) : undefined;
    if (duckdbMs !== undefined) console.log(`duckdb    staging and star schema: ${formatDuration(duckdbMs)}`);

    const incremental: IncrementalComparison[] = [];
    if (options.incrementalEvents > 0) {
      const month = generated(options.incrementalEvents, options, scratch);
      const night = Math.floor(options.days / 2);
      const date = dayAfter(month.start, night);
      // A one-day month has no night before: the day then follows itself.
      const nightBefore = dayAfter(month.start, Math.max(0, night - 1));
      for (const target of targets) {
        const comparison = await compareIncrementalToFull(
          target,
          month.outDir,
          date,
          nightBefore,
          options.repeat,
        );
        const steps = Object.entries(comparison.incrementalSteps)
          .map(([step, ms]) => `${step} ${formatDuration(ms)}`)
          .join(', ');
        console.log(
          `nightly   ${comparison.engine}: one day (${date}) ${formatDuration(comparison.incrementalMs)} (${steps}), after the night before ${formatDuration(comparison.nightAfterNightMs)}, full rebuild ${formatDuration(comparison.fullMs)}`,
        );
        incremental.push(comparison);
      }
    }

    const results: BenchResults = {
      events: staging[0]?.events ?? 0,
      songs: options.songs,
      days: options.days,
      fullRuns,
      staging,
      ...(duckdbMs === undefined ? {} : { duckdbMs }),
      incrementalEvents: options.incrementalEvents,
      incremental,
    };
    console.log(`\n${textTable(results)}\n`);
    console.log(
      '(one process, same run: ratios compare; absolute figures depend on the machine and its load)',
    );

    const chart = options.chart ?? join(projectDir, 'docs', 'bench-steps.svg');
    mkdirSync(dirname(chart), { recursive: true });
    writeFileSync(chart, stepChart(results));
    console.log(`chart     ${chart}`);
    if (options.writeReadme) {
      const readme = join(projectDir, 'README.md');
      // Formatted as `npm run lint` checks it, so a refreshed table needs no second step.
      const text = spliceReadme(readFileSync(readme, 'utf8'), markdownTable(results));
      const config = await prettier.resolveConfig(readme);
      writeFileSync(readme, await prettier.format(text, { ...config, filepath: readme }));
      console.log(`readme    ${readme}: the bench table is updated`);
    }
    if (options.json) console.log(JSON.stringify(results));
  } finally {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseBenchArguments(process.argv.slice(2), process.env, invocationDirectory());
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    console.error(`✗ ${error.message}\n  (${BENCH_COMMAND.command} --help lists the options)`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') console.log(helpText(BENCH_COMMAND));
  else await bench(options);
}

main().catch((error: Error) => {
  console.error(`✗ ${error.message}`);
  process.exitCode = 1;
});
