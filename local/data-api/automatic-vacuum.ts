import type { Engine } from '../engine/engine';
import { isWord, significant, tokenize } from '../warehouse/sql-tokens';
import { writtenTable } from './serialization-violation';

/**
 * Dead row versions a table collects, from committed DELETEs and UPDATEs, before it is vacuumed:
 * enough that a nightly merge's thousands of replaced rows qualify, few enough that a test's
 * handful of rows never costs a vacuum.
 */
export const VACUUM_FROM_DEAD_ROWS = 1000;

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
 * VACUUM (not FULL) takes no lock a reader or writer waits for and removes only row versions no
 * transaction can see any more, so no query's result changes; SKIP_LOCKED leaves a table that a
 * transaction holds locked for the next time, as autovacuum yields.
 */
export class AutomaticVacuum {
  private readonly deadRows = new Map<string, number>();
  private vacuums: Promise<void> = Promise.resolve();

  constructor(private readonly engine: Engine) {}

  /**
   * Counts the rows a committed transaction left dead, and vacuums each table past the threshold
   * in the background, one table at a time.
   */
  committed(statements: readonly CommittedStatement[]): void {
    const due = new Set<string>();
    for (const { sql, rowsAffected } of statements) {
      const table = rowsAffected > 0 ? tableLeavingDeadRows(sql) : undefined;
      if (table === undefined) continue;
      const dead = (this.deadRows.get(table) ?? 0) + rowsAffected;
      if (dead < VACUUM_FROM_DEAD_ROWS) {
        this.deadRows.set(table, dead);
      } else {
        this.deadRows.delete(table);
        due.add(table);
      }
    }
    for (const table of due) {
      // A table dropped since, or a temporary one (which lives in its own session), is not there to
      // vacuum; like autovacuum, the vacuum then does nothing and says nothing.
      this.vacuums = this.vacuums.then(() =>
        this.engine.runMaintenance(`VACUUM (SKIP_LOCKED) ${table}`).catch(() => undefined),
      );
    }
  }

  /** Resolves once every vacuum begun so far has ended. */
  idle(): Promise<void> {
    return this.vacuums;
  }
}
