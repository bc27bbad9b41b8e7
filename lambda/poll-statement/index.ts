import { readStatementTimeoutMs, readWarehouseEnvironment } from '../../contract/environment';
import { StatementTimedOutError } from '../../contract/errors';
import { WarehouseClient } from '../shared/redshift-data';
import { SQL_STEPS, type SqlStep } from '../shared/sql-steps';
import {
  enforceChecks,
  interpretStatus,
  isOverdue,
  nextWaitSeconds,
  parseCheckRecords,
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
}

export type PollStatementResult = StatementProgress & {
  readonly statementId: string;
  readonly polls: number;
  /** How long the state machine's Wait state sleeps before the next poll. */
  readonly waitSeconds: number;
  readonly checks?: readonly CheckResult[];
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
  if (sqlStep.gate) {
    // In a batch the checks are the last statement's result, read by its sub-statement id.
    const resultId = description.SubStatements?.at(-1)?.Id ?? statementId;
    const checks = enforceChecks(step, parseCheckRecords(await warehouse.records(resultId)));
    return { ...progress, ...base, checks };
  }
  return { ...progress, ...base };
}
