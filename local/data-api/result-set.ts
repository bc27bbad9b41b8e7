import type { ColumnMetadata } from '@aws-sdk/client-redshift-data';
import type { QueryResult } from '../engine/engine';

/** A record's value as it travels on the wire (blobs in base64), one member set, like the SDK's Field. */
export type WireField =
  | { readonly isNull: true }
  /** A bigint when the value is beyond 2^53, where a JS number would change its digits. */
  | { readonly longValue: number | bigint }
  | { readonly doubleValue: number }
  | { readonly booleanValue: boolean }
  | { readonly stringValue: string }
  | { readonly blobValue: string };

/** A result as the Data API returns it, kept until it expires. */
export interface ResultSet {
  readonly columns: readonly ColumnMetadata[];
  readonly records: readonly (readonly WireField[])[];
  /** Bytes of each record's values, for Redshift's row and result limits and for paging. */
  readonly recordSizes: readonly number[];
  readonly size: number;
}

/** The Data API's own limits on what a statement may return. */
export const MAX_ROW_BYTES = 64 * 1024;
export const MAX_RESULT_BYTES = 100 * 1024 * 1024;

/** A result the Data API could not return; it fails the statement, which rolls the transaction back. */
export class ResultSetError extends Error {
  override readonly name = 'ResultSetError';
}

type FieldKind = 'long' | 'double' | 'boolean' | 'string' | 'blob';

interface TypeInfo {
  readonly typeName: string;
  readonly kind: FieldKind;
  readonly precision?: number;
  readonly scale?: number;
}

const numeric = (typeName: string, kind: FieldKind, precision = 0, scale = 0): TypeInfo => ({
  typeName,
  kind,
  precision,
  scale,
});
const text = (typeName: string): TypeInfo => ({ typeName, kind: 'string' });

// PostgreSQL type OIDs → the Data API's type names and Field members. Precision is the type's own
// where it has one (JDBC's figures, which Redshift reports); declared lengths and numeric(p,s) are
// not in the engine's field description, so those report 0.
const TYPES: Readonly<Record<number, TypeInfo>> = {
  16: { typeName: 'bool', kind: 'boolean', precision: 1 },
  17: { typeName: 'bytea', kind: 'blob' },
  18: text('char'),
  19: text('name'),
  20: numeric('int8', 'long', 19),
  21: numeric('int2', 'long', 5),
  23: numeric('int4', 'long', 10),
  25: text('text'),
  26: numeric('oid', 'long', 10),
  114: text('json'),
  700: numeric('float4', 'double', 8, 8),
  701: numeric('float8', 'double', 17, 17),
  1042: text('bpchar'),
  1043: text('varchar'),
  1082: { typeName: 'date', kind: 'string', precision: 13 },
  1083: { typeName: 'time', kind: 'string', precision: 15, scale: 6 },
  1114: { typeName: 'timestamp', kind: 'string', precision: 29, scale: 6 },
  1184: { typeName: 'timestamptz', kind: 'string', precision: 35, scale: 6 },
  1186: text('interval'),
  1266: { typeName: 'timetz', kind: 'string', precision: 21, scale: 6 },
  1700: numeric('numeric', 'string'),
  2278: text('void'),
  2950: text('uuid'),
  3802: text('jsonb'),
};
const UNKNOWN_TYPE = text('unknown');
const SIGNED = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric']);
const CASE_SENSITIVE = new Set(['char', 'name', 'text', 'bpchar', 'varchar', 'json', 'jsonb']);

/**
 * Types a result the way the Data API does: longValue for integers, doubleValue for floats,
 * booleanValue, stringValue for everything else (numeric, dates and timestamps as their text,
 * e.g. `2018-11-01 21:01:46.796`), isNull for NULL. Enforces Redshift's 64 KB row and 100 MB result.
 */
export function toResultSet(result: QueryResult): ResultSet {
  const names = result.fields.map((field) => field.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) {
    // The engine returns rows keyed by column name, so a second column of that name would hide the first.
    throw new ResultSetError(
      `column name "${duplicate}" appears more than once in the result; the local engine cannot return ` +
        'both, so give the columns distinct aliases',
    );
  }
  const types = result.fields.map((field) => TYPES[field.dataTypeID] ?? UNKNOWN_TYPE);
  const records: WireField[][] = [];
  const recordSizes: number[] = [];
  let size = 0;
  for (const row of result.rows) {
    const record = result.fields.map((field, i) => toField(row[field.name], types[i]!.kind));
    const bytes = record.reduce((sum, field) => sum + fieldBytes(field), 0);
    if (bytes > MAX_ROW_BYTES) {
      throw new ResultSetError(
        `result row ${records.length + 1} is ${bytes} bytes; the Data API returns rows up to 64 KB (packet too large)`,
      );
    }
    size += bytes;
    if (size > MAX_RESULT_BYTES) throw new ResultSetError('the result exceeds the Data API limit of 100 MB');
    records.push(record);
    recordSizes.push(bytes);
  }
  return {
    columns: result.fields.map((field, i) => metadata(field.name, types[i]!)),
    records,
    recordSizes,
    size,
  };
}

function metadata(name: string, type: TypeInfo): ColumnMetadata {
  return {
    name,
    label: name,
    typeName: type.typeName,
    // The engine does not say whether a result column can be NULL: report it as nullable.
    nullable: 1,
    isSigned: SIGNED.has(type.typeName),
    isCaseSensitive: CASE_SENSITIVE.has(type.typeName),
    isCurrency: false,
    precision: type.precision ?? 0,
    scale: type.scale ?? 0,
    length: 0,
    schemaName: '',
    tableName: '',
  };
}

function toField(value: unknown, kind: FieldKind): WireField {
  if (value === null || value === undefined) return { isNull: true };
  switch (kind) {
    case 'long':
      return { longValue: exactLong(value) };
    case 'double':
      // NaN and ±Infinity have no JSON number, so they travel as text.
      return Number.isFinite(value) ? { doubleValue: value as number } : { stringValue: String(value) };
    case 'boolean':
      return { booleanValue: value === true };
    case 'blob':
      return { blobValue: Buffer.from(value as Uint8Array).toString('base64') };
    case 'string':
      return { stringValue: typeof value === 'string' ? value : JSON.stringify(value) };
  }
}

/** The engine hands over an int8 beyond 2^53 as its text, so that no digit is lost on the way. */
function exactLong(value: unknown): number | bigint {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (typeof value === 'string') {
    const exact = BigInt(value);
    return Number.isSafeInteger(Number(exact)) ? Number(exact) : exact;
  }
  return Number(value);
}

function fieldBytes(field: WireField): number {
  if ('stringValue' in field) return Buffer.byteLength(field.stringValue);
  if ('blobValue' in field) return (field.blobValue.length * 3) / 4;
  if ('longValue' in field || 'doubleValue' in field) return 8;
  return 1;
}
