import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '../../contract/functions';
import { isRoomyWritableDirectory } from '../../scripts/roomy-directory.mjs';
import { formatOwner, lockDirectory, mayBeRunning, parseOwner, THIS_PROCESS } from './directory-lock';
import {
  BEGIN,
  BINARY_COPY_HEADER,
  BINARY_COPY_TRAILER,
  copyFromStatement,
  END_SESSION,
  Mutex,
  TEXT_PARSERS,
  type CopyFormat,
  type Engine,
  type QueryResult,
  type SqlSession,
} from './engine';

// Resolved from the project root, not from this module: scripts/run.mjs bundles this module into a
// build cache, and jest loads it from source; the worker file is in the same place for both.
const WORKER_FILE = 'local/engine/pglite-worker.mjs';

/**
 * PGlite's COPY reads a whole blob from memory, so a load goes in blobs of about this size: memory
 * stays flat, and the one statement per blob costs little.
 */
const COPY_BLOB_BYTES = 4 * 1024 * 1024;

/** Databases of this process's own (see open), removed if the process exits without closing them. */
const scratchDirectories = new Set<string>();
process.once('exit', () => {
  for (const directory of scratchDirectories) rmSync(directory, { recursive: true, force: true });
});

/** Named for the process that owns it, so that a later one can tell it was abandoned. */
function newScratchDirectory(): string {
  removeAbandonedScratchDirectories();
  const prefix = join(scratchParent(), `sparkify-pglite-${formatOwner(THIS_PROCESS)}-`);
  const directory = mkdtempSync(prefix);
  scratchDirectories.add(directory);
  return directory;
}

const SHARED_MEMORY = '/dev/shm';
/** A million events take about 1.4 GB; the rest is left to the machine. */
const SHARED_MEMORY_MIN_FREE_BYTES = 4 * 1024 ** 3;

/**
 * Where a new database goes: the directory TMPDIR names, if it is set; else shared memory (tmpfs)
 * when it has 4 GB free; else the system's temporary directory. PGlite reaches its files through
 * emscripten's file system, a system call per page, which tmpfs answers faster than a disk's file
 * system even from the page cache: a million events ran 19.6 s against 20.7 s on this VM's /tmp.
 */
function scratchParent(): string {
  if (process.env.TMPDIR) return tmpdir();
  return isRoomyWritableDirectory(SHARED_MEMORY, SHARED_MEMORY_MIN_FREE_BYTES) ? SHARED_MEMORY : tmpdir();
}

/**
 * A process killed before it could close its database leaves the directory behind (1.4 GB after a
 * million events); the next open removes those whose process is gone, wherever they were put.
 */
function removeAbandonedScratchDirectories(): void {
  for (const parent of new Set([tmpdir(), SHARED_MEMORY])) {
    if (!existsSync(parent)) continue;
    for (const name of readdirSync(parent)) {
      const recorded = /^sparkify-pglite-(\d+(?:@\d+)?)-/.exec(name)?.[1];
      const owner = recorded === undefined ? undefined : parseOwner(recorded);
      if (owner !== undefined && !mayBeRunning(owner)) {
        rmSync(join(parent, name), { recursive: true, force: true });
      }
    }
  }
}

type Request =
  | {
      readonly method: 'query';
      readonly sql: string;
      readonly params?: unknown[];
      /** What `COPY … FROM '/dev/blob'` reads; moved to the worker, not copied. */
      readonly blob?: ArrayBuffer;
    }
  | {
      readonly method: 'exec';
      readonly sql: string;
    }
  | { readonly method: 'close' };

interface WorkerResult {
  readonly rows: Record<string, unknown>[];
  readonly fields: { name: string; dataTypeID: number }[];
  readonly affectedRows?: number;
}

type Reply =
  | { readonly id: number; readonly value: unknown }
  | { readonly id: number; readonly error: Record<string, unknown> & { message: string } };

/**
 * PostgreSQL in WASM, in a worker thread of this process: nothing to install, a new empty database
 * per run. The worker keeps the JS thread free, so the Data API answers while a query runs.
 */
export class PGliteEngine implements Engine {
  readonly concurrency = 1;
  readonly threadsInThisProcess = 1;
  private readonly mutex = new Mutex();
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  /** Set once the worker is gone: every request after that fails at once instead of waiting. */
  private gone?: Error;

  private constructor(
    private readonly worker: Worker,
    readonly description: string,
    private readonly release: () => void,
  ) {
    worker.on('message', (reply: Reply) => {
      const request = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('error' in reply) request?.reject(Object.assign(new Error(reply.error.message), reply.error));
      else request?.resolve(reply.value);
    });
    const failAll = (error: Error) => {
      this.gone ??= error;
      for (const request of this.pending.values()) request.reject(error);
      this.pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the PGlite worker exited with code ${code}`)));
  }

  /**
   * `dataDir` keeps the database on disk between runs, locked to this process while it is open.
   * Without it the database is a new one in a temporary directory, removed when it closes: not in
   * PGlite's in-memory file system, whose files grow by a copy of the whole file each time
   * PostgreSQL extends a table by several pages at once (emscripten's fallocate resizes a MEMFS
   * file to the exact size asked), as COPY does: a million events COPYed straight into their table
   * took 164 s there.
   * The operating system's page cache keeps a directory's files in memory all the same.
   */
  static async open(dataDir?: string): Promise<PGliteEngine> {
    const scratch = dataDir === undefined ? newScratchDirectory() : undefined;
    const lock = dataDir === undefined ? undefined : lockDirectory(dataDir);
    const release = () => {
      lock?.release();
      if (scratch === undefined) return;
      rmSync(scratch, { recursive: true, force: true });
      scratchDirectories.delete(scratch);
    };
    const root = projectRoot();
    const worker = new Worker(join(root, WORKER_FILE), {
      workerData: { dataDir: dataDir ?? scratch, root, textOids: Object.keys(TEXT_PARSERS).map(Number) },
    });
    try {
      const version = await new Promise<string>((resolve, reject) => {
        worker.once('message', (message: { ready?: string; failed?: { message: string } }) =>
          message.ready === undefined ? reject(new Error(message.failed?.message)) : resolve(message.ready),
        );
        worker.once('error', reject);
      });
      const where = dataDir ? ` at ${dataDir}` : `, a new database in ${scratch} until it closes`;
      return new PGliteEngine(worker, `PGlite (PostgreSQL ${version})${where}`, release);
    } catch (error) {
      await worker.terminate();
      release();
      throw error;
    }
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      const session: SqlSession = {
        query: async (sql, params) =>
          toResult(
            (await this.request({ method: 'query', sql, params: params && [...params] })) as WorkerResult,
          ),
        copyRows: (table, columns, chunks, format) => this.copyRows(table, columns, chunks, format),
      };
      await this.request({ method: 'exec', sql: BEGIN });
      try {
        const value = await work(session);
        await this.request({ method: 'exec', sql: 'COMMIT' });
        return value;
      } catch (error) {
        // If the worker is gone there is nothing to roll back; the work's own error says more.
        await this.request({ method: 'exec', sql: 'ROLLBACK' }).catch(() => undefined);
        throw error;
      } finally {
        await this.request({ method: 'exec', sql: END_SESSION });
      }
    });
  }

  async runMaintenance(sql: string): Promise<void> {
    await this.mutex.run(() => this.request({ method: 'exec', sql }));
  }

  async close(): Promise<void> {
    try {
      await this.mutex.run(() => this.request({ method: 'close' }));
    } finally {
      await this.worker.terminate();
      this.release();
    }
  }

  /**
   * One COPY per blob, straight into the table. The worker loads one blob while this thread
   * prepares the next; at most one is in flight, so a fast source cannot pile blobs up in memory.
   * A binary blob is a whole binary COPY file: its tuples between a header and a trailer.
   */
  private async copyRows(
    table: string,
    columns: string,
    chunks: AsyncIterable<Uint8Array>,
    format: CopyFormat,
  ): Promise<number> {
    const sql = copyFromStatement(table, columns, "'/dev/blob'", format);
    const frame = format === 'binary' ? { header: BINARY_COPY_HEADER, trailer: BINARY_COPY_TRAILER } : {};
    let rows = 0;
    let inFlight: Promise<void> = Promise.resolve();
    for await (const blob of blobsOf(chunks, COPY_BLOB_BYTES, frame)) {
      await inFlight;
      inFlight = (async () => {
        const copied = (await this.request({ method: 'query', sql, blob })) as WorkerResult;
        rows += copied.affectedRows ?? 0;
      })();
      // Awaited before the next blob or after the last; until then a failure waits there.
      inFlight.catch(() => undefined);
    }
    await inFlight;
    return rows;
  }

  private request(request: Request): Promise<unknown> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const transfer = request.method === 'query' && request.blob ? [request.blob] : [];
      this.worker.postMessage({ id, ...request }, transfer);
    });
  }
}

/**
 * The chunks gathered into buffers of at least `size` bytes (the last may be smaller), each its
 * own, and each between the frame's header and trailer when it has them.
 */
async function* blobsOf(
  chunks: AsyncIterable<Uint8Array>,
  size: number,
  { header = new Uint8Array(0), trailer = new Uint8Array(0) }: { header?: Uint8Array; trailer?: Uint8Array },
): AsyncGenerator<ArrayBuffer> {
  let gathered: Uint8Array[] = [];
  let bytes = 0;
  const take = () => {
    // A buffer of its own, not a view of Node's shared pool, so that it can move to the worker.
    const blob = new Uint8Array(header.byteLength + bytes + trailer.byteLength);
    blob.set(header, 0);
    let offset = header.byteLength;
    for (const chunk of gathered) {
      blob.set(chunk, offset);
      offset += chunk.byteLength;
    }
    blob.set(trailer, offset);
    gathered = [];
    bytes = 0;
    return blob.buffer;
  };
  for await (const chunk of chunks) {
    gathered.push(chunk);
    bytes += chunk.byteLength;
    if (bytes >= size) yield take();
  }
  if (bytes > 0) yield take();
}

function toResult(result: WorkerResult): QueryResult {
  const parse = result.fields.filter((field) => TEXT_PARSERS[field.dataTypeID] !== undefined);
  const rows =
    parse.length === 0
      ? result.rows
      : result.rows.map((row) => {
          for (const { name, dataTypeID } of parse) {
            const value = row[name];
            if (typeof value === 'string') row[name] = TEXT_PARSERS[dataTypeID]!(value);
          }
          return row;
        });
  // PGlite reports no command tag; a statement with result columns counts the rows it returned.
  const rowCount = result.fields.length > 0 ? rows.length : (result.affectedRows ?? 0);
  return { rows, fields: result.fields, rowCount, command: '' };
}
