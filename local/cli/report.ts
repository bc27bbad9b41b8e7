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

/** A row a COPY of the run rejected, as etl_load_errors keeps it. */
export interface RejectedRow {
  readonly table: string;
  readonly source: string;
  readonly line: number;
  readonly column: string;
  readonly reason: string;
}

/** The rows the run's COPYs rejected, from the audit (none if the run failed before recording them). */
export async function rejectedRows(warehouse: LocalWarehouse, runId: string): Promise<RejectedRow[]> {
  const [exists] = await warehouse.run(["SELECT to_regclass('etl_load_errors') IS NOT NULL AS present"]);
  if (exists?.result?.rows[0]?.present !== true) return [];
  const [outcome] = await warehouse.run([
    {
      sql: `SELECT table_name, source_uri, line_number, column_name, reason FROM etl_load_errors
             WHERE run_id = $1 ORDER BY table_name, source_uri, line_number`,
      params: [runId],
    },
  ]);
  return (outcome?.result?.rows ?? []).map((row) => ({
    table: String(row.table_name),
    source: String(row.source_uri),
    line: Number(row.line_number),
    column: String(row.column_name),
    reason: String(row.reason),
  }));
}

/** `key:line field: reason`, the way compilers name a place in a file. */
export function formatRejectedRow(row: RejectedRow): string {
  return `${row.source}:${row.line} ${row.column}: ${row.reason}`;
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
