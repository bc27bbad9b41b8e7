import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openEngine } from '../engine/open-engine';
import { causeMessage } from '../../contract/errors';
import type { VisitedState } from '../execution/local-execution';
import { LocalPipeline } from '../execution/local-pipeline';
import { generateDataset } from '../generator';
import {
  countRows,
  formatCount,
  formatDuration,
  formatRejectedRow,
  rejectedRows,
  rowCountTable,
} from './report';

const USAGE = `usage: npm run local -- [--data DIR] [--database URL] [--input JSON] [--json]

Runs the deployed pipeline here: the state machine that \`cdk synth\` produces, its Lambda
handlers, and the Redshift Data API on an embedded PostgreSQL engine.

  --data DIR        an S3-layout directory standing in for the data bucket
                    (DIR/song_data/…, DIR/log_data/…, DIR/log_json_path.json);
                    default: a deterministic data set generated for this run
  --database URL    postgres://user:password@host:port/db, or pglite:DIR to keep a PGlite
                    database on disk; default: PGlite in memory
  --input JSON      the execution input, as pasted in the Step Functions console;
                    default: {"mode": "full"}
  --json            print one JSON object with counts, rejected rows, states and timings as
                    the last line`;

// Wait states last this long locally: short, yet no busy loop beside the in-process engine.
const POLL_INTERVAL_MS = 10;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function parseInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--input must be JSON, as pasted in the console: ${(error as Error).message}`);
  }
}

/**
 * Progress as it happens, one line per SQL step when its statement finishes (submit and the polls
 * before it are folded into that line; `--json` lists every state), plus retries and failures.
 */
function progressPrinter(): (state: VisitedState) => void {
  const stepStarted = new Map<string, number>();
  const line = (mark: string, name: string, ms: number, detail: string) =>
    console.log(`  ${mark} ${name.padEnd(18)} ${formatDuration(ms).padStart(9)}   ${detail}`);
  return (state) => {
    const [step, part] = state.name.split(': ');
    const result = (state.result ?? {}) as Record<string, unknown>;
    if (state.outcome === 'failed' || state.outcome === 'caught') {
      line('✗', state.name, state.durationMs, state.error?.error ?? 'caught');
    } else if (state.outcome === 'retried') {
      line('↻', state.name, state.durationMs, 'retried');
    } else if (state.type !== 'Task' || step === undefined) {
      return;
    } else if (part === 'submit') {
      stepStarted.set(step, performance.now() - state.durationMs);
      if (result.statementCount === 0) line('–', step, state.durationMs, 'nothing to do in this run');
    } else if (part === 'poll' && result.finished === true) {
      const elapsed = performance.now() - (stepStarted.get(step) ?? performance.now());
      const rows = (result.rowsAffected as number[]).map(formatCount).join(' · ');
      const checks = Array.isArray(result.checks) ? `; ${result.checks.length} checks passed` : '';
      line('✓', step, elapsed, `statement ${String(result.statementId).slice(0, 8)}…  rows ${rows}${checks}`);
    } else if (part === undefined && typeof result.runId === 'string') {
      const range = typeof result.from === 'string' ? ` ${result.from}..${String(result.to)}` : '';
      const songs = result.reloadSongs === true ? ', songs reloaded' : '';
      line('✓', state.name, state.durationMs, `run ${result.runId}: ${String(result.mode)}${range}${songs}`);
    }
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      database: { type: 'string' },
      input: { type: 'string', default: '{"mode": "full"}' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const input = parseInput(values.input);
  const started = performance.now();
  const generated =
    values.data === undefined ? mkdtempSync(join(tmpdir(), 'sparkify-dwh-sample-')) : undefined;
  const dataDir = generated ?? resolve(values.data!);
  const engine = await openEngine(values.database);
  let pipeline: LocalPipeline | undefined;
  try {
    console.log(`engine    ${engine.description}`);
    if (generated) {
      const summary = generateDataset({ outDir: dataDir });
      console.log(
        `data      ${dataDir} (generated: ${formatCount(summary.events)} events, ${formatCount(summary.songs)} songs)`,
      );
    } else {
      console.log(`data      ${dataDir}`);
    }
    pipeline = await LocalPipeline.start({ engine, dataDir, waitMs: POLL_INTERVAL_MS });
    console.log(`input     ${JSON.stringify(input)}\n`);
    // Ctrl-C stops the execution as StopExecution would, so the stop cleanup runs; a second one quits.
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    const outcome = await pipeline.execute(input, { onState: progressPrinter(), signal: stop.signal });
    const runId = outcome.states
      .map((state) => (state.result as { runId?: unknown } | undefined)?.runId)
      .find((id): id is string => typeof id === 'string');
    const rejected = runId === undefined ? [] : await rejectedRows(pipeline.warehouse, runId);
    if (rejected.length > 0) {
      console.log(`\n${formatCount(rejected.length)} row(s) rejected, kept in etl_load_errors:`);
      for (const row of rejected) console.log(`  ${formatRejectedRow(row)}`);
    }
    const counts = await countRows(pipeline.warehouse);
    const totalMs = performance.now() - started;
    if (Object.keys(counts).length > 0) console.log(`\n${rowCountTable(counts)}\n`);
    if (outcome.status === 'FAILED') {
      // The cause of a Lambda error is the runtime's JSON document; --json prints it whole.
      const message = causeMessage(outcome.cause);
      console.error(`✗ execution FAILED: ${outcome.error}\n  ${message.replaceAll('\n', '\n  ')}`);
      process.exitCode = 1;
    } else if (outcome.status === 'SUCCEEDED') {
      console.log(`execution SUCCEEDED in ${formatDuration(totalMs)}`);
    } else {
      console.error(`✗ execution ${outcome.status} after ${formatDuration(totalMs)}`);
      process.exitCode = 1;
    }
    // What the rules its status change matched did: the stop cleanup's cancels and audit update.
    for (const { targetArn, result, error } of outcome.deliveries) {
      console.log(`  → ${targetArn.split(':').at(-1)}: ${JSON.stringify(error ?? result)}`);
    }
    if (values.json) {
      const ms = (value: number) => Math.round(value * 10) / 10;
      const states = outcome.states.map(({ name, type, durationMs, outcome: result }) => ({
        name,
        type,
        durationMs: ms(durationMs),
        outcome: result,
      }));
      const failure = outcome.status === 'FAILED' ? { error: outcome.error, cause: outcome.cause } : {};
      console.log(
        JSON.stringify({
          status: outcome.status,
          ...failure,
          engine: engine.description,
          data: dataDir,
          input,
          counts,
          rejected,
          states,
          totalMs: ms(totalMs),
        }),
      );
    }
  } finally {
    await pipeline?.close();
    await engine.close();
    if (generated) rmSync(generated, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`✗ ${error.message}`);
  if (error instanceof UsageError) console.error(`\n${USAGE}`);
  process.exitCode = 1;
});
