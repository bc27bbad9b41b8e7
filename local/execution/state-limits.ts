/** Step Functions' quota on an execution's input and on each state's input and result. */
export const MAX_PAYLOAD_BYTES = 262_144;

/** The size Step Functions measures: the value as JSON, in UTF-8 bytes. */
export function payloadBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}

/**
 * An error the Step Functions service raises itself. aws-local-stepfunctions reads a thrown error's
 * name as the Error, its message as the Cause, and `isCatchable` / `isRetryable` to decide whether
 * Catch and Retry may handle it.
 */
export class StatesError extends Error {
  readonly isCatchable: boolean;
  readonly isRetryable: boolean;

  constructor(name: `States.${string}`, cause: string, handling: { terminal: boolean }) {
    super(cause);
    this.name = name;
    this.isCatchable = !handling.terminal;
    this.isRetryable = !handling.terminal;
  }
}

/** StartExecution's refusal of a request that breaks the API's constraints. */
export class ValidationException extends Error {
  override readonly name = 'ValidationException';
}

/** StartExecution refuses an input over the quota before any state runs. */
export function checkExecutionInput(input: unknown): void {
  if (payloadBytes(input) > MAX_PAYLOAD_BYTES) {
    throw new ValidationException(
      `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`,
    );
  }
}

/**
 * A Task whose result is over the quota fails with States.DataLimitExceeded, naming its Resource;
 * recorded against AWS, Catch (States.ALL included) handles it as any other task failure.
 */
export function checkTaskResult(resource: string, result: unknown): void {
  if (payloadBytes(result) > MAX_PAYLOAD_BYTES) {
    throw new StatesError(
      'States.DataLimitExceeded',
      `The state/task '${resource}' returned a result with a size exceeding the maximum number of bytes service limit.`,
      { terminal: false },
    );
  }
}

const PATH_STEP = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;

/** The value a reference path (`$.a.b`, `$['a'][0]`) selects from the input, if there is one. */
export function readReferencePath(path: string, input: unknown): { found: boolean; value?: unknown } {
  if (!path.startsWith('$') || path.startsWith('$$')) throw new Error(`not a reference path: ${path}`);
  let value: unknown = input;
  PATH_STEP.lastIndex = 1;
  while (PATH_STEP.lastIndex < path.length) {
    const step = PATH_STEP.exec(path);
    if (!step) throw new Error(`not a reference path: ${path}`);
    const key = step[1] ?? step[3] ?? step[4] ?? Number(step[2]);
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return { found: false };
    value = (value as Record<string | number, unknown>)[key];
  }
  return { found: true, value };
}

/**
 * The seconds a Wait state's SecondsPath selects, which must be an integer of at least 0; any other
 * value ends the execution with States.Runtime (no Retry or Catch applies), as on AWS.
 */
export function waitSeconds(stateName: string, secondsPath: string, input: unknown): number {
  const fail = (detail: string) =>
    new StatesError(
      'States.Runtime',
      `An error occurred while executing the state '${stateName}'. ${detail}`,
      {
        terminal: true,
      },
    );
  const { found, value } = readReferencePath(secondsPath, input);
  if (!found) throw fail(`The SecondsPath parameter does not reference an input value: ${secondsPath}`);
  const assignment = `${secondsPath} == ${JSON.stringify(value)}`;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw fail(`The SecondsPath parameter cannot be parsed as a long value: ${assignment}`);
  }
  if (value < 0) throw fail(`The SecondsPath parameter references a negative value: ${assignment}`);
  return value;
}
