import type { CopyCommand } from '../warehouse/dialect';

/** A target column as information_schema describes it. */
export interface TargetColumn {
  readonly name: string;
  readonly dataType: string;
  /** The short name (int4, varchar…) Redshift's load-error views print. */
  readonly typeName: string;
  readonly maxLength: number | null;
  readonly nullable: boolean;
}

/** Redshift's load error codes (its Load error reference) for the rejections the local COPY makes. */
export enum LoadErrorCode {
  OutOfRange = 1204,
  InvalidDate = 1205,
  InvalidTimestamp = 1206,
  InvalidDigit = 1207,
  InvalidFloat = 1208,
  InvalidDecimal = 1209,
  InvalidBoolean = 1210,
  MissingNotNull = 1213,
  InvalidUtf8 = 1220,
  InvalidLine = 1216,
  InvalidType = 1223,
  MalformedJson = 1224,
}

/** Why one value cannot load; the loader adds the file, line and field. */
export class ValueError extends Error {
  constructor(
    readonly code: LoadErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** NUL, or half a surrogate pair (\ud800 alone has no UTF-8 form): text on neither engine holds them. */
const NOT_UTF8_TEXT = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NOT_UTF8_TEXT_ALL = new RegExp(NOT_UTF8_TEXT.source, 'g');

/** Rejects text that neither engine can store, whichever COPY format would carry it. */
export function rejectUnstorableText(text: string): void {
  if (NOT_UTF8_TEXT.test(text)) {
    throw new ValueError(
      LoadErrorCode.InvalidUtf8,
      'String contains invalid or unsupported UTF-8 codepoints (NUL or an unpaired surrogate)',
    );
  }
}

/**
 * A source value as the load-error views show it: text as it is, anything else as JSON. What text
 * cannot hold (NUL, half a surrogate pair) shows as '?', as ACCEPTINVCHARS would replace it.
 */
export function rawFieldValue(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(NOT_UTF8_TEXT_ALL, '?');
}

export type Converter = (value: unknown) => unknown;

const INTEGER_RANGES: Record<string, readonly [number, number]> = {
  smallint: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

const NUMERIC_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

const describe = (value: unknown) => JSON.stringify(value) ?? String(value);

/**
 * Converts a JSON value for one column with Redshift COPY's rules: JSON null or a missing value is
 * NULL (an error for a NOT NULL column); numbers go to numeric columns, and numeric text is accepted
 * too; text longer than VARCHAR(n) *bytes* fails unless TRUNCATECOLUMNS; TIMESTAMP takes the
 * TIMEFORMAT given.
 */
export function converterFor(column: TargetColumn, copy: CopyCommand): Converter {
  const convert = typeConverter(column, copy);
  return (value) => {
    if (value === undefined || value === null) {
      if (!column.nullable)
        throw new ValueError(LoadErrorCode.MissingNotNull, 'missing data for not-null field');
      return null;
    }
    const converted = convert(value);
    if (converted === null && !column.nullable)
      throw new ValueError(LoadErrorCode.MissingNotNull, 'missing data for not-null field');
    return converted;
  };
}

function typeConverter(column: TargetColumn, copy: CopyCommand): Converter {
  const type = column.dataType;
  const range = INTEGER_RANGES[type];
  if (range) return (value) => toInteger(value, type, range);
  if (type === 'double precision' || type === 'real')
    return (value) => toNumber(value, type, LoadErrorCode.InvalidFloat);
  if (type === 'numeric') return (value) => toNumber(value, type, LoadErrorCode.InvalidDecimal);
  if (type === 'boolean') return toBoolean;
  if (type === 'character varying' || type === 'character' || type === 'text')
    return textConverter(column, copy);
  if (type.startsWith('timestamp')) return timestampConverter(copy);
  if (type === 'date') return toDate;
  throw new ValueError(LoadErrorCode.InvalidType, `column type ${type} is not supported by the local COPY`);
}

function toNumber(value: unknown, type: string, code: LoadErrorCode): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC_TEXT.test(value)) return Number(value);
  throw new ValueError(code, `expected a number for ${type}, got ${describe(value)}`);
}

function toInteger(value: unknown, type: string, [min, max]: readonly [number, number]): number {
  const number = toNumber(value, type, LoadErrorCode.InvalidDigit);
  if (!Number.isInteger(number))
    throw new ValueError(
      LoadErrorCode.InvalidDigit,
      `expected a whole number for ${type}, got ${describe(value)}`,
    );
  if (number < min || number > max)
    throw new ValueError(LoadErrorCode.OutOfRange, `${describe(value)} is out of range for ${type}`);
  return number;
}

function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 't' || value === '1' || value === 1) return true;
  if (value === 'false' || value === 'f' || value === '0' || value === 0) return false;
  throw new ValueError(LoadErrorCode.InvalidBoolean, `expected a boolean, got ${describe(value)}`);
}

/** A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4). */
const MAX_UTF8_BYTES_PER_UNIT = 3;

function textConverter(column: TargetColumn, copy: CopyCommand): Converter {
  const limit = column.maxLength;
  return (value) => {
    let text = typeof value === 'string' ? value : JSON.stringify(value);
    if (copy.emptyAsNull && text === '') return null;
    if (copy.blanksAsNull && text.trim() === '' && text !== '') return null;
    const mayBeTooLong = limit !== null && text.length * MAX_UTF8_BYTES_PER_UNIT > limit;
    if (mayBeTooLong && Buffer.byteLength(text, 'utf8') > limit) {
      if (!copy.truncateColumns) {
        throw new ValueError(
          LoadErrorCode.OutOfRange,
          `${Buffer.byteLength(text, 'utf8')} bytes exceed the column's VARCHAR(${limit})`,
        );
      }
      text = truncateBytes(text, limit);
    }
    return text;
  };
}

/** Cuts at a character boundary so a multi-byte character is never split. */
function truncateBytes(text: string, limit: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > limit) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * The epoch timestamps a row may carry here: years 1 to 9999, which both COPY formats store alike
 * (TIMESTAMP text has four-digit years). Redshift's TIMESTAMP reaches further (4713 BC to 294276
 * AD); a value beyond these years is rejected on its row, naming its line and field, instead of
 * failing the whole COPY in the engine.
 */
const FIRST_TIMESTAMP_MS = Date.parse('0001-01-01T00:00:00.000Z');
const LAST_TIMESTAMP_MS = Date.parse('9999-12-31T23:59:59.999Z');

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$/;

function timestampConverter(copy: CopyCommand): Converter {
  if (!timestampsAreEpochMs(copy)) {
    return (value) => {
      if (typeof value === 'string' && TIMESTAMP_TEXT.test(value.trim())) return value.trim();
      throw new ValueError(
        LoadErrorCode.InvalidTimestamp,
        `expected a timestamp like 2018-11-01 21:01:46, got ${describe(value)}`,
      );
    };
  }
  const scale = copy.timeFormat === 'epochmillisecs' ? 1 : 1000;
  const format = `TIMEFORMAT '${copy.timeFormat}'`;
  return (value) => {
    let epoch: number;
    try {
      epoch = toNumber(value, format, LoadErrorCode.InvalidTimestamp);
    } catch {
      throw new ValueError(
        LoadErrorCode.InvalidTimestamp,
        `expected ${copy.timeFormat} (a number) for TIMEFORMAT '${copy.timeFormat}', got ${describe(value)}`,
      );
    }
    // Whole milliseconds, as a Date holds them: the fraction of one is dropped toward zero.
    const epochMs = Math.trunc(epoch * scale);
    if (!(epochMs >= FIRST_TIMESTAMP_MS && epochMs <= LAST_TIMESTAMP_MS))
      throw new ValueError(
        LoadErrorCode.OutOfRange,
        `${describe(value)} is out of range for a timestamp (years 1 to 9999 here)`,
      );
    return epochMs;
  };
}

/**
 * Whether a TIMESTAMP column's converted values are epoch milliseconds (a numeric TIMEFORMAT)
 * rather than the timestamp's text ('auto'): each COPY format writes them its own way.
 */
export function timestampsAreEpochMs(copy: CopyCommand): boolean {
  return copy.timeFormat !== 'auto';
}

function toDate(value: unknown): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return value.trim();
  throw new ValueError(LoadErrorCode.InvalidDate, `expected a date like 2018-11-01, got ${describe(value)}`);
}
