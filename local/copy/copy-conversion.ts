import {
  converterFor,
  LoadErrorCode,
  rawFieldValue,
  ValueError,
  type Converter,
  type TargetColumn,
} from './column-converters';
import type { CopyCommand } from '../warehouse/dialect';
import { rowWriterFor, type RowWriter } from './copy-rows';
import { readJsonObjects, MalformedJsonError, type JsonRecord } from './json-objects';
import { selectPath, type PathSegment } from './json-paths';
import type { S3Object } from './local-s3';

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

/**
 * What converting a COPY's objects needs, as plain data that can cross to a worker thread: the
 * target columns, the COPY's options, and the JSONPaths file's paths when it names one.
 */
export interface ConversionPlan {
  readonly copy: CopyCommand;
  readonly columns: readonly TargetColumn[];
  readonly paths?: readonly { readonly path: string; readonly segments: readonly PathSegment[] }[];
}

/** Rows, in source order, as COPY bytes of about CHUNK_BYTES, and the rows rejected among them. */
export interface ConvertedChunk {
  /** In the plan's COPY format (copyFormatFor), in a buffer of their own. */
  readonly bytes: Uint8Array;
  /** Every rejection among these rows, in source order. */
  readonly rejections: readonly Rejection[];
}

/** Rows go to the engine in chunks of about this many bytes. */
const CHUNK_BYTES = 1024 * 1024;
/** A chunk ends after this many rejections too, so that a file of bad rows never piles up. */
const CHUNK_REJECTIONS = 1000;

interface FieldMapping {
  readonly column: TargetColumn;
  /** How the source names the field in messages: the JSONPath, or the key 'auto' matched. */
  readonly field: string;
  readonly read: (record: Record<string, unknown>) => unknown;
  readonly convert: Converter;
}

/**
 * The objects' rows converted to COPY rows, chunk by chunk, in source order. A malformed object
 * throws CopyLoadError when it is reached, whatever MAXERROR says, as Redshift's COPY fails.
 */
export function* convertObjects(
  plan: ConversionPlan,
  objects: readonly S3Object[],
): Generator<ConvertedChunk> {
  const mappings = fieldMappings(plan);
  const rows = rowWriterFor(plan.columns, plan.copy);
  let rejections: Rejection[] = [];
  for (const object of objects) {
    for (const records of readObjectRecords(plan.copy.table, object)) {
      for (const record of records) {
        const rejection = convertRecord(record, mappings, object.uri, rows);
        if (rejection) rejections.push(rejection);
      }
      if (rows.bytes >= CHUNK_BYTES || rejections.length >= CHUNK_REJECTIONS) {
        yield { bytes: rows.take(), rejections };
        rejections = [];
      }
    }
  }
  if (rows.bytes > 0 || rejections.length > 0) yield { bytes: rows.take(), rejections };
}

/** Fails before any object is read, as the load would: a column of a type the loader cannot fill. */
export function checkConvertible(plan: ConversionPlan): ConversionPlan {
  fieldMappings(plan);
  return plan;
}

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

/** Writes the record as one COPY row, or says why it is rejected (and writes nothing). */
function convertRecord(
  { line, value, rawLine }: JsonRecord,
  mappings: readonly FieldMapping[],
  uri: string,
  rows: RowWriter,
): Rejection | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return wholeRecordRejection({ uri, line, rawLine }, LoadErrorCode.InvalidLine, 'not a JSON object');
  }
  rows.startRow();
  for (let index = 0; index < mappings.length; index++) {
    const mapping = mappings[index]!;
    const raw = mapping.read(value as Record<string, unknown>);
    try {
      rows.field(index, mapping.convert(raw));
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      rows.dropRow();
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
  rows.endRow();
  return undefined;
}

function fieldMappings({ copy, columns, paths }: ConversionPlan): FieldMapping[] {
  if (paths) {
    return columns.map((column, index) => {
      const { path, segments } = paths[index]!;
      return { column, field: path, read: pathReader(segments), convert: converterFor(column, copy) };
    });
  }
  const ignoreCase = copy.json.kind !== 'jsonpaths' && copy.json.ignoreCase;
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

/** A path of one key, as most JSONPaths files hold, reads it without walking a path. */
function pathReader(segments: readonly PathSegment[]): FieldMapping['read'] {
  const [first] = segments;
  if (segments.length === 1 && first !== undefined) return (record) => record[first];
  return (record) => selectPath(record, segments);
}
