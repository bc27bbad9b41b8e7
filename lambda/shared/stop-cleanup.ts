import type { StatementData } from '@aws-sdk/client-redshift-data';
import createAuditTables from '../../sql/create_audit_tables.sql';
import recordStop from '../../sql/record_stop.sql';
import { InvalidInputError, StatementFailedError } from '../../contract/errors';
import {
  STATUS_CHANGE_DETAIL_TYPE,
  STATUS_CHANGE_SOURCE,
  STOP_STATUSES,
  type StopStatus,
} from '../../contract/execution-status';
import { isStepName } from '../../contract/steps';
import { describeFailure, MAX_ERROR_BYTES, lockRunAuditFile } from './sql-steps';
import { renderStatements, truncateUtf8 } from './sql-template';
import { asRecord, readString } from './step-input';

/** What the cleanup needs of a "Step Functions Execution Status Change" event. */
export interface ExecutionStop {
  readonly executionArn: string;
  /** The execution name, which is the run id. */
  readonly runId: string;
  readonly status: StopStatus;
  /** Epoch milliseconds. */
  readonly stoppedAt: number;
  readonly error?: string;
  readonly cause?: string;
}

function isStopStatus(value: unknown): value is StopStatus {
  return typeof value === 'string' && (STOP_STATUSES as readonly string[]).includes(value);
}

function optionalText(detail: Record<string, unknown>, field: string): string | undefined {
  const value = detail[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads the EventBridge event field by field, so a malformed one names what is wrong. */
export function readExecutionStop(event: unknown): ExecutionStop {
  const record = asRecord(event, 'event');
  if (record.source !== STATUS_CHANGE_SOURCE || record['detail-type'] !== STATUS_CHANGE_DETAIL_TYPE) {
    throw new InvalidInputError(
      `event must be a "${STATUS_CHANGE_DETAIL_TYPE}" event from ${STATUS_CHANGE_SOURCE}, got ` +
        `${JSON.stringify(record['detail-type'])} from ${JSON.stringify(record.source)}`,
    );
  }
  const detail = asRecord(record.detail, 'event.detail');
  if (!isStopStatus(detail.status)) {
    throw new InvalidInputError(
      `event.detail.status must be one of ${STOP_STATUSES.join(', ')}, got ${JSON.stringify(detail.status)}`,
    );
  }
  if (typeof detail.stopDate !== 'number' || !Number.isFinite(detail.stopDate)) {
    throw new InvalidInputError(
      `event.detail.stopDate must be epoch milliseconds, got ${JSON.stringify(detail.stopDate)}`,
    );
  }
  const error = optionalText(detail, 'error');
  const cause = optionalText(detail, 'cause');
  return {
    executionArn: readString(detail, 'executionArn'),
    runId: readString(detail, 'name'),
    status: detail.status,
    stoppedAt: detail.stopDate,
    ...(error === undefined ? {} : { error }),
    ...(cause === undefined ? {} : { cause }),
  };
}

/** The prefix the submit handler's statement names share within one run. */
export const runStatementPrefix = (runId: string): string => `sparkify-${runId}-`;

/** Not a step name, so a later cleanup of the same run never takes this statement for the run's own. */
export const stopStatementName = (runId: string): string => `${runStatementPrefix(runId)}stop-cleanup`;

const UNFINISHED = new Set(['SUBMITTED', 'PICKED', 'STARTED']);

/**
 * The run's statements still queued or running when the execution stopped. The name must be the
 * run's prefix followed by a step name, not just start with the prefix: run `a` would otherwise
 * cancel the statements of run `a-b`. A statement created after the stop belongs to a redrive of
 * the same execution name, and is left alone.
 */
export function statementsToCancel(stop: ExecutionStop, listed: readonly StatementData[]): string[] {
  const prefix = runStatementPrefix(stop.runId);
  return listed
    .filter(
      (statement) =>
        statement.Id !== undefined &&
        statement.StatementName?.startsWith(prefix) === true &&
        isStepName(statement.StatementName.slice(prefix.length)) &&
        UNFINISHED.has(statement.Status ?? '') &&
        (statement.CreatedAt === undefined || statement.CreatedAt.getTime() <= stop.stoppedAt),
    )
    .map((statement) => statement.Id!);
}

/** What the audit says about the end: the execution's own error if it has one. */
export function stopDescription(stop: ExecutionStop): string {
  const text =
    stop.error === undefined && stop.cause === undefined
      ? `Execution ${stop.status}: ${stop.executionArn} ended at ${new Date(stop.stoppedAt).toISOString()}`
      : describeFailure({ Error: stop.error ?? `Execution ${stop.status}`, Cause: stop.cause ?? '' });
  return truncateUtf8(text, MAX_ERROR_BYTES);
}

/**
 * The audit update, one transaction: the audit tables are created first because an execution
 * stopped before its first create_tables ever ran has none, and the update must not fail on that.
 */
export function stopStatements(stop: ExecutionStop): string[] {
  return renderStatements(
    [
      { name: 'create_audit_tables.sql', text: createAuditTables },
      lockRunAuditFile,
      { name: 'record_stop.sql', text: recordStop },
    ],
    { run_id: stop.runId, status: stop.status, error: stopDescription(stop) },
  );
}

/** The Data API calls the cleanup makes; WarehouseClient is one. */
export interface CleanupWarehouse {
  listStatements(namePrefix: string): Promise<StatementData[]>;
  cancel(statementId: string): Promise<void>;
  describe(statementId: string): Promise<{ Status?: string; Error?: string }>;
  submit(statements: readonly string[], statementName: string): Promise<string>;
}

export interface CleanupTiming {
  /** How long the cleanup may still wait for its audit update. */
  remainingMs(): number;
  sleep(ms: number): Promise<void>;
}

export interface CleanupResult {
  readonly runId: string;
  readonly status: StopStatus;
  /** The statements this cleanup cancelled. */
  readonly cancelled: readonly string[];
  readonly auditStatementId: string;
  /** FINISHED, or still SUBMITTED/PICKED/STARTED when the function's time ran out. */
  readonly auditStatus: string;
}

const POLL_MS = 250;

/**
 * Cancels what the stopped run left running, then marks its audit row. A statement that finished
 * between the listing and the cancel is not an error. The audit update needs no wait for the
 * cancels: it queues behind their rollback on the table's lock. It is then followed while the
 * function has time, so a failure surfaces as the invocation's error and Lambda's asynchronous
 * retry runs the whole cleanup again, which is safe: the update changes only a RUNNING row. An
 * update still running when time is up finishes in the warehouse without the function.
 */
export async function cleanUpStoppedRun(
  stop: ExecutionStop,
  warehouse: CleanupWarehouse,
  timing: CleanupTiming,
): Promise<CleanupResult> {
  const listed = await warehouse.listStatements(runStatementPrefix(stop.runId));
  const cancelled: string[] = [];
  for (const id of statementsToCancel(stop, listed)) {
    try {
      await warehouse.cancel(id);
      cancelled.push(id);
    } catch (error) {
      const { Status } = await warehouse.describe(id);
      if (UNFINISHED.has(Status ?? '')) throw error;
    }
  }
  const auditStatementId = await warehouse.submit(stopStatements(stop), stopStatementName(stop.runId));
  for (;;) {
    const { Status = 'SUBMITTED', Error } = await warehouse.describe(auditStatementId);
    if (Status === 'FAILED' || Status === 'ABORTED') {
      throw new StatementFailedError(
        `recording the ${stop.status} run ${stop.runId}: ${Status} ${Error ?? ''}`,
      );
    }
    if (Status === 'FINISHED' || timing.remainingMs() < POLL_MS * 4) {
      return { runId: stop.runId, status: stop.status, cancelled, auditStatementId, auditStatus: Status };
    }
    await timing.sleep(POLL_MS);
  }
}
