import localIndexes from './local-indexes.sql';
import { isWord, significant, tokenize, type Token } from './sql-tokens';
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

/** Whether a statement added rows to a table through INSERT (a COPY's table gets no local index). */
export function insertedRows(sql: string, rowsAffected: number): boolean {
  return rowsAffected > 0 && insertedTable(sql) !== undefined;
}

/**
 * The lookups by staged keys that Redshift's sort keys serve, for the tables that hold rows, and the
 * statistics the song match plans with (see local-indexes.sql).
 */
export async function createLocalIndexes(session: SqlSession): Promise<void> {
  await session.query(localIndexes);
}

/**
 * Statistics for a table a COPY just loaded, inside the COPY's transaction, so the next step's
 * planner sees its real size: PGlite runs no autovacuum, and a server's comes too late for the
 * publish step that follows at once. Redshift keeps such statistics itself (automatic analyze).
 * The small sample of INSERT_STATISTICS_TARGET serves the publish as well as a full one (the same
 * star tables after a 1M run, publish no slower) and costs a nightly day's COPY step a third less.
 */
export async function analyzeLoadedTable(session: SqlSession, table: string): Promise<void> {
  await withSetting(session, 'default_statistics_target', String(INSERT_STATISTICS_TARGET), () =>
    session.query(`ANALYZE ${table}`),
  );
}

/**
 * Runs an INSERT that reads the very table it fills (insert_time.sql's NOT EXISTS against time,
 * insert_users.sql's against user_latest_events) without nested loops when the planner takes that
 * table for empty: an emptied table that was since vacuumed or analyzed holds no page and counts
 * 0 rows (rather than -1, never analyzed, which the planner sizes at 10 pages), so scanning it costs
 * nothing in the plan, and the planner rescans it once per row the statement reads. Each rescan
 * reads every page the statement has added so far, rows it cannot see: a full run's 666,127 times
 * never finished. A hash or merge join reads the table once.
 */
export async function insertPlannedForGrowth<T>(
  session: SqlSession,
  sql: string,
  statement: () => Promise<T>,
): Promise<T> {
  const table = insertedTable(sql);
  if (table === undefined || !readsAgain(sql, table) || !(await plannedAsEmpty(session, table))) {
    return statement();
  }
  return withSetting(session, 'enable_nestloop', 'off', statement);
}

/** Runs `work` with a setting changed for it alone, within the transaction. */
async function withSetting<T>(
  session: SqlSession,
  name: string,
  value: string,
  work: () => Promise<T>,
): Promise<T> {
  const { rows } = await session.query('SELECT current_setting($1) AS setting', [name]);
  await session.query('SELECT set_config($1, $2, true)', [name, value]);
  const result = await work();
  await session.query('SELECT set_config($1, $2, true)', [name, String(rows[0]?.setting)]);
  return result;
}

/** Whether the statement names `table` (as insertedTable gave it) again after INSERT INTO it. */
function readsAgain(sql: string, table: string): boolean {
  const nameTokens = significant(tokenize(table));
  const name = nameTokens.at(-1);
  if (name === undefined) return false;
  const sameName = (token: Token) =>
    name.kind === 'word'
      ? isWord(token, name.text.toUpperCase())
      : token.kind === name.kind && token.text === name.text;
  return significant(tokenize(sql))
    .slice(2 + nameTokens.length)
    .some(sameName);
}

/** As PostgreSQL's planner sizes a table: no page now, and a row count it trusts (0, not -1). */
async function plannedAsEmpty(session: SqlSession, table: string): Promise<boolean> {
  const { rows } = await session.query(
    'SELECT reltuples >= 0 AND pg_relation_size(oid) = 0 AS empty FROM pg_class WHERE oid = to_regclass($1)',
    [table],
  );
  return rows[0]?.empty === true;
}

/**
 * The statistics target of the ANALYZE after a large insert: a sample of 3,000 rows (300 per unit)
 * instead of PostgreSQL's 30,000, which read every page of a full run's songplays (0.4 s, against
 * 0.03 s). The statements after it in the batch need the table's size and a rough count of distinct
 * values to choose their joins; a server's autovacuum analyzes the table again at full size.
 */
const INSERT_STATISTICS_TARGET = 10;

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
  if (rowsInserted > ANALYZE_SCALE_FACTOR * knownRows) {
    await withSetting(session, 'default_statistics_target', String(INSERT_STATISTICS_TARGET), () =>
      session.query(`ANALYZE ${table}`),
    );
  }
}
