import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  RunCancelledError,
  StatementError,
  type LocalWarehouse,
  type StatementOutcome,
  type WarehouseStatement,
} from '../warehouse/local-warehouse';
import { AutomaticVacuum } from './automatic-vacuum';
import { ActiveStatementsExceededException, ResourceNotFoundException, ValidationException } from './errors';
import { isSerializationFailure, serializationViolation, writtenTable } from './serialization-violation';
import type { SqlParameter } from './parameters';
import { toResultSet, type ResultSet } from './result-set';

export type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

/** Redshift's limit on SUBMITTED, PICKED and STARTED statements per cluster or workgroup. */
export const MAX_ACTIVE_STATEMENTS = 200;
/** Redshift keeps statements and their results for 24 hours. */
export const RETENTION_MS = 24 * 60 * 60 * 1000;
// Local bounds on what is kept within those 24 hours (statements, and bytes of SQL text and
// results), oldest dropped first.
const MAX_RETAINED_STATEMENTS = 10_000;
const MAX_RETAINED_BYTES = 256 * 1024 * 1024;

export interface Target {
  readonly clusterIdentifier?: string;
  readonly workgroupName?: string;
  readonly database: string;
  readonly dbUser?: string;
  readonly secretArn?: string;
}

export interface Submission {
  readonly target: Target;
  /** The idempotency token: a repeated request with the same token gets the same statement. */
  readonly clientToken?: string;
  readonly statementName?: string;
  readonly isBatch: boolean;
  /** The SQL as the client sent it: what Describe and List show. */
  readonly queryStrings: readonly string[];
  readonly parameters?: readonly SqlParameter[];
  /** What runs: the SQL with its parameters bound. */
  readonly statements: readonly WarehouseStatement[];
  /** Who submitted it, when the server authorizes callers. */
  readonly owner?: Caller;
}

/** A signed caller: a role session. */
export interface Caller {
  /** `aws:userid`, `<RoleId>:<session name>`. */
  readonly userid: string;
  readonly roleId: string;
}

// The mutable fields below change only inside StatementQueue; callers read them.

export interface SubStatement {
  /** `<uuid>:<n>` in a batch; a single statement's one sub-statement shares its id. */
  readonly id: string;
  readonly queryString: string;
  readonly redshiftQueryId: number;
  status: StatementStatus;
  updatedAt: Date;
  /** How long it ran, in nanoseconds; -1 until it has run. */
  durationNs: number;
  /** Rows returned (a result set) or affected; -1 unless it FINISHED. */
  resultRows: number;
  /** Bytes of its result set; -1 unless it FINISHED. */
  resultSize: number;
  result?: ResultSet;
  error?: string;
}

export interface Statement extends Submission {
  readonly id: string;
  /** Submission order, for paging through ListStatements while new statements arrive. */
  readonly sequence: number;
  readonly createdAt: Date;
  readonly redshiftPid: number;
  readonly subStatements: readonly SubStatement[];
  status: StatementStatus;
  updatedAt: Date;
  durationNs: number;
  error?: string;
}

const isActive = (statement: { readonly status: StatementStatus }): boolean =>
  statement.status === 'SUBMITTED' || statement.status === 'PICKED' || statement.status === 'STARTED';

/**
 * The Data API's statements and their life cycle: SUBMITTED when accepted, PICKED once queued,
 * STARTED while it runs, then FINISHED, FAILED or ABORTED. Statements start in submission order, as
 * many at once as the engine runs transactions (a server: side by side, each in its own
 * transaction, as on Redshift; PGlite: one at a time, which is serializable by construction).
 */
export class StatementQueue {
  /** In submission order, which is also age order, so expiry drops from the front. */
  private readonly statements = new Map<string, Statement>();
  private readonly byClientToken = new Map<string, Statement>();
  private readonly waiting: Statement[] = [];
  private readonly running = new Map<
    Statement,
    {
      readonly abort: AbortController;
      readonly done: Promise<void>;
      /** The RedshiftPid of every statement that ran while this one did: its possible conflicts. */
      readonly beside: Set<number>;
    }
  >();
  /** Who waits for a running statement to end (whenEnded). */
  private readonly endWatchers = new Map<Statement, (() => void)[]>();
  private retainedBytes = 0;
  private nextSequence = 1;
  private nextPid = 1073741825;
  private nextQueryId = 1;
  private readonly vacuum: AutomaticVacuum;

  constructor(
    private readonly warehouse: LocalWarehouse,
    private readonly now: () => number = Date.now,
  ) {
    this.vacuum = new AutomaticVacuum(warehouse.engine);
  }

  submit(submission: Submission): Statement {
    this.expire();
    const repeated =
      submission.clientToken === undefined ? undefined : this.byClientToken.get(submission.clientToken);
    if (repeated) {
      if (requestOf(repeated) !== requestOf(submission)) {
        throw new ValidationException(
          `ClientToken ${submission.clientToken} was already used by a request with different parameters.`,
        );
      }
      return repeated;
    }
    if (this.waiting.length + this.running.size >= MAX_ACTIVE_STATEMENTS) {
      throw new ActiveStatementsExceededException(
        `Active statements exceeded the allowed quota of ${MAX_ACTIVE_STATEMENTS}.`,
      );
    }
    const id = randomUUID();
    const createdAt = new Date(this.now());
    const statement: Statement = {
      ...submission,
      id,
      sequence: this.nextSequence++,
      createdAt,
      redshiftPid: this.nextPid++,
      subStatements: submission.queryStrings.map((queryString, index) => ({
        id: submission.isBatch ? `${id}:${index + 1}` : id,
        queryString,
        redshiftQueryId: this.nextQueryId++,
        status: 'SUBMITTED',
        updatedAt: createdAt,
        durationNs: -1,
        resultRows: -1,
        resultSize: -1,
      })),
      status: 'SUBMITTED',
      updatedAt: createdAt,
      durationNs: -1,
    };
    this.statements.set(id, statement);
    if (submission.clientToken !== undefined) this.byClientToken.set(submission.clientToken, statement);
    this.retainedBytes += queryBytes(statement);
    this.waiting.push(statement);
    setImmediate(() => this.pick());
    return statement;
  }

  /** A statement by its id, or by a batch sub-statement's `<id>:<n>`. */
  find(id: string): { readonly statement: Statement; readonly subStatement?: SubStatement } {
    this.expire();
    const [statementId = '', suffix] = id.split(':');
    const statement = this.statements.get(statementId);
    if (!statement) throw new ResourceNotFoundException(id);
    if (suffix === undefined) return { statement };
    const subStatement = statement.isBatch ? statement.subStatements[Number(suffix) - 1] : undefined;
    if (!subStatement) throw new ResourceNotFoundException(id);
    return { statement, subStatement };
  }

  /** Newest first. */
  list(): Statement[] {
    this.expire();
    return [...this.statements.values()].reverse();
  }

  /**
   * A queued statement is ABORTED at once, without running. A running one is interrupted (on a
   * server) or stopped before its next statement or COMMIT (PGlite cannot interrupt a query), then
   * rolled back: it reads STARTED until the rollback is done. A sub-statement's id cancels its whole
   * batch, the one transaction it belongs to.
   */
  cancel(id: string): void {
    const { statement } = this.find(id);
    if (statement.status === 'SUBMITTED' || statement.status === 'PICKED') {
      this.waiting.splice(this.waiting.indexOf(statement), 1);
      this.settle(statement, 'ABORTED');
    } else if (statement.status === 'STARTED') {
      this.running.get(statement)?.abort.abort();
    } else {
      throw new ValidationException(`Could not cancel a query that is already in ${statement.status} state.`);
    }
  }

  /** Aborts what is queued and running, and waits until the engine is idle, vacuums included. */
  async close(): Promise<void> {
    for (const statement of this.waiting.splice(0)) this.settle(statement, 'ABORTED');
    for (const { abort } of this.running.values()) abort.abort();
    await Promise.all([...this.running.values()].map(({ done }) => done));
    await this.vacuum.idle();
  }

  private pick(): void {
    const now = new Date(this.now());
    for (const statement of this.waiting) {
      if (statement.status !== 'SUBMITTED') continue;
      mark(statement, 'PICKED', now);
      for (const sub of statement.subStatements) mark(sub, 'PICKED', now);
    }
    this.startPicked();
  }

  /** Statements submitted since the last pick stay SUBMITTED until their own pick comes round. */
  private startPicked(): void {
    while (this.running.size < this.warehouse.engine.concurrency && this.waiting[0]?.status === 'PICKED') {
      const statement = this.waiting.shift()!;
      const beside = new Set<number>();
      for (const [other, running] of this.running) {
        running.beside.add(statement.redshiftPid);
        beside.add(other.redshiftPid);
      }
      const abort = new AbortController();
      const done = this.execute(statement, abort.signal).finally(() => {
        this.running.delete(statement);
        this.startPicked();
      });
      this.running.set(statement, { abort, done, beside });
    }
  }

  private async execute(statement: Statement, signal: AbortSignal): Promise<void> {
    const now = new Date(this.now());
    mark(statement, 'STARTED', now);
    mark(statement.subStatements[0]!, 'STARTED', now);
    const started = performance.now();
    try {
      await this.warehouse.run(statement.statements, {
        signal,
        onOutcome: (outcome, index) => this.completeSubStatement(statement, index, outcome),
      });
      this.settle(statement, 'FINISHED');
      this.vacuum.committed(
        statement.subStatements.map((sub) => ({ sql: sub.queryString, rowsAffected: sub.resultRows })),
      );
    } catch (error) {
      if (error instanceof RunCancelledError) {
        this.settle(statement, 'ABORTED');
      } else {
        const cause = error instanceof StatementError ? error.cause : (error as Error);
        const subStatement =
          error instanceof StatementError ? statement.subStatements[error.index] : undefined;
        this.settle(statement, 'FAILED', {
          // Redshift's error text: the server's message behind its severity.
          error: isSerializationFailure(cause)
            ? await this.serializationViolation(statement, subStatement)
            : `ERROR: ${cause.message}`,
          subStatement,
        });
      }
    } finally {
      statement.durationNs = Math.round((performance.now() - started) * 1e6);
    }
  }

  /**
   * Error 1023 naming the table the failed statement writes (or, when COMMIT failed, the batch's last
   * write), and the statements that ran beside it.
   */
  private async serializationViolation(statement: Statement, failed?: SubStatement): Promise<string> {
    const writes = (failed ? [failed] : statement.subStatements).map((sub) => writtenTable(sub.queryString));
    const table = writes.filter((name) => name !== undefined).at(-1);
    const tableId =
      table === undefined
        ? undefined
        : await this.warehouse.engine
            .transaction((session) => session.query('SELECT to_regclass($1)::oid::bigint AS id', [table]))
            .then(({ rows }) => (rows[0]?.id as number | null) ?? undefined)
            .catch(() => undefined);
    const beside = this.running.get(statement)?.beside ?? [];
    const pids = [statement.redshiftPid, ...beside].sort((a, b) => a - b);
    return serializationViolation(tableId, pids, statement.redshiftPid);
  }

  /** Runs inside the transaction: a result the Data API cannot return fails the statement here. */
  private completeSubStatement(statement: Statement, index: number, outcome: StatementOutcome): void {
    const sub = statement.subStatements[index]!;
    const result =
      outcome.result && outcome.result.fields.length > 0 ? toResultSet(outcome.result) : undefined;
    sub.result = result;
    sub.resultRows = result ? result.records.length : outcome.rowsAffected;
    sub.resultSize = result?.size ?? 0;
    sub.durationNs = Math.round(outcome.durationMs * 1e6);
    this.retainedBytes += sub.resultSize;
    const now = new Date(this.now());
    mark(sub, 'FINISHED', now);
    const next = statement.subStatements[index + 1];
    if (next) mark(next, 'STARTED', now);
  }

  /**
   * Resolves once the statement `id`, queued or running now, ends (FINISHED, FAILED or ABORTED);
   * undefined when no such statement is active.
   */
  whenEnded(id: string): Promise<void> | undefined {
    const statement = this.statements.get(id);
    if (!statement || !isActive(statement)) return undefined;
    return new Promise((resolve) => {
      this.endWatchers.set(statement, [...(this.endWatchers.get(statement) ?? []), resolve]);
    });
  }

  /**
   * The terminal status. Unless the transaction committed, every sub-statement but the one that
   * failed is ABORTED and loses its result: nothing it did remains.
   */
  private settle(
    statement: Statement,
    status: 'FINISHED' | 'FAILED' | 'ABORTED',
    failure?: { readonly error: string; readonly subStatement?: SubStatement },
  ): void {
    const now = new Date(this.now());
    mark(statement, status, now);
    statement.error = failure?.error;
    this.endWatchers.get(statement)?.forEach((ended) => ended());
    this.endWatchers.delete(statement);
    if (status === 'FINISHED') return;
    for (const sub of statement.subStatements) {
      this.retainedBytes -= Math.max(0, sub.resultSize);
      const failed = sub === failure?.subStatement;
      Object.assign(sub, {
        resultRows: -1,
        resultSize: -1,
        result: undefined,
        error: failed ? failure?.error : undefined,
      });
      mark(sub, failed ? 'FAILED' : 'ABORTED', now);
    }
  }

  private expire(): void {
    const now = this.now();
    for (const statement of this.statements.values()) {
      const expired = now - statement.createdAt.getTime() >= RETENTION_MS;
      const overBudget =
        this.statements.size > MAX_RETAINED_STATEMENTS || this.retainedBytes > MAX_RETAINED_BYTES;
      if (!expired && !overBudget) return;
      if (isActive(statement)) continue;
      this.statements.delete(statement.id);
      if (statement.clientToken !== undefined) this.byClientToken.delete(statement.clientToken);
      this.retainedBytes -= queryBytes(statement);
      for (const sub of statement.subStatements) this.retainedBytes -= Math.max(0, sub.resultSize);
    }
  }
}

function mark(item: { status: StatementStatus; updatedAt: Date }, status: StatementStatus, now: Date): void {
  item.status = status;
  item.updatedAt = now;
}

/** What a request asks for, apart from its ClientToken: a repeated token must ask for the same. */
const requestOf = (submission: Submission): string =>
  JSON.stringify([
    submission.target,
    submission.statementName,
    submission.isBatch,
    submission.queryStrings,
    submission.parameters,
  ]);

const queryBytes = (statement: Statement): number =>
  statement.queryStrings.reduce((sum, sql) => sum + Buffer.byteLength(sql), 0);
