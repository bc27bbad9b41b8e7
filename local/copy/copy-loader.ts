import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { SqlSession } from '../engine/engine';
import type { TargetColumn } from './column-converters';
import type { CopyCommand } from '../warehouse/dialect';
import {
  checkConvertible,
  convertObjects,
  CopyLoadError,
  describeRejection,
  type ConversionPlan,
  type ConvertedChunk,
  type Rejection,
} from './copy-conversion';
import { convertInWorkers, partsOf } from './conversion-workers';
import { copyFormatFor } from './copy-rows';
import { parseJsonPathsFile } from './json-paths';
import type { LocalS3, S3Object } from './local-s3';

export { CopyLoadError, describeRejection, type Rejection } from './copy-conversion';

export interface CopyOutcome {
  readonly table: string;
  readonly objects: number;
  readonly rowsLoaded: number;
  readonly rowsRejected: number;
  /** The rejections in full: all of them when the load succeeds; the first ones when it fails. */
  readonly rejections: readonly Rejection[];
}

export interface CopyOptions {
  /**
   * Loads of at least this many source bytes (or of thousands of objects) are converted in worker
   * threads, which read and parse the files side by side while this thread feeds the engine;
   * smaller ones in this thread, where starting workers would cost more than it saves.
   * @default 16 MB
   */
  readonly workersFromBytes?: number;
  /**
   * How many worker threads convert a load that is worth them.
   * @default conversionThreadsBeside(0)
   */
  readonly conversionThreads?: number;
}

const REJECTIONS_KEPT = 100;
const WORKERS_FROM_BYTES = 16 * 1024 * 1024;
/** Many small objects are worth workers too: each costs an open, a read and a close. */
const WORKERS_FROM_OBJECTS = 2000;
/** Beyond a few threads the engine, not the conversion, sets the pace. */
const MAX_WORKERS = 4;

/**
 * Conversion threads for a machine whose engine keeps `engineThreads` of this process's threads
 * busy: the cores left, at least one. PGlite's COPY is the slower half of a load, and with two
 * conversion threads beside it on two cores it got the CPU less: a million events staged in 5.2 s,
 * against 4.3 s with one. A server's COPY is the lighter half; two threads served it best.
 */
export function conversionThreadsBeside(engineThreads: number): number {
  return Math.min(MAX_WORKERS, Math.max(1, availableParallelism() - engineThreads));
}

/**
 * Loads JSON objects from the local S3 stand-in into a table with Redshift COPY's semantics: every
 * object under the FROM prefix, columns mapped by a JSONPaths file (by position) or by 'auto'
 * (by name, case-sensitive unless 'auto ignorecase'), rows that fail conversion rejected and
 * counted, and the whole load failed when more than MAXERROR rows are rejected. The rows stream
 * into the engine's bulk COPY as the files are read, inside the statement's transaction, so a
 * failed load is undone with it.
 */
export async function executeCopy(
  session: SqlSession,
  copy: CopyCommand,
  s3: LocalS3,
  options: CopyOptions = {},
): Promise<CopyOutcome> {
  const columns = await targetColumns(session, copy);
  const plan = conversionPlan(copy, columns, s3);
  const objects = await s3.list(copy.from);
  const rejections: Rejection[] = [];
  // A load that succeeds records every row it skipped; one that fails, enough to show why.
  const rejectionsKept = Math.max(REJECTIONS_KEPT, copy.maxError);
  let rowsRejected = 0;

  async function* copyRows(): AsyncGenerator<Uint8Array> {
    for await (const chunk of convertedChunks(plan, objects, options)) {
      rowsRejected += chunk.rejections.length;
      const room = rejectionsKept - rejections.length;
      if (room > 0) rejections.push(...chunk.rejections.slice(0, room));
      if (rowsRejected > copy.maxError) continue; // the load has failed; keep counting only
      if (chunk.bytes.byteLength > 0) yield chunk.bytes;
    }
    if (rowsRejected > copy.maxError) {
      const shown = rejections
        .slice(0, 5)
        .map((r) => `\n  - ${describeRejection(r)}`)
        .join('');
      // Thrown into the engine's COPY, which it ends; the transaction then rolls back.
      throw new CopyLoadError(
        `COPY ${copy.table} failed: ${rowsRejected} row(s) rejected, more than MAXERROR ${copy.maxError}; nothing was loaded.${shown}`,
        rejections,
      );
    }
  }

  const names = columns.map((column) => quoteIdentifier(column.name)).join(', ');
  const rowsLoaded = await session.copyRows(copy.table, names, copyRows(), copyFormatFor(columns, copy));
  return { table: copy.table, objects: objects.length, rowsLoaded, rowsRejected, rejections };
}

function convertedChunks(
  plan: ConversionPlan,
  objects: readonly S3Object[],
  options: CopyOptions,
): AsyncIterable<ConvertedChunk> {
  const threads = options.conversionThreads ?? conversionThreadsBeside(0);
  const sizes = objects.map((object) => statSync(object.path).size);
  const bytes = sizes.reduce((sum, size) => sum + size, 0);
  const worthWorkers =
    bytes >= (options.workersFromBytes ?? WORKERS_FROM_BYTES) || objects.length >= WORKERS_FROM_OBJECTS;
  // On a single core a worker thread would only take turns with this one.
  if (availableParallelism() > 1 && worthWorkers) {
    return convertInWorkers(plan, partsOf(objects, sizes), threads);
  }
  return convertInThisThread(plan, objects);
}

async function* convertInThisThread(plan: ConversionPlan, objects: readonly S3Object[]) {
  yield* convertObjects(plan, objects);
}

function conversionPlan(copy: CopyCommand, columns: readonly TargetColumn[], s3: LocalS3): ConversionPlan {
  if (copy.json.kind !== 'jsonpaths') return checkConvertible({ copy, columns });
  const paths = parseJsonPathsFile(s3.read(copy.json.uri), copy.json.uri);
  if (paths.length !== columns.length) {
    throw new CopyLoadError(
      `COPY ${copy.table}: the JSONPaths file ${copy.json.uri} has ${paths.length} paths but the target has ` +
        `${columns.length} columns; JSONPaths map by position, so the counts must match`,
    );
  }
  return checkConvertible({ copy, columns, paths });
}

async function targetColumns(session: SqlSession, copy: CopyCommand): Promise<TargetColumn[]> {
  const parts = copy.table
    .split('.')
    .map((part) => (part.startsWith('"') ? part.slice(1, -1) : part.toLowerCase()));
  const [schema, table] = parts.length === 2 ? parts : [undefined, parts[0]];
  const { rows } = await session.query(
    `SELECT column_name, data_type, udt_name, character_maximum_length, is_nullable
       FROM information_schema.columns
      WHERE table_name = $1 AND table_schema = COALESCE($2, current_schema())
      ORDER BY ordinal_position`,
    [table, schema ?? null],
  );
  if (rows.length === 0) throw new CopyLoadError(`COPY: table ${copy.table} does not exist`);
  const all: TargetColumn[] = rows.map((row) => ({
    name: String(row.column_name),
    dataType: String(row.data_type),
    typeName: String(row.udt_name),
    maxLength: row.character_maximum_length === null ? null : Number(row.character_maximum_length),
    nullable: row.is_nullable === 'YES',
  }));
  if (!copy.columns) return all;
  return copy.columns.map((name) => {
    const column = all.find((candidate) => candidate.name === name);
    if (!column) throw new CopyLoadError(`COPY ${copy.table}: column ${name} does not exist`);
    return column;
  });
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
