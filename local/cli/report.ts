import type { LocalWarehouse } from '../warehouse/local-warehouse';

/** How the local runner shows a run to a person: aligned progress lines and a row-count table. */

export const REPORTED_TABLES = [
  'staging_events',
  'staging_songs',
  'songplays',
  'users',
  'songs',
  'artists',
  'time',
] as const;

/** Rows in each reported table that exists (a run that failed early may have created none). */
export async function countRows(warehouse: LocalWarehouse): Promise<Record<string, number>> {
  const [existing] = await warehouse.run([
    'SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()',
  ]);
  const names = new Set((existing?.result?.rows ?? []).map((row) => String(row.table_name)));
  const tables = REPORTED_TABLES.filter((table) => names.has(table));
  if (tables.length === 0) return {};
  const sql = tables
    .map((table) => `SELECT '${table}' AS name, COUNT(*) AS n FROM ${table}`)
    .join(' UNION ALL ');
  const [outcome] = await warehouse.run([sql]);
  return Object.fromEntries((outcome?.result?.rows ?? []).map((row) => [String(row.name), Number(row.n)]));
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function rowCountTable(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts);
  const nameWidth = Math.max('table'.length, ...entries.map(([name]) => name.length));
  const countWidth = Math.max('rows'.length, ...entries.map(([, n]) => formatCount(n).length));
  const rule = `${'─'.repeat(nameWidth + 2)}┼${'─'.repeat(countWidth + 2)}`;
  const line = (name: string, count: string) => ` ${name.padEnd(nameWidth)} │ ${count.padStart(countWidth)}`;
  return [line('table', 'rows'), rule, ...entries.map(([name, n]) => line(name, formatCount(n)))].join('\n');
}
