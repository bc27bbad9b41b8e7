import localIndexes from './local-indexes.sql';
import { isWord, significant, tokenize } from './sql-tokens';
import type { SqlSession } from '../engine/engine';

/**
 * What only the local engine needs to run the warehouse SQL at a cost that follows the data, as
 * Redshift's sort keys and automatic statistics make it on AWS. Nothing here changes a result.
 */

/**
 * Whether a statement creates a table, read from its text: PGlite reports no command tag, so the
 * result cannot say.
 */
export function createsTable(sql: string): boolean {
  const [first, ...rest] = significant(tokenize(sql)).slice(0, 4);
  return isWord(first, 'CREATE') && rest.some((token) => isWord(token, 'TABLE'));
}

/** The lookups by staged keys that Redshift's sort keys serve (see local-indexes.sql). */
export async function createLocalIndexes(session: SqlSession): Promise<void> {
  await session.query(localIndexes);
}

/**
 * Statistics for a table a COPY just loaded, inside the COPY's transaction, so the next step's
 * planner sees its real size: PGlite runs no autovacuum, and a server's comes too late for the
 * publish step that follows at once. Redshift keeps such statistics itself (automatic analyze).
 */
export async function analyzeLoadedTable(session: SqlSession, table: string): Promise<void> {
  await session.query(`ANALYZE ${table}`);
}
