import { formatValue } from './format';
import type { Answer } from './query-runner';

// Wide enough for a song title or a location, narrow enough for an 80-column terminal.
const MAX_CELL = 36;

function clip(text: string): string {
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

/** An answer as a short aligned table: numbers right-aligned, long text clipped. */
export function terminalTable(answer: Answer): string {
  const { columns, rows } = answer;
  if (rows.length === 0) return '  (no rows)';
  const cells = rows.map((row) => columns.map((column) => clip(formatValue(row[column]))));
  const numeric = columns.map((column) => rows.every((row) => typeof row[column] !== 'string'));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i]!.length)));
  const line = (values: readonly string[]) =>
    ` ${values.map((value, i) => (numeric[i] ? value.padStart(widths[i]!) : value.padEnd(widths[i]!))).join(' │ ')}`;
  const rule = widths.map((width) => '─'.repeat(width + 2)).join('┼');
  return [line(columns), rule, ...cells.map(line)].map((text) => text.trimEnd()).join('\n');
}
