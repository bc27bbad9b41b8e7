/** A result as both engines return it, with values already in the shapes the pipeline uses. */
export interface QueryResult {
  readonly rows: Record<string, unknown>[];
  readonly fields: readonly { readonly name: string; readonly dataTypeID: number }[];
  /** Rows a DML statement changed, or a SELECT returned. */
  readonly rowCount: number;
  /** The command tag's verb: SELECT, INSERT, CREATE, … */
  readonly command: string;
}

/**
 * PostgreSQL's two COPY formats. Binary skips the engine's parsing of each value from text, which
 * was half of PGlite's COPY of a million events (4.6 s against 2.5 s) and a quarter of a server's.
 */
export type CopyFormat = 'text' | 'binary';

export interface SqlSession {
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
  /**
   * Bulk-loads rows in PostgreSQL's COPY `format` into `table`'s `columns` (quoted, comma
   * separated) through the engine's own COPY path, inside this transaction. Each chunk holds whole
   * rows (in binary, tuples without the file's header and trailer, which the engine adds); they are
   * read as they come, so a load of any size holds only a few chunks. Resolves to the rows loaded.
   */
  copyRows(
    table: string,
    columns: string,
    chunks: AsyncIterable<Uint8Array>,
    format: CopyFormat,
  ): Promise<number>;
}

/** The COPY statement that reads `source` (STDIN, or PGlite's '/dev/blob') in `format`. */
export function copyFromStatement(
  table: string,
  columns: string,
  source: string,
  format: CopyFormat,
): string {
  return `COPY ${table} (${columns}) FROM ${source}${format === 'binary' ? ' WITH (FORMAT binary)' : ''}`;
}

/**
 * What a binary COPY's rows are framed by: the signature, no flags and no header extension before
 * them, a field count of -1 after them (PostgreSQL's COPY documentation, "Binary Format").
 */
export const BINARY_COPY_HEADER = Uint8Array.from([
  ...Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
  ...[0, 0, 0, 0],
  ...[0, 0, 0, 0],
]);
export const BINARY_COPY_TRAILER = Uint8Array.from([0xff, 0xff]);

export interface TransactionOptions {
  /**
   * Aborting it interrupts the running query where the engine can (a server cancels it); the
   * caller's work then fails, and the transaction rolls back.
   */
  readonly signal?: AbortSignal;
}

/**
 * The local stand-in for the warehouse: PGlite (PostgreSQL compiled to WASM, in a worker thread) by
 * default, or a PostgreSQL server. Each transaction is a session of its own, as each Data API call
 * is on Redshift: nothing it sets (SET, temporary tables, search_path) outlives it.
 */
export interface Engine {
  /** What a person should read in the progress output: which engine and version. */
  readonly description: string;
  /** How many transactions may run at once: PGlite has one connection, a server a pool of them. */
  readonly concurrency: number;
  /**
   * Threads of this process that the engine keeps busy while it runs a statement: PGlite's worker
   * (1); a server runs in processes of its own (0). The COPY loader's conversion threads leave
   * them a core.
   */
  readonly threadsInThisProcess: number;
  /**
   * Runs `work` on one connection inside BEGIN … COMMIT at SERIALIZABLE, Redshift's only isolation
   * level; any error rolls it all back.
   */
  transaction<T>(work: (session: SqlSession) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs one maintenance statement outside any transaction block, in a session of its own, as a
   * warehouse's background work runs: VACUUM refuses to run inside a transaction.
   */
  runMaintenance(sql: string): Promise<void>;
  close(): Promise<void>;
}

export const BEGIN = 'BEGIN ISOLATION LEVEL SERIALIZABLE';
/** Ends the session a transaction ran in, outside any transaction block (DISCARD refuses to run in one). */
export const END_SESSION = 'DISCARD ALL';

// Type OIDs whose default JS mapping differs between pg and PGlite. Timestamps stay text so that
// no time-zone conversion can shift them; bigint counts become numbers (they fit).
export const OID = {
  int8: 20,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
} as const;

export const TEXT_PARSERS: Record<number, (text: string) => unknown> = {
  [OID.int8]: (text) => {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : text;
  },
  [OID.date]: (text) => text,
  [OID.timestamp]: (text) => text,
  [OID.timestamptz]: (text) => text,
  [OID.numeric]: (text) => text,
};

/** Serialises work on a single connection: PGlite has exactly one, and a transaction owns it. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
