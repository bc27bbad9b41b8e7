import type { Value } from './query-runner';

/** How a cell reads, in the terminal and in the report's tables alike. */
export function formatValue(value: Value | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return String(value);
}

export function formatPercent(part: number, whole: number): string {
  return whole === 0
    ? '—'
    : `${((100 * part) / whole).toLocaleString('en-US', { maximumFractionDigits: 1 })} %`;
}
