import type { CopyFormat } from '../engine/engine';
import type { TargetColumn } from './column-converters';
import type { CopyCommand } from '../warehouse/dialect';
import { binaryFieldWriter, BinaryRows } from './copy-binary';
import { TextRows, textFieldWriter } from './copy-text';

/**
 * Converted rows as the bytes of one COPY format, row by row. A field that no engine can hold
 * throws ValueError; the caller then drops the row, which leaves nothing of it behind.
 */
export interface RowWriter {
  readonly format: CopyFormat;
  startRow(): void;
  field(index: number, value: unknown): void;
  endRow(): void;
  dropRow(): void;
  /** Bytes written since the last take. */
  readonly bytes: number;
  /** The rows ended since the last take, in a buffer of their own (it may move to another thread). */
  take(): Uint8Array;
}

/**
 * Binary wherever every column has a binary form that stores what its text would; text otherwise
 * (NUMERIC, REAL, DATE, TIMESTAMPTZ, CHAR(n), and TIMESTAMP text under TIMEFORMAT 'auto').
 */
export function copyFormatFor(columns: readonly TargetColumn[], copy: CopyCommand): CopyFormat {
  return columns.every((column) => binaryFieldWriter(column, copy) !== undefined) ? 'binary' : 'text';
}

export function rowWriterFor(columns: readonly TargetColumn[], copy: CopyCommand): RowWriter {
  if (copyFormatFor(columns, copy) === 'binary') {
    return new BinaryRows(columns.map((column) => binaryFieldWriter(column, copy)!));
  }
  return new TextRows(columns.map((column) => textFieldWriter(column, copy)));
}
