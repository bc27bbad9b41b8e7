import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { withConnection } from './connection';
import {
  BEGIN,
  BINARY_COPY_HEADER,
  BINARY_COPY_TRAILER,
  copyFromStatement,
  END_SESSION,
  TEXT_PARSERS,
  type Engine,
  type QueryResult,
  type SqlSession,
  type TransactionOptions,
} from './engine';

/** Transactions that run side by side, as separate Data API calls do on Redshift. */
const POOL_SIZE = 8;

/** A PostgreSQL server given by URL: for data sets larger than an in-process engine should hold. */
export class PostgresEngine implements Engine {
  readonly concurrency = POOL_SIZE;
  readonly threadsInThisProcess = 0;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly connectionString: string,
    readonly description: string,
  ) {}

  static async open(connectionString: string): Promise<PostgresEngine> {
    const types = {
      getTypeParser: (oid: number, format?: string) =>
        TEXT_PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text'),
    };
    const pool = new pg.Pool({ connectionString, types, max: POOL_SIZE });
    const { rows } = await pool.query<{ version: string }>(
      "SELECT current_setting('server_version') AS version",
    );
    const url = new URL(connectionString);
    return new PostgresEngine(
      pool,
      connectionString,
      `PostgreSQL ${rows[0]?.version} at ${url.hostname}:${url.port || 5432}${url.pathname}`,
    );
  }

  async transaction<T>(
    work: (session: SqlSession) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const client = await this.pool.connect();
    const session: SqlSession = {
      query: async (sql, params) => toResult(await client.query(sql, params ? [...params] : undefined)),
      copyRows: async (table, columns, chunks, format) => {
        const copy = client.query(copyFromStdin(copyFromStatement(table, columns, 'STDIN', format)));
        // A failing source destroys the stream, which sends CopyFail: the server ends the COPY.
        await pipeline(Readable.from(format === 'binary' ? framedBinary(chunks) : chunks), copy);
        return copy.rowCount;
      },
    };
    let cancel: (() => void) | undefined;
    let broken: Error | undefined;
    try {
      // The pid is read before BEGIN: a SELECT inside would take the SERIALIZABLE snapshot before the
      // batch's first statement, and a LOCK there would no longer order it after the lock's holder.
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = rows[0]!.pid;
      await client.query(BEGIN);
      cancel = () => void this.cancelBackend(pid);
      options.signal?.addEventListener('abort', cancel, { once: true });
      const value = await work(session);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      if (cancel) options.signal?.removeEventListener('abort', cancel);
      await client.query(END_SESSION).catch((error: Error) => (broken = error));
      // A connection that could not end its session is closed rather than handed to the next call.
      client.release(broken);
    }
  }

  /**
   * On a connection of its own, not the pool's: the pool is sized for the Data API's concurrent
   * transactions, and background work must not hold one of them up.
   */
  async runMaintenance(sql: string): Promise<void> {
    await withConnection(this.connectionString, (client) => client.query(sql));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /**
   * Interrupts the query running on that backend, from a connection of its own: the pool's may all
   * be busy. The query fails with SQLSTATE 57014, and its transaction rolls back.
   */
  private async cancelBackend(pid: number): Promise<void> {
    await withConnection(this.connectionString, (client) =>
      client.query('SELECT pg_cancel_backend($1)', [pid]),
    ).catch(() => {
      // The query ends on its own then; the caller still sees its signal aborted.
    });
  }
}

/** One binary COPY stream: every chunk's tuples between a single header and trailer. */
async function* framedBinary(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield BINARY_COPY_HEADER;
  yield* chunks;
  yield BINARY_COPY_TRAILER;
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
