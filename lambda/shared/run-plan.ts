import { InvalidInputError } from './errors';

/** What one execution does, decided once from its input by the first state. */
export interface RunPlan {
  /** The execution's name: unique per state machine, so it identifies the run in logs and audit. */
  readonly runId: string;
  readonly mode: 'full';
}

const ALLOWED_KEYS = new Set(['mode']);

/** Validates an execution's input; `{}` means a full run. */
export function planRun(input: unknown, runId: string): RunPlan {
  const value = input ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputError(`execution input must be a JSON object, got ${JSON.stringify(input)}`);
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !ALLOWED_KEYS.has(key));
  if (unknown.length > 0) {
    throw new InvalidInputError(`execution input has unknown key(s) ${unknown.join(', ')}; allowed: mode`);
  }
  const mode = record.mode ?? 'full';
  if (mode !== 'full') {
    throw new InvalidInputError(`execution input "mode" must be "full", got ${JSON.stringify(mode)}`);
  }
  if (runId === '') throw new InvalidInputError('run id (the execution name) is empty');
  return { runId, mode };
}

/** Reads back a plan that the first state produced and later states were handed. */
export function readPlan(value: unknown): RunPlan {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof record.runId !== 'string') {
    throw new InvalidInputError(`event.plan is not a run plan: ${JSON.stringify(value)}`);
  }
  return planRun({ mode: record.mode }, record.runId);
}
