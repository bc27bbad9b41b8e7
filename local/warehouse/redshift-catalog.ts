import { createHash } from 'node:crypto';
import catalogSql from './redshift-catalog.sql';
import { splitStatements } from '../../lambda/shared/sql-template';
import type { Engine, SqlSession } from '../engine/engine';

export const CATALOG_SCHEMA = 'redshift_local';

/** Which catalog a database holds, kept as its schema's comment: a database already up to date is left alone. */
const CATALOG_VERSION = createHash('sha256').update(catalogSql).digest('hex');

/** Creates (or refreshes) the local Redshift catalog; safe to run on a database that has it. */
export async function installRedshiftCatalog(engine: Engine): Promise<void> {
  await engine.transaction(async (session) => {
    const { rows } = await session.query(
      "SELECT obj_description(oid, 'pg_namespace') AS version FROM pg_namespace WHERE nspname = $1",
      [CATALOG_SCHEMA],
    );
    if (rows[0]?.version === CATALOG_VERSION) return;
    for (const statement of splitStatements(catalogSql)) await session.query(statement);
    await session.query(`COMMENT ON SCHEMA ${CATALOG_SCHEMA} IS '${CATALOG_VERSION}'`);
  });
}

/**
 * Puts the catalog on this transaction's search_path, after the user's schemas (tables are still
 * created where they were) and before pg_catalog, so that Redshift's SUM and AVG over integers
 * take the place of PostgreSQL's.
 */
export async function useRedshiftCatalog(session: SqlSession): Promise<void> {
  // Redshift reads a backslash in a string literal as an escape (its QUOTE_LITERAL doubles them),
  // as PostgreSQL does with standard_conforming_strings off.
  await session.query(
    `SELECT set_config('search_path', current_setting('search_path') || ', ${CATALOG_SCHEMA}, pg_catalog', true),
            set_config('standard_conforming_strings', 'off', true),
            set_config('escape_string_warning', 'off', true)`,
  );
}
