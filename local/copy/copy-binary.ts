import { rejectUnstorableText, timestampsAreEpochMs, type TargetColumn } from './column-converters';
import type { CopyCommand } from '../warehouse/dialect';
import type { RowWriter } from './copy-rows';

/** Writes one converted, non-NULL value's bytes (its length word is the writer's). */
type ValueBytes = (rows: BinaryRows, value: unknown) => void;

/**
 * How one column's converted values become fields of PostgreSQL's binary COPY format, or undefined
 * where no binary form is sure to store exactly what the text would: NUMERIC and REAL (whose
 * binary forms would have to round here what the engine rounds from the text), DATE, TIMESTAMPTZ
 * (text reads in the session's time zone), CHAR(n), and 'auto' TIMESTAMP text (which the engine
 * would still have to read).
 */
export function binaryFieldWriter(column: TargetColumn, copy: CopyCommand): ValueBytes | undefined {
  switch (column.dataType) {
    case 'smallint':
      return (rows, value) => rows.int16(value as number);
    case 'integer':
      return (rows, value) => rows.int32(value as number);
    case 'bigint':
      return (rows, value) => rows.int64(value as number);
    case 'double precision':
      // The text of -0 is "0", which loads as 0.
      return (rows, value) => rows.float64((value as number) === 0 ? 0 : (value as number));
    case 'boolean':
      return (rows, value) => rows.byte(value ? 1 : 0);
    case 'character varying':
    case 'text':
      return (rows, value) => rows.utf8(value as string);
    case 'timestamp without time zone':
      return timestampsAreEpochMs(copy) ? (rows, value) => rows.timestamp(value as number) : undefined;
    default:
      return undefined;
  }
}

/** PostgreSQL's timestamps count microseconds from 2000-01-01 00:00:00. */
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_TO_32 = 2 ** 32;
const FIRST_CAPACITY = 1024 * 1024;
// One cheap screen per value: most text holds no NUL and no surrogate at all.
const NEEDS_A_LOOK = /[\0\uD800-\uDFFF]/;

/**
 * Rows as binary COPY tuples: a 16-bit field count, then each field as a 32-bit length (-1 for
 * NULL) and its bytes, big-endian. The header and trailer are the engine's (engine.ts).
 */
export class BinaryRows implements RowWriter {
  readonly format = 'binary';
  private buffer = Buffer.allocUnsafeSlow(FIRST_CAPACITY);
  private offset = 0;
  private rowStart = 0;

  constructor(private readonly writers: readonly ValueBytes[]) {}

  get bytes(): number {
    return this.offset;
  }

  startRow(): void {
    this.rowStart = this.offset;
    this.room(2);
    this.offset = this.buffer.writeInt16BE(this.writers.length, this.offset);
  }

  field(index: number, value: unknown): void {
    if (value === null) {
      this.room(4);
      this.offset = this.buffer.writeInt32BE(-1, this.offset);
      return;
    }
    this.writers[index]!(this, value);
  }

  endRow(): void {
    this.rowStart = this.offset;
  }

  dropRow(): void {
    this.offset = this.rowStart;
  }

  take(): Uint8Array {
    const bytes = new Uint8Array(this.buffer.subarray(0, this.offset));
    this.offset = 0;
    this.rowStart = 0;
    return bytes;
  }

  int16(value: number): void {
    this.sized(2);
    this.offset = this.buffer.writeInt16BE(value, this.offset);
  }

  int32(value: number): void {
    this.sized(4);
    this.offset = this.buffer.writeInt32BE(value, this.offset);
  }

  /** A safe integer, written as its high and low 32 bits. */
  int64(value: number): void {
    this.sized(8);
    this.writeInt64(value);
  }

  float64(value: number): void {
    this.sized(8);
    this.offset = this.buffer.writeDoubleBE(value, this.offset);
  }

  byte(value: number): void {
    this.sized(1);
    this.buffer[this.offset++] = value;
  }

  utf8(text: string): void {
    if (NEEDS_A_LOOK.test(text)) rejectUnstorableText(text);
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    this.room(4 + text.length * 3);
    const length = this.buffer.write(text, this.offset + 4, 'utf8');
    this.buffer.writeInt32BE(length, this.offset);
    this.offset += 4 + length;
  }

  /** Whole epoch milliseconds (the converter checked their range) as microseconds since 2000. */
  timestamp(epochMs: number): void {
    this.sized(8);
    const micros = (epochMs - POSTGRES_EPOCH_MS) * 1000;
    if (Number.isSafeInteger(micros)) this.writeInt64(micros);
    else this.offset = this.buffer.writeBigInt64BE(BigInt(epochMs - POSTGRES_EPOCH_MS) * 1000n, this.offset);
  }

  private writeInt64(value: number): void {
    const high = Math.floor(value / TWO_TO_32);
    this.offset = this.buffer.writeInt32BE(high, this.offset);
    this.offset = this.buffer.writeUInt32BE(value - high * TWO_TO_32, this.offset);
  }

  /** Room for a field of `size` bytes, and its length word. */
  private sized(size: number): void {
    this.room(4 + size);
    this.offset = this.buffer.writeInt32BE(size, this.offset);
  }

  private room(size: number): void {
    if (this.offset + size <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.offset + size));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }
}
