import { performance } from 'node:perf_hooks';
import { setImmediate as eventLoopTurn } from 'node:timers/promises';
import { executeCopy, type CopyOutcome } from '../copy/copy-loader';
import { DialectError, translate } from './dialect';
import type { LocalS3 } from '../copy/local-s3';
import type { Engine, QueryResult } from '../engine/engine';

export interface StatementOutcome {
  /** Rows changed (DML), returned (SELECT) or loaded (COPY). */
  readonly rowsAffected: number;
  readonly result?: QueryResult;
  readonly copy?: CopyOutcome;
  readonly durationMs: number;
}

/** A statement with positional parameters (`$1`, `$2`, …) that the engine binds, typed by inference. */
export interface ParameterisedStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export type WarehouseStatement = string | ParameterisedStatement;

export interface RunOptions {
  /**
   * Checked before each statement and before COMMIT, after giving the event loop a turn: once
   * aborted, the whole transaction rolls back. A statement already running is not interrupted.
   */
  readonly signal?: AbortSignal;
  /**
   * Sees each outcome while the transaction is still open, so a caller's own limit on a result
   * (the Data API's row and result sizes) fails that statement and rolls back the rest, as it would
   * on Redshift; what it throws becomes the StatementError's cause.
   */
  readonly onOutcome?: (outcome: StatementOutcome, index: number) => void;
}

/** Which statement of a transaction failed; the cause is the engine's or the loader's own error. */
export class StatementError extends Error {
  override readonly name = 'StatementError';
  constructor(
    readonly index: number,
    readonly total: number,
    override readonly cause: Error,
  ) {
    super(total > 1 ? `statement ${index + 1} of ${total}: ${cause.message}` : cause.message);
  }
}

/** The run's signal was aborted; everything it had done is rolled back. */
export class RunCancelledError extends Error {
  override readonly name = 'RunCancelledError';
  constructor(
    /** Statements that had run (and were rolled back) when the cancellation was seen. */
    readonly completed: number,
    readonly total: number,
  ) {
    super(`cancelled after ${completed} of ${total} statement(s); the transaction was rolled back`);
  }
}

/**
 * The warehouse as the local pipeline sees it: Redshift-dialect statements in, run through the
 * dialect bridge on the engine, COPY served from directories standing in for S3.
 */
export class LocalWarehouse {
  constructor(
    readonly engine: Engine,
    readonly s3: LocalS3,
  ) {}

  /** Runs the statements in order as ONE transaction, like a Data API batch: all or nothing. */
  run(statements: readonly WarehouseStatement[], options: RunOptions = {}): Promise<StatementOutcome[]> {
    const { signal, onOutcome } = options;
    const checkCancelled = async (completed: number) => {
      if (!signal) return;
      // PGlite runs on this thread and its queries give I/O no turn: without one, a cancel request
      // could not be read until the whole transaction was over.
      await eventLoopTurn();
      if (signal.aborted) throw new RunCancelledError(completed, statements.length);
    };
    return this.engine.transaction(async (session) => {
      const outcomes: StatementOutcome[] = [];
      for (const [index, statement] of statements.entries()) {
        await checkCancelled(index);
        const started = performance.now();
        const { sql, params } = typeof statement === 'string' ? { sql: statement, params: [] } : statement;
        try {
          const local = translate(sql);
          let outcome: StatementOutcome;
          if (local.kind === 'copy') {
            if (params.length > 0) throw new DialectError('COPY takes no bind parameters');
            const copy = await executeCopy(session, local.copy, this.s3.as(local.copy.iamRole));
            outcome = { rowsAffected: copy.rowsLoaded, copy, durationMs: performance.now() - started };
          } else {
            const result = await session.query(local.sql, params.length > 0 ? params : undefined);
            outcome = { rowsAffected: result.rowCount, result, durationMs: performance.now() - started };
          }
          onOutcome?.(outcome, index);
          outcomes.push(outcome);
        } catch (error) {
          throw new StatementError(index, statements.length, error as Error);
        }
      }
      await checkCancelled(statements.length);
      return outcomes;
    });
  }
}
