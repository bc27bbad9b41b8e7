import { createHash } from 'node:crypto';
import catalogSql from './redshift-catalog.sql';
import { splitStatements } from '../../lambda/shared/sql-template';
import type { Engine, SqlSession } from '../engine/engine';

export const CATALOG_SCHEMA = 'redshift_local';

/** Which catalog a database holds, kept as its schema's comment: a database already up to date is left alone. */
const CATALOG_VERSION = createHash('sha256').update(catalogSql).digest('hex');

/**
 * Creates (or refreshes) the local Redshift catalog; safe to run on a database that has it.
 * Returns the search_path every session starts with, which useRedshiftCatalog extends.
 */
export async function installRedshiftCatalog(engine: Engine): Promise<string> {
  return engine.transaction(async (session) => {
    const setting = await session.query("SELECT current_setting('search_path') AS path");
    const path = String(setting.rows[0]?.path);
    const { rows } = await session.query(
      "SELECT obj_description(oid, 'pg_namespace') AS version FROM pg_namespace WHERE nspname = $1",
      [CATALOG_SCHEMA],
    );
    if (rows[0]?.version === CATALOG_VERSION) return path;
    for (const statement of splitStatements(catalogSql)) await session.query(statement);
    await session.query(`COMMENT ON SCHEMA ${CATALOG_SCHEMA} IS '${CATALOG_VERSION}'`);
    return path;
  });
}

/**
 * Puts the catalog on this transaction's search_path, after the user's schemas (tables are still
 * created where they were) and before pg_catalog, so that Redshift's SUM and AVG over integers
 * take the place of PostgreSQL's.
 */
export async function useRedshiftCatalog(session: SqlSession, sessionSearchPath: string): Promise<void> {
  // SET, never SELECT: a SELECT would take the SERIALIZABLE transaction's snapshot before the
  // batch's first statement, and a LOCK there would then no longer order it after the holder.
  await session.query(`SET LOCAL search_path TO ${sessionSearchPath}, ${CATALOG_SCHEMA}, pg_catalog`);
  // Redshift reads a backslash in a string literal as an escape (its QUOTE_LITERAL doubles them),
  // as PostgreSQL does with standard_conforming_strings off.
  await session.query('SET LOCAL standard_conforming_strings TO off');
  await session.query('SET LOCAL escape_string_warning TO off');
  // Local tuning, not Redshift behaviour: a batch's statements each run once over the whole staged
  // data, so compiling them (JIT) costs a server more than it saves, and the merges' sorts and hash
  // aggregates over a million events spill to disk at PostgreSQL's default 4 MB. The same memory
  // builds a local index over a table's first rows at once (local-indexes.sql).
  await session.query('SET LOCAL jit TO off');
  await session.query(`SET LOCAL work_mem TO '${LOCAL_WORK_MEM}'`);
  await session.query(`SET LOCAL maintenance_work_mem TO '${LOCAL_WORK_MEM}'`);
  // A local warehouse is read from memory (PGlite's) or the page cache, where a page found through
  // an index costs about what one read in sequence does: at PostgreSQL's default of 4 a nightly
  // run's lookup of its day in time hashed the whole table instead (bench:explain).
  await session.query('SET LOCAL random_page_cost TO 1.1');
}

/**
 * Per sort or hash node: the song match of a million events sorts about 200 MB of plays
 * (collect_run_plays.sql), which spilled to disk at 64 MB, as did the gates' count of rows per
 * songplay_id. PGlite's heap is WebAssembly memory (at most 2 GB), so this stays well under it.
 */
const LOCAL_WORK_MEM = '256MB';
