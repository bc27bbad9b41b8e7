import localIndexes from './local-indexes.sql';
import { isWord, significant, tokenize } from './sql-tokens';
import type { SqlSession } from '../engine/engine';

/**
 * What only the local engine needs to run the warehouse SQL at a cost that follows the data, as
 * Redshift's sort keys and automatic statistics make it on AWS. Nothing here changes a result.
 */

/**
 * Whether a statement creates a lasting table, read from its text: PGlite reports no command tag,
 * so the result cannot say. A temporary table ends with its session and needs no local index.
 */
export function createsTable(sql: string): boolean {
  const [first, ...rest] = significant(tokenize(sql)).slice(0, 4);
  return (
    isWord(first, 'CREATE') &&
    rest.some((token) => isWord(token, 'TABLE')) &&
    !rest.some((token) => isWord(token, 'TEMP', 'TEMPORARY'))
  );
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

/** Fewer inserted rows than this never change a plan enough to pay for an ANALYZE. */
const ANALYZE_MIN_ROWS = 10_000;
/** As PostgreSQL's autovacuum_analyze_scale_factor: the share of a table an insert must add. */
const ANALYZE_SCALE_FACTOR = 0.1;

/**
 * The table an `INSERT INTO table …` writes, as written (schema-qualified or quoted); undefined for
 * any other statement.
 */
export function insertedTable(sql: string): string | undefined {
  const [insert, into, ...rest] = significant(tokenize(sql));
  if (!isWord(insert, 'INSERT') || !isWord(into, 'INTO')) return undefined;
  const name: string[] = [];
  for (const token of rest) {
    const continues =
      name.length % 2 === 0 ? token.kind === 'word' || token.kind === 'identifier' : token.text === '.';
    if (!continues) break;
    name.push(token.text);
  }
  return name.length % 2 === 1 ? name.join('') : undefined;
}

/**
 * Statistics for a table an INSERT has just grown by a large share, inside the statement's
 * transaction, so the statements after it in the batch plan on its real contents: a merge fills
 * songplays and time from empty in a full run, and the publish step's temporary table of the run's
 * plays is read by every statement after the one that fills it. Redshift analyzes such tables
 * itself (automatic analyze); PGlite runs no autovacuum, and a server's comes after the batch.
 */
export async function analyzeAfterLargeInsert(
  session: SqlSession,
  sql: string,
  rowsInserted: number,
): Promise<void> {
  if (rowsInserted < ANALYZE_MIN_ROWS) return;
  const table = insertedTable(sql);
  if (table === undefined) return;
  const { rows } = await session.query('SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)', [table]);
  // -1: never analyzed.
  const knownRows = Math.max(Number(rows[0]?.reltuples ?? -1), 0);
  if (rowsInserted > ANALYZE_SCALE_FACTOR * knownRows) await session.query(`ANALYZE ${table}`);
}
