import './promise-with-resolvers';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type RunOptions,
} from 'aws-local-stepfunctions';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../contract/functions';
import { cachedBuild, sha256 } from '../../scripts/build-cache.mjs';
import { checkExecutionInput, checkTaskResult, waitSeconds } from './state-limits';

/** A Task's handler: given the payload Step Functions sends the Lambda, it resolves to the result. */
export type TaskHandler = (event: unknown) => Promise<unknown>;

/** One state the execution passed through, as the progress output and `--json` report it. */
export interface VisitedState {
  readonly name: string;
  readonly type: string;
  readonly durationMs: number;
  readonly outcome: 'succeeded' | 'failed' | 'caught' | 'retried';
  /** What the state's Lambda returned, for Task states. */
  readonly result?: unknown;
  readonly error?: { readonly error: string; readonly cause: string };
}

export interface LocalExecutionOptions {
  /** The state machine definition as synthesized, with every token resolved. */
  readonly definition: Record<string, unknown>;
  /** Handlers keyed by the Task `Resource` (the function ARN) they stand in for. */
  readonly handlers: Readonly<Record<string, TaskHandler>>;
  readonly input: unknown;
  readonly executionName: string;
  /**
   * How long a Wait state lasts locally for each second it asks for (up to LONGEST_WAIT_SECONDS),
   * in milliseconds, and how long a Wait of fixed seconds and a Retry interval last.
   */
  readonly waitMs?: number;
  /**
   * For a SecondsPath Wait: settles once what the Wait waits for has happened (the statement its
   * poll loop watches has ended), and the Wait ends then instead of sleeping on; undefined to sleep
   * the whole shortened time. Only the clock changes: the loop still polls, counts its polls and
   * backs off as it would on AWS, where the first poll after a statement ends comes up to a
   * backoff step later (a local one, 10–50 ms, was most of a nightly day's time on top of its SQL).
   */
  readonly wakeWait?: (secondsPath: string, input: unknown) => Promise<void> | undefined;
  readonly onState?: (state: VisitedState) => void;
  /** Stops the execution, as StopExecution does: it ends ABORTED, a running Task's Lambda keeps running. */
  readonly signal?: AbortSignal;
}

export type ExecutionOutcome =
  | { readonly status: 'SUCCEEDED'; readonly output: unknown; readonly states: readonly VisitedState[] }
  | {
      readonly status: 'FAILED';
      readonly error: string;
      readonly cause: string;
      readonly states: readonly VisitedState[];
    }
  /** Stopped, or past the definition's TimeoutSeconds: the execution ends without a Catch running. */
  | { readonly status: 'ABORTED' | 'TIMED_OUT'; readonly states: readonly VisitedState[] };

type Overrides = NonNullable<RunOptions['overrides']>;

/** The parts of the library's event log this runner reads (the library does not export the type). */
type EventLog =
  | {
      readonly type: 'StateEntered' | 'StateExited' | 'StateRetried' | 'StateCaught';
      readonly state: { name: string; type: string };
    }
  | {
      readonly type: 'StateFailed';
      readonly state: { name: string; type: string };
      readonly Error: string;
      readonly Cause: unknown;
    }
  | { readonly type: string };

interface StateDefinition {
  readonly Type: string;
  readonly Resource?: string;
  readonly SecondsPath?: string;
  readonly TimeoutSeconds?: number;
  readonly TimeoutSecondsPath?: string;
  readonly Retry?: readonly unknown[];
  readonly Branches?: readonly { States: Record<string, StateDefinition> }[];
  readonly ItemProcessor?: { States: Record<string, StateDefinition> };
}

/** Every state of the definition, those inside Parallel branches and Map processors included. */
function allStates(states: Record<string, StateDefinition>): [string, StateDefinition][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, StateDefinition],
    ...(state.Branches ?? []).flatMap((branch) => allStates(branch.States)),
    ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : []),
  ]);
}

/** The definition with `rewrite` applied to every state, nested ones included. */
function mapStates(
  states: Record<string, StateDefinition>,
  rewrite: (state: StateDefinition) => StateDefinition,
): Record<string, StateDefinition> {
  return Object.fromEntries(
    Object.entries(states).map(([name, state]) => {
      const nested: StateDefinition = {
        ...state,
        ...(state.Branches
          ? {
              Branches: state.Branches.map((branch) => ({
                ...branch,
                States: mapStates(branch.States, rewrite),
              })),
            }
          : {}),
        ...(state.ItemProcessor
          ? {
              ItemProcessor: {
                ...state.ItemProcessor,
                States: mapStates(state.ItemProcessor.States, rewrite),
              },
            }
          : {}),
      };
      return [name, rewrite(nested)];
    }),
  );
}

/**
 * The library checks a SecondsPath value only when it really waits, and a shortened wait skips
 * that. So each such Wait runs as a local Task (same InputPath, OutputPath and transitions; the
 * input passes through) that checks the value as AWS does, then waits the shortened time.
 */
function checkedWait({ SecondsPath: _secondsPath, ...state }: StateDefinition): StateDefinition {
  return { ...state, Type: 'Task', Resource: 'local:wait' };
}

/**
 * A Task without TimeoutSeconds defaults to 99999999 s on AWS (a Lambda call is bounded by its
 * function's timeout), where the library would impose 60 s; this is the longest timer Node.js sets.
 */
const UNBOUNDED_TASK_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

function withAwsDefaultTimeout(state: StateDefinition): StateDefinition {
  const bounded = state.TimeoutSeconds !== undefined || state.TimeoutSecondsPath !== undefined;
  return bounded ? state : { ...state, TimeoutSeconds: UNBOUNDED_TASK_SECONDS };
}

function localState(state: StateDefinition): StateDefinition {
  if (state.Type === 'Wait' && state.SecondsPath !== undefined) return checkedWait(state);
  return state.Type === 'Task' ? withAwsDefaultTimeout(state) : state;
}

const machines = new WeakMap<object, StateMachine>();
const VALIDATION_OPTIONS = { checkArn: false } as const;

/**
 * The definition as the library runs it, built once per definition: a pipeline runs one
 * definition many times, each run an execution of its own.
 */
async function localStateMachine(synthesized: LocalExecutionOptions['definition']): Promise<StateMachine> {
  let machine = machines.get(synthesized);
  if (!machine) {
    const definition = {
      ...synthesized,
      States: mapStates(synthesized.States as Record<string, StateDefinition>, localState),
    };
    await validateOnce(definition);
    machine = new StateMachine(definition as never, {
      validationOptions: { ...VALIDATION_OPTIONS, noValidate: true },
    });
    machines.set(synthesized, machine);
  }
  return machine;
}

/**
 * Validates the definition as the library does (asl-validator), once per definition on this
 * machine: asl-validator compiles its JSON schema on every call, about a quarter of a second of
 * each `npm run local` and of each test file that starts a pipeline. The verdict is a pure function
 * of the definition, the options and the installed library, so a definition that passed is
 * remembered in node_modules/.cache; one that fails throws the library's error, and nothing is kept.
 */
async function validateOnce(definition: object): Promise<void> {
  const root = projectRoot();
  await cachedBuild({
    root,
    name: 'sparkify-asl-validation',
    key: sha256(JSON.stringify([validatorVersions(root), VALIDATION_OPTIONS, definition])).slice(0, 32),
    build: async () => {
      new StateMachine(definition as never, { validationOptions: VALIDATION_OPTIONS });
      return { output: true, sources: [] };
    },
  });
}

/** aws-local-stepfunctions' version and that of the asl-validator it resolves. */
function validatorVersions(root: string): readonly string[] {
  const library = join(root, 'node_modules', 'aws-local-stepfunctions', 'package.json');
  let validator = dirname(createRequire(library).resolve('asl-validator'));
  while (!existsSync(join(validator, 'package.json'))) validator = dirname(validator);
  return [library, join(validator, 'package.json')].map(
    (file) => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version,
  );
}

/**
 * A SecondsPath Wait of more seconds than this lasts as long as one of this many. The poll loop's
 * backoff (1, 2, 4… seconds) keeps its first steps locally, so a long statement is polled every
 * 5 × waitMs instead of every waitMs: each poll is a Lambda invocation and a signed, authorized
 * Data API call that competes with the engine for the CPU, and a finished statement is still seen
 * within 5 × waitMs.
 */
const LONGEST_WAIT_SECONDS = 5;

/**
 * Runs a synthesized state machine definition with aws-local-stepfunctions: each Task calls the
 * handler given for its Resource, Wait states and retry intervals are shortened, Retry and Catch
 * behave as defined, and Step Functions' data quotas and SecondsPath rules apply as on AWS.
 * Reports every state as it exits.
 */
export async function executeLocally(options: LocalExecutionOptions): Promise<ExecutionOutcome> {
  checkExecutionInput(options.input);
  const waitMs = options.waitMs ?? 0;
  const topStates = options.definition.States as Record<string, StateDefinition>;
  const states = allStates(topStates);
  const results = new Map<string, unknown>();
  const checkedWaits = new Set<string>();
  type LocalHandler = NonNullable<Overrides['taskResourceLocalHandlers']>[string];
  const taskResourceLocalHandlers: Record<string, LocalHandler> = {};
  const waitTimeOverrides: Record<string, number> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  for (const [name, state] of states) {
    if (state.Type === 'Task') {
      const { Resource: resource } = state;
      const handler = resource === undefined ? undefined : options.handlers[resource];
      if (!handler) throw new Error(`state "${name}": no local handler for Task resource ${resource}`);
      taskResourceLocalHandlers[name] = async (input) => {
        const result = await handler(input);
        checkTaskResult(resource!, result);
        results.set(name, result);
        return result as Awaited<ReturnType<LocalHandler>>;
      };
    }
    const secondsPath = state.Type === 'Wait' ? state.SecondsPath : undefined;
    if (secondsPath !== undefined) {
      checkedWaits.add(name);
      taskResourceLocalHandlers[name] = async (input) => {
        const seconds = waitSeconds(name, secondsPath, input);
        const shortened = waitMs * Math.min(seconds, LONGEST_WAIT_SECONDS);
        const woken = options.wakeWait?.(secondsPath, input);
        if (woken === undefined) {
          await sleep(shortened);
          return input;
        }
        const sleeping = new AbortController();
        await Promise.race([sleep(shortened, undefined, { signal: sleeping.signal }), woken]);
        sleeping.abort();
        return input;
      };
    } else if (state.Type === 'Wait') {
      waitTimeOverrides[name] = waitMs;
    }
    if (state.Retry) retryIntervalOverrides[name] = waitMs;
  }

  const machine = await localStateMachine(options.definition);
  const execution = machine.run(options.input as never, {
    overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
    context: { Execution: { Name: options.executionName, StartTime: new Date().toISOString() } } as never,
  });

  const visited: VisitedState[] = [];
  const entered = new Map<string, number>();
  const record = (event: EventLog) => {
    if (!('state' in event)) return;
    const { name } = event.state;
    const type = checkedWaits.has(name) ? 'Wait' : event.state.type;
    if (event.type === 'StateEntered') {
      entered.set(name, performance.now());
      return;
    }
    const durationMs = performance.now() - (entered.get(name) ?? performance.now());
    const base = { name, type, durationMs };
    const state: VisitedState =
      event.type === 'StateExited'
        ? { ...base, outcome: 'succeeded', ...(results.has(name) ? { result: results.get(name) } : {}) }
        : event.type === 'StateFailed'
          ? { ...base, outcome: 'failed', error: { error: event.Error, cause: String(event.Cause) } }
          : { ...base, outcome: event.type === 'StateCaught' ? 'caught' : 'retried' };
    results.delete(name);
    visited.push(state);
    options.onState?.(state);
  };
  if (options.signal?.aborted) execution.abort();
  options.signal?.addEventListener('abort', () => execution.abort(), { once: true });
  const logging = (async () => {
    for await (const event of execution.eventLogs) record(event as EventLog);
  })();

  try {
    const output = await execution.result;
    await logging;
    return { status: 'SUCCEEDED', output, states: visited };
  } catch (error) {
    await logging;
    if (error instanceof ExecutionAbortedError) return { status: 'ABORTED', states: visited };
    if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', states: visited };
    // The library wraps what ended the execution (a Fail state's error, an uncaught Task error)
    // in an ExecutionError; the execution's error and cause are the wrapped error's.
    const failure =
      error instanceof ExecutionError && error.cause instanceof Error ? error.cause : (error as Error);
    return { status: 'FAILED', error: failure.name, cause: failure.message, states: visited };
  }
}
