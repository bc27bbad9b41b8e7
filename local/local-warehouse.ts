import { performance } from 'node:perf_hooks';
import { executeCopy, type CopyOutcome } from './copy/copy-loader';
import { translate } from './copy/dialect';
import type { LocalS3 } from './copy/local-s3';
import type { Engine, QueryResult } from './engine/engine';

export interface StatementOutcome {
  /** Rows changed (DML), returned (SELECT) or loaded (COPY). */
  readonly rowsAffected: number;
  readonly result?: QueryResult;
  readonly copy?: CopyOutcome;
  readonly durationMs: number;
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
  run(statements: readonly string[]): Promise<StatementOutcome[]> {
    return this.engine.transaction(async (session) => {
      const outcomes: StatementOutcome[] = [];
      for (const [index, statement] of statements.entries()) {
        const started = performance.now();
        try {
          const local = translate(statement);
          if (local.kind === 'copy') {
            const copy = await executeCopy(session, local.copy, this.s3);
            outcomes.push({ rowsAffected: copy.rowsLoaded, copy, durationMs: performance.now() - started });
          } else {
            const result = await session.query(local.sql);
            outcomes.push({ rowsAffected: result.rowCount, result, durationMs: performance.now() - started });
          }
        } catch (error) {
          throw new StatementError(index, statements.length, error as Error);
        }
      }
      return outcomes;
    });
  }
}
