import { performance } from 'node:perf_hooks';
import type { StepName } from '../contract/steps';
import { buildApp } from '../lib/app';
import { localDeployment } from '../local/cloud/local-deployment';
import { lambdaBundles } from '../local/execution/lambda-bundles';
import { LocalPipeline } from '../local/execution/local-pipeline';
import { causeMessage } from '../contract/errors';
import { engineLabel, scratchWarehouse, type EngineTarget } from './engines';
import { stepTimes } from './step-times';

// Wait states last this long, as in `npm run local`.
const POLL_INTERVAL_MS = 10;

/** One full run on a fresh warehouse, timed as `npm run local` would spend it. */
export interface FullRunTiming {
  readonly engine: string;
  readonly description: string;
  readonly steps: Partial<Record<StepName, number>>;
  /** The state machine's execution, start to end. */
  readonly executionMs: number;
  /**
   * What `npm run local` spends after Node.js starts: the setup (timed once, see timeSetup),
   * opening the engine, starting the pipeline, the execution, and closing the engine.
   */
  readonly wholeMs: number;
}

/**
 * What every `npm run local` pays before its engine matters, cold: bundling the Lambdas and
 * synthesizing the app. A process does both faster the second time, so they are timed once, first,
 * and added to each engine's whole run: no engine's run pays them alone.
 */
export async function timeSetup(): Promise<number> {
  const started = performance.now();
  await lambdaBundles();
  localDeployment(buildApp({ context: {}, bundle: false }));
  return performance.now() - started;
}

async function executeOrThrow(pipeline: LocalPipeline, input: unknown) {
  const started = performance.now();
  const outcome = await pipeline.execute(input);
  if (outcome.status === 'FAILED') {
    throw new Error(
      `execution ${JSON.stringify(input)} failed: ${outcome.error}: ${causeMessage(outcome.cause)}`,
    );
  }
  if (outcome.status !== 'SUCCEEDED') throw new Error(`execution ${JSON.stringify(input)} ${outcome.status}`);
  return { outcome, ms: performance.now() - started };
}

/**
 * Runs `work` on a pipeline over an empty warehouse, timed as `npm run local` spends it: from opening
 * the engine to closing it, not the scratch database's creation and removal around them.
 */
async function withPipeline<T>(
  target: EngineTarget,
  dataDir: string,
  work: (pipeline: LocalPipeline, description: string) => Promise<T>,
): Promise<{ result: T; ms: number }> {
  const warehouse = await scratchWarehouse(target);
  try {
    const started = performance.now();
    const engine = await warehouse.open();
    let pipeline: LocalPipeline | undefined;
    let result: T;
    try {
      pipeline = await LocalPipeline.start({ engine, dataDir, waitMs: POLL_INTERVAL_MS });
      result = await work(pipeline, engine.description);
    } finally {
      await pipeline?.close();
      await engine.close();
    }
    return { result, ms: performance.now() - started };
  } finally {
    await warehouse.remove();
  }
}

/**
 * The median of `repeat` full runs, each on a fresh warehouse, by whole-run time: the run itself,
 * so that its step times add up to it. A single run of a million events spread by about ±0.7 s.
 */
export async function timeFullRuns(
  target: EngineTarget,
  dataDir: string,
  setupMs: number,
  repeat: number,
): Promise<FullRunTiming> {
  const runs: FullRunTiming[] = [];
  for (let i = 0; i < repeat; i++) runs.push(await timeFullRun(target, dataDir, setupMs));
  const wholeMs = median(runs.map((run) => run.wholeMs));
  return runs.find((run) => run.wholeMs === wholeMs)!;
}

async function timeFullRun(target: EngineTarget, dataDir: string, setupMs: number): Promise<FullRunTiming> {
  const { result, ms } = await withPipeline(target, dataDir, async (pipeline, description) => {
    const { outcome, ms: executionMs } = await executeOrThrow(pipeline, { mode: 'full' });
    return { description, steps: stepTimes(outcome.states), executionMs };
  });
  return { engine: engineLabel(target), ...result, wholeMs: setupMs + ms };
}

/**
 * A nightly day against a full rebuild, all executions on the same loaded warehouse. A day is timed
 * twice: right after a rebuild, whose staging rows the day's COPY step deletes first, and after the
 * night before it, as a schedule runs it night after night.
 */
export interface IncrementalComparison {
  readonly engine: string;
  readonly date: string;
  /** Medians of `repeat` executions each. */
  readonly incrementalMs: number;
  readonly nightAfterNightMs: number;
  readonly fullMs: number;
  readonly incrementalSteps: Partial<Record<StepName, number>>;
}

export const median = (samples: readonly number[]) =>
  [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? NaN;

export async function compareIncrementalToFull(
  target: EngineTarget,
  dataDir: string,
  date: string,
  nightBefore: string,
  repeat: number,
): Promise<IncrementalComparison> {
  const { result } = await withPipeline(target, dataDir, async (pipeline) => {
    await executeOrThrow(pipeline, { mode: 'full' });
    const incremental: number[] = [];
    const nightAfterNight: number[] = [];
    const full: number[] = [];
    let incrementalSteps: Partial<Record<StepName, number>> = {};
    for (let i = 0; i < repeat; i++) {
      const day = await executeOrThrow(pipeline, { mode: 'incremental', date });
      incremental.push(day.ms);
      incrementalSteps = stepTimes(day.outcome.states);
      await executeOrThrow(pipeline, { mode: 'incremental', date: nightBefore });
      nightAfterNight.push((await executeOrThrow(pipeline, { mode: 'incremental', date })).ms);
      full.push((await executeOrThrow(pipeline, { mode: 'full' })).ms);
    }
    return {
      engine: engineLabel(target),
      date,
      incrementalMs: median(incremental),
      nightAfterNightMs: median(nightAfterNight),
      fullMs: median(full),
      incrementalSteps,
    };
  });
  return result;
}
