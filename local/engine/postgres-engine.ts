import pg from 'pg';
import { TEXT_PARSERS, type Engine, type QueryResult, type SqlSession } from './engine';

/** A PostgreSQL server given by URL: for data sets larger than an in-process engine should hold. */
export class PostgresEngine implements Engine {
  private constructor(
    private readonly pool: pg.Pool,
    readonly description: string,
  ) {}

  static async open(connectionString: string): Promise<PostgresEngine> {
    const types = {
      getTypeParser: (oid: number, format?: string) =>
        TEXT_PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text'),
    };
    const pool = new pg.Pool({ connectionString, types, max: 4 });
    const { rows } = await pool.query<{ version: string }>(
      "SELECT current_setting('server_version') AS version",
    );
    const url = new URL(connectionString);
    return new PostgresEngine(
      pool,
      `PostgreSQL ${rows[0]?.version} at ${url.hostname}:${url.port || 5432}${url.pathname}`,
    );
  }

  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const session: SqlSession = {
      query: async (sql, params) => toResult(await client.query(sql, params ? [...params] : undefined)),
    };
    try {
      await client.query('BEGIN');
      const value = await work(session);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function toResult(result: pg.QueryResult): QueryResult {
  const command = result.command ?? '';
  return {
    rows: result.rows as Record<string, unknown>[],
    fields: result.fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID })),
    rowCount: command === 'SELECT' ? result.rows.length : (result.rowCount ?? 0),
    command,
  };
}
