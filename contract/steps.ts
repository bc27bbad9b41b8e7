/**
 * The pipeline's SQL steps by name, and the order an execution takes them. The state machine is
 * built from `PIPELINE`, the submit handler maps each name to its SQL files, and the local runner
 * and the tests read the same list, so a step cannot exist in one of them only.
 */
export const STEP_NAMES = [
  'create_tables',
  'claim_run',
  'stage_events',
  'stage_songs',
  'publish',
  /** Not part of the flow: the state machine's catch-all runs it before failing the execution. */
  'record_failure',
] as const;

export type StepName = (typeof STEP_NAMES)[number];

/** The SQL steps in the order they run; an inner list runs in parallel. */
export const PIPELINE: readonly (StepName | readonly StepName[])[] = [
  'create_tables',
  'claim_run',
  ['stage_events', 'stage_songs'],
  'publish',
];

/**
 * The step that claims the run lock. Runs share the staging tables, so a run that finds the lock
 * taken waits and claims again, until the poll handler's patience runs out (RunInProgress).
 */
export const RUN_LOCK_STEP: StepName = 'claim_run';

/** The flow's steps in order, parallel ones side by side. */
export const PIPELINE_STEPS: readonly StepName[] = PIPELINE.flat();

/**
 * Where an execution keeps a SQL step's state: `submit` holds the submit result (its
 * `statementId`), `poll` the latest poll result (its `waitSeconds`).
 */
export const stepStatePath = (step: StepName): string => `$.steps.${step}`;

/**
 * The statement a Wait whose SecondsPath is a step's `poll.waitSeconds` waits for, read from the
 * Wait's input; undefined for any other Wait, or before the step submitted anything.
 */
export function statementAwaited(secondsPath: string, input: unknown): string | undefined {
  const step = /^\$\.steps\.(\w+)\.poll\.waitSeconds$/.exec(secondsPath)?.[1];
  if (!isStepName(step)) return undefined;
  const state = (input as { steps?: Record<string, { submit?: { statementId?: unknown } }> })?.steps?.[step];
  const id = state?.submit?.statementId;
  return typeof id === 'string' ? id : undefined;
}

export function isStepName(value: unknown): value is StepName {
  return typeof value === 'string' && (STEP_NAMES as readonly string[]).includes(value);
}
