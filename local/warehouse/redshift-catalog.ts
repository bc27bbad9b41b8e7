import catalogSql from './redshift-catalog.sql';
import { splitStatements } from '../../lambda/shared/sql-template';
import type { Engine, SqlSession } from '../engine/engine';

export const CATALOG_SCHEMA = 'redshift_local';

/** Creates (or refreshes) the local Redshift catalog; safe to run on a database that has it. */
export async function installRedshiftCatalog(engine: Engine): Promise<void> {
  await engine.transaction(async (session) => {
    for (const statement of splitStatements(catalogSql)) await session.query(statement);
  });
}

/**
 * Puts the catalog on this transaction's search_path, after the user's schemas (tables are still
 * created where they were) and before pg_catalog, so that Redshift's SUM and AVG over integers
 * take the place of PostgreSQL's.
 */
export async function useRedshiftCatalog(session: SqlSession): Promise<void> {
  await session.query(
    `SELECT set_config('search_path', current_setting('search_path') || ', ${CATALOG_SCHEMA}, pg_catalog', true)`,
  );
}
