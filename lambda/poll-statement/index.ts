import { readStatementTimeoutMs, readWarehouseEnvironment } from '../../contract/environment';
import { InvalidInputError, StatementTimedOutError } from '../../contract/errors';
import { WarehouseClient } from '../shared/redshift-data';
import { SQL_STEPS, type SqlStep } from '../shared/sql-steps';
import {
  enforceChecks,
  interpretStatus,
  isOverdue,
  nextWaitSeconds,
  parseCheckRecords,
  decideLock,
  type CheckResult,
  type StatementProgress,
} from '../shared/statement-status';
import { asRecord, readStep, readString } from '../shared/step-input';

const warehouse = new WarehouseClient(readWarehouseEnvironment());
const STATEMENT_TIMEOUT_MS = readStatementTimeoutMs();

export interface PollStatementEvent {
  readonly step: string;
  readonly statementId: string;
  /** How many polls came before this one; drives the capped backoff. */
  readonly polls?: number;
  /** `$$.Execution.StartTime`: how long a run has waited for the run lock is counted from it. */
  readonly executionStartTime?: string;
}

export type PollStatementResult = StatementProgress & {
  readonly statementId: string;
  readonly polls: number;
  /** How long the state machine's Wait state sleeps before the next poll. */
  readonly waitSeconds: number;
  readonly checks?: readonly CheckResult[];
  /** For the run-lock step: whether this run holds the lock, or waits `waitSeconds` to claim again. */
  readonly claimed?: boolean;
  /** For the run-lock step, once claimed: the song catalogue is empty, so this run must load it. */
  readonly catalogueEmpty?: boolean;
};

export async function handler(event: PollStatementEvent): Promise<PollStatementResult> {
  const record = asRecord(event, 'event');
  const step = readStep(record);
  const statementId = readString(record, 'statementId');
  const polls = typeof record.polls === 'number' ? record.polls + 1 : 1;

  const description = await warehouse.describe(statementId);
  const progress = interpretStatus(step, description);
  const base = { statementId, polls, waitSeconds: nextWaitSeconds(polls) };
  if (!progress.finished) {
    if (isOverdue(description.CreatedAt, Date.now(), STATEMENT_TIMEOUT_MS)) {
      await warehouse.cancel(statementId);
      throw new StatementTimedOutError(
        `${step}: still ${progress.status} after ${STATEMENT_TIMEOUT_MS / 1000} s`,
      );
    }
    return { ...progress, ...base };
  }
  const sqlStep: SqlStep = SQL_STEPS[step];
  if (sqlStep.result === undefined) return { ...progress, ...base };
  // In a batch the step's result is the last statement's, read by its sub-statement id.
  const records = await warehouse.records(description.SubStatements?.at(-1)?.Id ?? statementId);
  if (sqlStep.result === 'checks') {
    return { ...progress, ...base, checks: enforceChecks(step, parseCheckRecords(records)) };
  }
  const started = Date.parse(readString(record, 'executionStartTime'));
  if (Number.isNaN(started)) throw new InvalidInputError('event.executionStartTime is not a time');
  return { ...progress, ...base, ...decideLock(records, started, Date.now()) };
}
