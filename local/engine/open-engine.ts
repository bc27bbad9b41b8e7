import type { Engine } from './engine';
import { PGliteEngine } from './pglite-engine';
import { PostgresEngine } from './postgres-engine';

/**
 * `postgres://…` or `postgresql://…`: a PostgreSQL server. `pglite:DIR`: PGlite persisted in DIR,
 * so incremental runs can build on earlier ones. Nothing: a new PGlite database of this process's own.
 */
export async function openEngine(database?: string): Promise<Engine> {
  if (database === undefined) return PGliteEngine.open();
  if (/^postgres(ql)?:\/\//.test(database)) return PostgresEngine.open(database);
  if (database.startsWith('pglite:') && database.length > 'pglite:'.length) {
    return PGliteEngine.open(database.slice('pglite:'.length));
  }
  throw new Error(
    `--database must be postgres://user@host:port/db or pglite:DIR, got ${JSON.stringify(database)}`,
  );
}
