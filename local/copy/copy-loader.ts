import type { SqlSession } from '../engine/engine';
import {
  converterFor,
  LoadErrorCode,
  rawFieldValue,
  ValueError,
  type Converter,
  type TargetColumn,
} from './column-converters';
import type { CopyCommand } from '../warehouse/dialect';
import { copyTextField } from './copy-text';
import { readJsonObjects, MalformedJsonError, type JsonRecord } from './json-objects';
import { parseJsonPathsFile, selectPath } from './json-paths';
import type { LocalS3, S3Object } from './local-s3';

/**
 * One rejected source row, named the way a person finds it (object key, line, JSON field, column)
 * and the way Redshift's load-error views describe it (type, length, error code, raw text).
 */
export interface Rejection {
  readonly uri: string;
  readonly line: number;
  readonly field: string;
  readonly column: string;
  readonly reason: string;
  /** Redshift's load error code (its Load error reference). */
  readonly code: LoadErrorCode;
  /** The column's type as Redshift's views print it (int4, varchar…), and its declared length. */
  readonly columnType: string;
  readonly columnLength: string;
  readonly rawLine: string;
  readonly rawValue: string;
}

export interface CopyOutcome {
  readonly table: string;
  readonly objects: number;
  readonly rowsLoaded: number;
  readonly rowsRejected: number;
  /** The rejections in full: all of them when the load succeeds; the first ones when it fails. */
  readonly rejections: readonly Rejection[];
}

export class CopyLoadError extends Error {
  override readonly name = 'CopyLoadError';
  constructor(
    message: string,
    readonly rejections: readonly Rejection[] = [],
  ) {
    super(message);
  }
}

export const describeRejection = (r: Rejection): string =>
  `${r.uri} line ${r.line}, field ${r.field} (column ${r.column}): ${r.reason}`;

/** Rows go to the engine in chunks of about this many characters of COPY text. */
const CHUNK_CHARS = 1024 * 1024;
const REJECTIONS_KEPT = 100;

interface FieldMapping {
  readonly column: TargetColumn;
  /** How the source names the field in messages: the JSONPath, or the key 'auto' matched. */
  readonly field: string;
  readonly read: (record: Record<string, unknown>) => unknown;
  readonly convert: Converter;
}

/**
 * Loads JSON objects from the local S3 stand-in into a table with Redshift COPY's semantics: every
 * object under the FROM prefix, columns mapped by a JSONPaths file (by position) or by 'auto'
 * (by name, case-sensitive unless 'auto ignorecase'), rows that fail conversion rejected and
 * counted, and the whole load failed when more than MAXERROR rows are rejected. The rows stream
 * into the engine's bulk COPY as the files are read, inside the statement's transaction, so a
 * failed load is undone with it.
 */
export async function executeCopy(session: SqlSession, copy: CopyCommand, s3: LocalS3): Promise<CopyOutcome> {
  const columns = await targetColumns(session, copy);
  const mappings = fieldMappings(copy, columns, s3);
  const objects = s3.list(copy.from);
  const rejections: Rejection[] = [];
  // A load that succeeds records every row it skipped; one that fails, enough to show why.
  const rejectionsKept = Math.max(REJECTIONS_KEPT, copy.maxError);
  let rowsRejected = 0;

  async function* copyText(): AsyncGenerator<Buffer> {
    let text = '';
    for (const object of objects) {
      for (const records of readObjectRecords(copy.table, object)) {
        for (const record of records) {
          const row = convertRecord(record, mappings, object.uri);
          if (typeof row !== 'string') {
            rowsRejected++;
            if (rejections.length < rejectionsKept) rejections.push(row);
            continue;
          }
          if (rowsRejected > copy.maxError) continue; // the load has failed; keep counting only
          text += row;
        }
        if (text.length >= CHUNK_CHARS) {
          yield Buffer.from(text);
          text = '';
        }
      }
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
    if (text !== '') yield Buffer.from(text);
  }

  const names = columns.map((column) => quoteIdentifier(column.name)).join(', ');
  const rowsLoaded = await session.copyRows(copy.table, names, copyText());
  return { table: copy.table, objects: objects.length, rowsLoaded, rowsRejected, rejections };
}

/** A malformed object fails the load whatever MAXERROR says, as Redshift's does. */
function* readObjectRecords(table: string, object: S3Object): Generator<JsonRecord[]> {
  try {
    yield* readJsonObjects(object.path);
  } catch (error) {
    if (!(error instanceof MalformedJsonError)) throw error;
    const source = { uri: object.uri, line: error.line, rawLine: error.rawLine };
    const rejection = wholeRecordRejection(source, LoadErrorCode.MalformedJson, error.message);
    throw new CopyLoadError(`COPY ${table} failed: ${describeRejection(rejection)}`, [rejection]);
  }
}

interface SourceLine {
  readonly uri: string;
  readonly line: number;
  readonly rawLine: string;
}

function wholeRecordRejection(source: SourceLine, code: LoadErrorCode, reason: string): Rejection {
  return {
    ...source,
    field: '(whole record)',
    column: '-',
    reason,
    code,
    columnType: '',
    columnLength: '',
    rawValue: '',
  };
}

/** The record as one line of COPY text, or why it is rejected. */
function convertRecord(
  { line, value, rawLine }: JsonRecord,
  mappings: readonly FieldMapping[],
  uri: string,
): string | Rejection {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return wholeRecordRejection({ uri, line, rawLine }, LoadErrorCode.InvalidLine, 'not a JSON object');
  }
  const fields = new Array<string>(mappings.length);
  for (let index = 0; index < mappings.length; index++) {
    const mapping = mappings[index]!;
    const raw = mapping.read(value as Record<string, unknown>);
    try {
      fields[index] = copyTextField(mapping.convert(raw));
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      const { column } = mapping;
      return {
        uri,
        line,
        rawLine,
        field: mapping.field,
        column: column.name,
        reason: error.message,
        code: error.code,
        columnType: column.typeName,
        columnLength: column.maxLength === null ? '' : String(column.maxLength),
        rawValue: rawFieldValue(raw),
      };
    }
  }
  return `${fields.join('\t')}\n`;
}

function fieldMappings(copy: CopyCommand, columns: readonly TargetColumn[], s3: LocalS3): FieldMapping[] {
  if (copy.json.kind === 'jsonpaths') {
    const paths = parseJsonPathsFile(s3.read(copy.json.uri), copy.json.uri);
    if (paths.length !== columns.length) {
      throw new CopyLoadError(
        `COPY ${copy.table}: the JSONPaths file ${copy.json.uri} has ${paths.length} paths but the target has ` +
          `${columns.length} columns; JSONPaths map by position, so the counts must match`,
      );
    }
    return columns.map((column, index) => {
      const { path, segments } = paths[index]!;
      return {
        column,
        field: path,
        read: (record) => selectPath(record, segments),
        convert: converterFor(column, copy),
      };
    });
  }
  const ignoreCase = copy.json.ignoreCase;
  return columns.map((column) => ({
    column,
    field: JSON.stringify(column.name),
    read: ignoreCase
      ? (record) => {
          const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === column.name);
          return key === undefined ? undefined : record[key];
        }
      : (record) => (Object.hasOwn(record, column.name) ? record[column.name] : undefined),
    convert: converterFor(column, copy),
  }));
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
