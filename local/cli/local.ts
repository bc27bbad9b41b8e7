import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { causeMessage } from '../../contract/errors';
import type { LocalPipeline, PipelineOutcome } from '../execution/local-pipeline';
import { ArgumentError, argumentErrorText, LOCAL_DATABASE_OPTION, readArguments } from './arguments';
import { queryHints } from './query-hints';
import {
  countRows,
  formatCount,
  formatDuration,
  formatRejectedRow,
  rejectedRows,
  rowCountTable,
} from './report';

const COMMAND = {
  command: 'npm run local --',
  summary: `Runs the deployed pipeline here: the state machine that \`cdk synth\` produces, its Lambda
handlers, and the Redshift Data API on an embedded PostgreSQL engine. Ctrl-C stops the execution
as StopExecution would: the stop cleanup cancels its statements and marks its audit row ABORTED.`,
  options: {
    data: {
      type: 'path',
      value: 'DIR',
      description: `an S3-layout directory standing in for the data bucket
(DIR/song_data/…, DIR/log_data/…, DIR/log_json_path.json);
default: a deterministic data set generated for this run, then removed`,
    },
    database: LOCAL_DATABASE_OPTION,
    input: {
      type: 'string',
      value: 'JSON',
      default: '{"mode": "full"}',
      description: 'the execution input, as pasted in the Step Functions console',
    },
    json: {
      type: 'boolean',
      description: `print one JSON object with counts, rejected rows, states and timings as
the last line`,
    },
  },
} as const;

// A one-second Wait lasts this long locally (a longer one up to five times as long): short, yet no
// busy loop beside the in-process engine.
const POLL_INTERVAL_MS = 10;

/** Ctrl-C during the start, before an execution exists to stop. */
class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

function parseInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ArgumentError(`--input must be JSON, as pasted in the console: ${(error as Error).message}`);
  }
}

function checkDataDirectory(dir: string): void {
  const stats = statSync(dir, { throwIfNoEntry: false });
  if (stats === undefined) throw new ArgumentError(`--data ${dir}: no such directory`);
  if (!stats.isDirectory()) throw new ArgumentError(`--data ${dir}: not a directory`);
}

/**
 * The stop cleanup's answer, in a line: what it cancelled and, once the run had claimed its audit
 * row, that the row now says how the run ended (the cleanup only changes a row still open).
 */
function describeCleanup(outcome: PipelineOutcome): string {
  const claimed = outcome.states.some(
    (state) => (state.result as { claimed?: unknown } | undefined)?.claimed === true,
  );
  const answers = outcome.deliveries.map(({ result, error }) => {
    if (error) return `stop cleanup failed: ${error.error}: ${error.cause}`;
    const { runId, status, cancelled } = result as { runId: string; status: string; cancelled: string[] };
    const audit = claimed ? `run ${runId} marked ${status} in etl_runs` : `run ${runId} had no audit row yet`;
    return `${audit}, ${cancelled.length} statement(s) cancelled`;
  });
  return answers.length > 0 ? answers.join('; ') : 'no stop cleanup ran';
}

async function main(): Promise<void> {
  const values = readArguments(COMMAND);
  const started = performance.now();
  let input: unknown;
  try {
    input = parseInput(values.input);
    if (values.data !== undefined) checkDataDirectory(values.data);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    console.error(argumentErrorText(COMMAND, error));
    process.exitCode = 2;
    return;
  }
  // Ctrl-C stops the execution as StopExecution would, so the stop cleanup runs; a second one quits.
  const interrupt = new AbortController();
  const generated =
    values.data === undefined ? mkdtempSync(join(tmpdir(), 'sparkify-dwh-sample-')) : undefined;
  const removeGenerated = () => {
    if (generated) rmSync(generated, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    interrupt.abort();
    process.once('SIGINT', () => {
      removeGenerated();
      process.exit(130);
    });
  });
  const startInterrupted = () => {
    if (interrupt.signal.aborted) throw new InterruptedError('interrupted before the execution started');
  };
  const dataDir = generated ?? values.data!;
  // Loaded once the arguments are accepted: the CDK app, the engine and the pipeline take most of a
  // second to load, which --help and a refused option need not wait for. The engine opens first:
  // PGlite starts in a thread of its own while this one loads the CDK app.
  const { openEngine } = await import('../engine/open-engine');
  const opening = openEngine(values.database);
  const loading = Promise.all([
    import('../execution/local-pipeline'),
    import('../generator'),
    import('./progress'),
  ]);
  const [engine, [{ LocalPipeline }, { generateDataset }, { progressPrinter }]] = await Promise.all([
    opening,
    loading.catch(async (error: unknown) => {
      await (await opening).close();
      throw error;
    }),
  ]);
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
    startInterrupted();
    pipeline = await LocalPipeline.start({ engine, dataDir, waitMs: POLL_INTERVAL_MS });
    startInterrupted();
    console.log(`input     ${JSON.stringify(input)}\n`);
    const outcome = await pipeline.execute(input, {
      onState: progressPrinter(pipeline),
      signal: interrupt.signal,
    });
    const totalMs = performance.now() - started;
    if (outcome.status === 'ABORTED' && interrupt.signal.aborted) {
      console.error(`✗ interrupted after ${formatDuration(totalMs)}: ${describeCleanup(outcome)}`);
      process.exitCode = 130;
      return;
    }
    const runId = outcome.states
      .map((state) => (state.result as { runId?: unknown } | undefined)?.runId)
      .find((id): id is string => typeof id === 'string');
    const rejected = runId === undefined ? [] : await rejectedRows(pipeline.warehouse, runId);
    if (rejected.length > 0) {
      console.log(`\n${formatCount(rejected.length)} row(s) rejected, kept in etl_load_errors:`);
      for (const row of rejected) console.log(`  ${formatRejectedRow(row)}`);
    }
    const counts = await countRows(pipeline.warehouse);
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
      console.error(`  ${describeCleanup(outcome)}`);
      process.exitCode = 1;
    }
    if (values.database !== undefined && !values.json) console.log(`\n${queryHints(values.database)}`);
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
          deliveries: outcome.deliveries,
          totalMs: ms(totalMs),
        }),
      );
    }
  } catch (error) {
    if (!(error instanceof InterruptedError)) throw error;
    console.error(`✗ ${error.message}`);
    process.exitCode = 130;
  } finally {
    await pipeline?.close();
    await engine.close();
    removeGenerated();
  }
}

main().catch((error: Error) => {
  console.error(`✗ ${error.message}`);
  process.exitCode = 1;
});
