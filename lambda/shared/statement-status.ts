import type { DescribeStatementResponse, Field } from '@aws-sdk/client-redshift-data';
import { DataQualityError, RunInProgressError, StatementFailedError } from '../../contract/errors';

/** Polls back off from 1 s, doubling up to this cap: short steps finish fast, long COPYs poll rarely. */
export const MAX_WAIT_SECONDS = 30;

export function nextWaitSeconds(polls: number): number {
  return Math.min(MAX_WAIT_SECONDS, 2 ** Math.max(0, polls));
}

/**
 * Whether an unfinished statement has run past its limit, counted from its creation. A statement
 * whose creation time is unknown is given the benefit of the doubt.
 */
export function isOverdue(createdAt: Date | undefined, now: number, limitMs: number): boolean {
  return createdAt !== undefined && now - createdAt.getTime() > limitMs;
}

export type PendingStatus = 'SUBMITTED' | 'PICKED' | 'STARTED';

export type StatementProgress =
  | { readonly finished: false; readonly status: PendingStatus }
  | {
      readonly finished: true;
      readonly status: 'FINISHED';
      /** Rows each statement affected, in order (one entry for a single statement). */
      readonly rowsAffected: number[];
      readonly hasResultSet: boolean;
      readonly durationMs: number;
    };

/**
 * Reads a DescribeStatement answer. FAILED and ABORTED raise StatementFailed with Redshift's own
 * error text and, for a batch, which statement failed; a poller that only knew FINISHED and FAILED
 * would loop forever on ABORTED.
 */
export function interpretStatus(
  step: string,
  description: Partial<DescribeStatementResponse>,
): StatementProgress {
  const status = description.Status;
  switch (status) {
    case 'SUBMITTED':
    case 'PICKED':
    case 'STARTED':
      return { finished: false, status };
    case 'FINISHED': {
      const subStatements = description.SubStatements ?? [];
      const rowsAffected =
        subStatements.length > 0
          ? subStatements.map((sub) => sub.ResultRows ?? 0)
          : [description.ResultRows ?? 0];
      return {
        finished: true,
        status,
        rowsAffected,
        hasResultSet: description.HasResultSet ?? subStatements.some((sub) => sub.HasResultSet),
        durationMs: Math.round((description.Duration ?? 0) / 1e6),
      };
    }
    case 'FAILED':
    case 'ABORTED': {
      const failed = (description.SubStatements ?? []).findIndex((sub) => sub.Status === 'FAILED');
      const where = failed >= 0 ? ` in statement ${failed + 1} of ${description.SubStatements?.length}` : '';
      const reason =
        description.Error ?? (status === 'ABORTED' ? 'the statement was cancelled' : 'no error text');
      // The gate procedure raised: the step's merges rolled back, and the report is the message.
      const gate = /DataQualityCheckFailed: ([\s\S]*)/.exec(reason);
      if (status === 'FAILED' && gate) throw new DataQualityError(`${step}: ${gate[1]!.trim()}`);
      throw new StatementFailedError(`${step} ${status}${where}: ${reason}`);
    }
    default:
      throw new StatementFailedError(`${step}: unexpected statement status ${JSON.stringify(status)}`);
  }
}

export interface CheckResult {
  readonly check: string;
  readonly failingRows: number;
}

/** Reads a gate's (check_name, failing_rows) records as the Data API types them. */
export function parseCheckRecords(records: readonly Field[][]): CheckResult[] {
  return records.map((record, index) => {
    const [name, count] = record;
    const failingRows =
      count?.longValue ?? (count?.stringValue === undefined ? undefined : Number(count.stringValue));
    if (name?.stringValue === undefined || failingRows === undefined || !Number.isFinite(failingRows)) {
      throw new Error(
        `quality check row ${index + 1} is not (check_name, failing_rows): ${JSON.stringify(record)}`,
      );
    }
    return { check: name.stringValue, failingRows };
  });
}

/** Throws a readable report of every failing check; returns the results when all pass. */
export function enforceChecks(step: string, results: readonly CheckResult[]): readonly CheckResult[] {
  const failures = results.filter((result) => result.failingRows !== 0);
  if (failures.length > 0) {
    const lines = failures.map((failure) => `  - ${failure.check}: ${failure.failingRows} row(s)`);
    throw new DataQualityError(
      `${step}: ${failures.length} of ${results.length} data-quality checks failed\n${lines.join('\n')}`,
    );
  }
  return results;
}

/** Between two claims of a taken run lock. */
export const LOCK_RETRY_SECONDS = 60;
/** How long a run waits for the lock before failing: longer than a nightly run, far below 12 h. */
export const MAX_LOCK_WAIT_MS = 3 * 60 * 60 * 1000;

export type LockProgress =
  | { readonly claimed: true; readonly catalogueEmpty: boolean }
  | { readonly claimed: false; readonly waitSeconds: number };

/**
 * Reads claim_run's (claimed, holder, acquired_at, catalogue_empty) record: this run holds the
 * lock (and finds the song catalogue empty or not), or waits for the holder, or, once it has
 * waited longer than it may since the execution started, fails naming the run that holds it.
 */
export function decideLock(records: readonly Field[][], executionStart: number, now: number): LockProgress {
  const [claimed, holder, since, catalogueEmpty] = records[0] ?? [];
  if (claimed?.booleanValue === true)
    return { claimed: true, catalogueEmpty: catalogueEmpty?.booleanValue === true };
  const waitedMs = now - executionStart;
  if (waitedMs > MAX_LOCK_WAIT_MS) {
    throw new RunInProgressError(
      `run ${holder?.stringValue ?? '(unknown)'} has held the pipeline lock since ${since?.stringValue ?? '(unknown)'}; ` +
        `this run waited ${Math.round(waitedMs / 60_000)} min for it. Runs take turns because they share the staging tables.`,
    );
  }
  return { claimed: false, waitSeconds: LOCK_RETRY_SECONDS };
}
