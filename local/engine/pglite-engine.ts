import { PGlite } from '@electric-sql/pglite';
import { Mutex, TEXT_PARSERS, type Engine, type QueryResult, type SqlSession } from './engine';

/** PostgreSQL in WASM, in this process: nothing to install, a new empty database per run. */
export class PGliteEngine implements Engine {
  private readonly mutex = new Mutex();

  private constructor(
    private readonly db: PGlite,
    readonly description: string,
  ) {}

  /** `dataDir` keeps the database on disk between runs; without it the database lives in memory. */
  static async open(dataDir?: string): Promise<PGliteEngine> {
    const db = await PGlite.create(dataDir, { parsers: TEXT_PARSERS });
    const { rows } = await db.query<{ version: string }>(
      "SELECT current_setting('server_version') AS version",
    );
    const where = dataDir ? ` at ${dataDir}` : ', in memory';
    return new PGliteEngine(db, `PGlite (PostgreSQL ${rows[0]?.version})${where}`);
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      const session: SqlSession = {
        query: async (sql, params) => {
          const result = await this.db.query<Record<string, unknown>>(sql, params ? [...params] : undefined);
          return toResult(result);
        },
      };
      await this.db.exec('BEGIN');
      try {
        const value = await work(session);
        await this.db.exec('COMMIT');
        return value;
      } catch (error) {
        await this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

function toResult(result: {
  rows: Record<string, unknown>[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
  rowCount?: number;
  command?: string;
}): QueryResult {
  const command = result.command ?? '';
  const rowCount = command === 'SELECT' ? result.rows.length : (result.rowCount ?? result.affectedRows ?? 0);
  return { rows: result.rows, fields: result.fields, rowCount, command };
}
