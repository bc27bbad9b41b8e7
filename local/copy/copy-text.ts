import { rejectUnstorableText, timestampsAreEpochMs, type TargetColumn } from './column-converters';
import type { CopyCommand } from '../warehouse/dialect';
import type { RowWriter } from './copy-rows';
import { epochMsFormatter } from './timestamp-text';

/**
 * Converted values as fields of PostgreSQL's COPY text format, which both engines load in bulk:
 * NULL is `\N`, and a backslash, tab, newline or carriage return inside text is escaped, so a
 * string that merely looks like `\N` stays a string. Text that no engine can hold is a rejection.
 */
export function copyTextField(value: unknown): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return NEEDS_A_LOOK.test(value) ? escapeText(value) : value;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  throw new TypeError(`no COPY text for a converted value of type ${typeof value}`);
}

/** How one column's converted values become COPY text: epoch milliseconds become timestamp text. */
export function textFieldWriter(column: TargetColumn, copy: CopyCommand): (value: unknown) => string {
  if (!column.dataType.startsWith('timestamp') || !timestampsAreEpochMs(copy)) return copyTextField;
  const formatEpochMs = epochMsFormatter();
  return (value) => (value === null ? '\\N' : formatEpochMs(value as number)!);
}

/** Rows as COPY text: tab-separated fields, one line per row. */
export class TextRows implements RowWriter {
  readonly format = 'text';
  private text = '';
  private row = '';

  constructor(private readonly writers: readonly ((value: unknown) => string)[]) {}

  get bytes(): number {
    return this.text.length;
  }

  startRow(): void {
    this.row = '';
  }

  field(index: number, value: unknown): void {
    const field = this.writers[index]!(value);
    this.row += index === 0 ? field : `\t${field}`;
  }

  endRow(): void {
    this.text += `${this.row}\n`;
  }

  dropRow(): void {
    this.row = '';
  }

  take(): Uint8Array {
    // A buffer of its own, never a view of Node's shared pool.
    const bytes = encoder.encode(this.text);
    this.text = '';
    return bytes;
  }
}

const encoder = new TextEncoder();

// One cheap screen per value: most text holds nothing to escape and no surrogate at all.
const NEEDS_A_LOOK = /[\\\t\n\r\0\uD800-\uDFFF]/;
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeText(text: string): string {
  rejectUnstorableText(text);
  return text.replace(SPECIAL, (char) => ESCAPES[char]!);
}
