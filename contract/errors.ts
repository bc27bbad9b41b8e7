// Each error's `name` is what the state machine's Retry/Catch and a failed execution's `error`
// field show, so names are stable API: rename one and the ASL that matches on it must follow.

abstract class NamedError extends Error {
  abstract override readonly name: string;
}

/** The execution input (or a handler's event) is not what the pipeline accepts. */
export class InvalidInputError extends NamedError {
  override readonly name = 'InvalidInput';
}

/** A Lambda's environment is missing or malformed: a deployment bug, never retried. */
export class ConfigurationError extends NamedError {
  override readonly name = 'ConfigurationError';
}

/** Redshift reported the statement FAILED or ABORTED; the message carries Redshift's own text. */
export class StatementFailedError extends NamedError {
  override readonly name = 'StatementFailed';
}

/** The statement ran longer than the step allows; it has been cancelled. */
export class StatementTimedOutError extends NamedError {
  override readonly name = 'StatementTimedOut';
}

/** Another run holds the run lock, and held it longer than this run would wait. */
export class RunInProgressError extends NamedError {
  override readonly name = 'RunInProgress';
}

/** A day of an incremental run's range has no log object, and the deployment says to fail then. */
export class NoLogDataError extends NamedError {
  override readonly name = 'NoLogData';
}

/** A data-quality check found offending rows; the message is the readable report. */
export class DataQualityError extends NamedError {
  override readonly name = 'DataQualityCheckFailed';
}

/**
 * The readable part of a caught error's Cause. A Lambda's error reaches the state machine with a
 * Cause that is the runtime's JSON document ({"errorType", "errorMessage", "trace"}); a States.*
 * error's Cause is plain text already.
 */
export function causeMessage(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown } | null;
    if (typeof parsed?.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // Not JSON: plain text.
  }
  return cause;
}
