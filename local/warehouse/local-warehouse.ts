import { performance } from 'node:perf_hooks';
import { setImmediate as eventLoopTurn } from 'node:timers/promises';
import {
  conversionThreadsBeside,
  CopyLoadError,
  executeCopy,
  type CopyOptions,
  type CopyOutcome,
} from '../copy/copy-loader';
import { DialectError, translate, type CopyCommand } from './dialect';
import {
  keepLoadErrors,
  recordPendingLoadErrors,
  rememberLastCopy,
  startCopyQuery,
  type LoadErrors,
} from './load-errors';
import { installRedshiftCatalog, useRedshiftCatalog } from './redshift-catalog';
import {
  analyzeAfterLargeInsert,
  analyzeLoadedTable,
  createLocalIndexes,
  createsTable,
  insertedRows,
  insertPlannedForGrowth,
} from './local-tuning';
import type { LocalS3 } from '../copy/local-s3';
import type { Engine, QueryResult, SqlSession } from '../engine/engine';

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
   * Once aborted, the whole transaction rolls back: a server interrupts the running statement,
   * PGlite (which cannot be interrupted) stops before its next statement or COMMIT.
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
  /** The catalog, once installed; it resolves to the search_path sessions start with. */
  private catalog?: Promise<string>;

  private readonly copyOptions: CopyOptions;

  constructor(
    readonly engine: Engine,
    readonly s3: LocalS3,
    copyOptions: CopyOptions = {},
  ) {
    this.copyOptions = {
      conversionThreads: conversionThreadsBeside(engine.threadsInThisProcess),
      ...copyOptions,
    };
  }

  /**
   * Runs the statements in order as ONE transaction, like a Data API batch: all or nothing, except
   * COPY's load errors, which Redshift keeps whatever becomes of the transaction.
   */
  async run(
    statements: readonly WarehouseStatement[],
    options: RunOptions = {},
  ): Promise<StatementOutcome[]> {
    const searchPath = await this.installCatalog();
    const loadErrors: LoadErrors[] = [];
    try {
      return await this.runTransaction(statements, options, searchPath, loadErrors);
    } finally {
      if (loadErrors.some((errors) => errors.rejections.length > 0)) {
        // What the caller must see is the run's own outcome, even if this bookkeeping fails.
        await this.engine
          .transaction(async (session) => {
            for (const errors of loadErrors) await keepLoadErrors(session, errors);
          })
          .catch(() => undefined);
      }
    }
  }

  /**
   * Installs the Redshift catalog the first statements need, once; a caller may start it early,
   * while it does other work (the engine installs it on its own thread or server).
   */
  installCatalog(): Promise<string> {
    this.catalog ??= installRedshiftCatalog(this.engine).catch((error: unknown) => {
      this.catalog = undefined; // a later run tries again
      throw error;
    });
    return this.catalog;
  }

  private runTransaction(
    statements: readonly WarehouseStatement[],
    options: RunOptions,
    searchPath: string,
    loadErrors: LoadErrors[],
  ): Promise<StatementOutcome[]> {
    const { signal, onOutcome } = options;
    const checkCancelled = async (completed: number) => {
      if (!signal) return;
      // The COPY loader's work between queries runs on this thread: a turn lets a cancel request in.
      await eventLoopTurn();
      if (signal.aborted) throw new RunCancelledError(completed, statements.length);
    };
    return this.engine.transaction(
      async (session) => {
        await useRedshiftCatalog(session, searchPath);
        const outcomes: StatementOutcome[] = [];
        let mayWantLocalIndexes = false;
        for (const [index, statement] of statements.entries()) {
          await checkCancelled(index);
          const started = performance.now();
          const { sql, params } = typeof statement === 'string' ? { sql: statement, params: [] } : statement;
          try {
            const local = translate(sql);
            let outcome: StatementOutcome;
            if (local.kind === 'copy') {
              if (params.length > 0) throw new DialectError('COPY takes no bind parameters');
              const copy = await this.copy(session, local.copy, loadErrors);
              outcome = { rowsAffected: copy.rowsLoaded, copy, durationMs: performance.now() - started };
            } else {
              const result = await insertPlannedForGrowth(session, local.sql, () =>
                session.query(local.sql, params.length > 0 ? params : undefined),
              );
              await analyzeAfterLargeInsert(session, local.sql, result.rowCount);
              mayWantLocalIndexes ||= createsTable(sql) || insertedRows(local.sql, result.rowCount);
              outcome = { rowsAffected: result.rowCount, result, durationMs: performance.now() - started };
            }
            onOutcome?.(outcome, index);
            outcomes.push(outcome);
          } catch (error) {
            // The engine interrupted the statement because the run was cancelled.
            if (signal?.aborted) throw new RunCancelledError(index, statements.length);
            throw new StatementError(index, statements.length, error as Error);
          }
        }
        if (mayWantLocalIndexes) await createLocalIndexes(session);
        await checkCancelled(statements.length);
        return outcomes;
      },
      { signal },
    );
  }

  /** A COPY, with its rejections in the load-error views whether it succeeds or fails. */
  private async copy(
    session: SqlSession,
    command: CopyCommand,
    loadErrors: LoadErrors[],
  ): Promise<CopyOutcome> {
    const query = await startCopyQuery(session, command.table);
    let outcome: CopyOutcome;
    try {
      outcome = await executeCopy(session, command, this.s3.as(command.iamRole), this.copyOptions);
    } catch (error) {
      // The failed COPY rolls its transaction back; run() keeps these after the rollback.
      if (error instanceof CopyLoadError) loadErrors.push({ query, rejections: error.rejections });
      throw error;
    }
    const errors = { query, rejections: outcome.rejections };
    loadErrors.push(errors);
    await recordPendingLoadErrors(session, errors);
    await rememberLastCopy(session, query, outcome.rowsLoaded);
    await analyzeLoadedTable(session, command.table);
    return outcome;
  }
}
