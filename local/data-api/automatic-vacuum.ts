import type { Engine } from '../engine/engine';
import { isWord, significant, tokenize } from '../warehouse/sql-tokens';
import { writtenTable } from './serialization-violation';

/**
 * Dead row versions a table collects, from committed DELETEs and UPDATEs, before it may be
 * vacuumed: enough that a nightly merge's thousands of replaced rows count, few enough that a
 * test's handful of rows never costs a vacuum.
 */
export const VACUUM_FROM_DEAD_ROWS = 1000;
/**
 * As PostgreSQL's autovacuum_vacuum_scale_factor: the share of its rows a table must have lost.
 * A full rebuild that replaces a night's 10,000 staged rows of 300,000 leaves them to a later
 * vacuum; the night after it, which deletes the rebuild's 300,000, has them vacuumed at once.
 */
export const VACUUM_SCALE_FACTOR = 0.2;

/** The table whose rows a DELETE, UPDATE or MERGE leaves dead behind it; undefined for any other statement. */
export function tableLeavingDeadRows(sql: string): string | undefined {
  const [verb] = significant(tokenize(sql));
  return isWord(verb, 'DELETE', 'UPDATE', 'MERGE') ? writtenTable(sql) : undefined;
}

/** A statement of a committed transaction: its text and the rows it changed. */
export interface CommittedStatement {
  readonly sql: string;
  readonly rowsAffected: number;
}

/**
 * The stand-in for Redshift's automatic VACUUM DELETE, which reclaims deleted rows in the
 * background. Every run merges by delete-then-insert, so without it a local table keeps each row
 * it ever replaced (PGlite runs no autovacuum; a server's wakes once a minute), and every scan of
 * a staging table after a full rebuild would read its 300,000 deleted rows night after night.
 * VACUUM (not FULL) takes no lock that a query or an INSERT, UPDATE or DELETE waits for, and
 * removes only row versions no transaction can see any more, so no query's result changes; SKIP_LOCKED leaves a table that a
 * transaction holds locked for the next time, as autovacuum yields. Which tables qualify follows
 * autovacuum's rule: enough dead rows, and a large enough share of the table.
 */
export class AutomaticVacuum {
  /** Dead rows per table, counted since its last vacuum. */
  private readonly deadRows = new Map<string, number>();
  private vacuums: Promise<void> = Promise.resolve();

  constructor(private readonly engine: Engine) {}

  /**
   * Counts the rows a committed transaction left dead, and vacuums in the background, one table at
   * a time, each table that has lost enough of its rows.
   */
  committed(statements: readonly CommittedStatement[]): void {
    let counted = false;
    for (const { sql, rowsAffected } of statements) {
      const table = rowsAffected > 0 ? tableLeavingDeadRows(sql) : undefined;
      if (table === undefined) continue;
      this.deadRows.set(table, (this.deadRows.get(table) ?? 0) + rowsAffected);
      counted = true;
    }
    if (counted) this.vacuums = this.vacuums.then(() => this.vacuumDueTables());
  }

  /** Resolves once every vacuum begun so far has ended. */
  idle(): Promise<void> {
    return this.vacuums;
  }

  private async vacuumDueTables(): Promise<void> {
    for (const [table, dead] of this.deadRows) {
      if (dead < VACUUM_FROM_DEAD_ROWS) continue;
      const rows = await this.estimatedRows(table);
      if (rows !== undefined && dead < VACUUM_SCALE_FACTOR * rows) continue;
      this.deadRows.delete(table);
      // A table dropped since, or a temporary one (which lives in its own session), is not there to
      // vacuum; like autovacuum, the vacuum then does nothing and says nothing.
      if (rows !== undefined) {
        await this.engine.runMaintenance(`VACUUM (SKIP_LOCKED) ${table}`).catch(() => undefined);
      }
    }
  }

  /**
   * The planner's row count of the table (from its last ANALYZE or VACUUM; 0 if it never had one),
   * or undefined if there is no such table.
   */
  private async estimatedRows(table: string): Promise<number | undefined> {
    const { rows } = await this.engine
      .transaction((session) =>
        session.query('SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)', [table]),
      )
      .catch(() => ({ rows: [] }));
    const reltuples = rows[0]?.reltuples;
    return reltuples === undefined ? undefined : Math.max(Number(reltuples), 0);
  }
}
