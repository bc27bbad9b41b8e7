import { PIPELINE_STEPS } from '../contract/steps';
import { formatDuration } from '../local/cli/report';
import type { FullRunTiming, IncrementalComparison } from './scenarios';
import type { StagingMeasurement } from './staging';

/** Everything one `npm run bench` measured, in one process, so its ratios compare like with like. */
export interface BenchResults {
  readonly events: number;
  readonly songs: number;
  readonly days: number;
  readonly fullRuns: readonly FullRunTiming[];
  /**
   * Per engine, in the order of fullRuns: the loader on its own (the stage steps straight on the
   * local warehouse, no Data API or IAM) and, just before it, reading and parsing the same files.
   */
  readonly staging: readonly StagingMeasurement[];
  /** DuckDB staging and building the star schema on the same files, if measured (--duckdb). */
  readonly duckdbMs?: number;
  readonly incrementalEvents: number;
  readonly incremental: readonly IncrementalComparison[];
}

/** Issue 10's reference point when DuckDB is not measured in the run: 8–10 s on the 1M files. */
export const ISSUE_DUCKDB_MS = 9000;

/** Issue 10's targets: the whole run within these multiples of DuckDB's time on the same files. */
export const DUCKDB_TARGET = { PGlite: 4, PostgreSQL: 2.5 } as const;

const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`;
const percent = (value: number, base: number) => `${((100 * value) / base).toFixed(1)} %`;

const nightlyCell = (
  comparison: IncrementalComparison | undefined,
  dayMs: (comparison: IncrementalComparison) => number,
) =>
  comparison
    ? `${formatDuration(dayMs(comparison))} / ${formatDuration(comparison.fullMs)} = ${percent(dayMs(comparison), comparison.fullMs)} (target ≤ 10 %)`
    : '–';

export interface Row {
  readonly label: string;
  readonly cells: readonly string[];
}

/** The figures as rows, one column per engine: what both the terminal and the README show. */
export function resultRows(results: BenchResults): Row[] {
  const runs = results.fullRuns;
  const duckdbMs = results.duckdbMs ?? ISSUE_DUCKDB_MS;
  const duckdbSource = results.duckdbMs === undefined ? 'issue 10: 8–10 s' : 'measured';
  const stepRows = PIPELINE_STEPS.map((step) => ({
    label: step,
    cells: runs.map((run) => {
      const ms = run.steps[step];
      return ms === undefined ? '–' : formatDuration(ms);
    }),
  }));
  const stageEvents = (run: FullRunTiming) => run.steps.stage_events ?? NaN;
  const incrementalOf = (engine: string) => results.incremental.find((c) => c.engine === engine);
  return [
    ...stepRows,
    { label: 'execution', cells: runs.map((run) => formatDuration(run.executionMs)) },
    { label: 'whole run (setup, engine, execution)', cells: runs.map((run) => formatDuration(run.wholeMs)) },
    {
      label: `whole run / DuckDB (${duckdbSource}, ${formatDuration(duckdbMs)})`,
      cells: runs.map(
        (run) =>
          `${ratio(run.wholeMs, duckdbMs)} (target ≤ ${DUCKDB_TARGET[run.engine as keyof typeof DUCKDB_TARGET] ?? '?'}×)`,
      ),
    },
    {
      label: 'parse-only: reading and JSON.parse of the event files',
      cells: results.staging.map((staging) => formatDuration(staging.parseOnlyMs)),
    },
    {
      label: 'loader alone: stage_events / parse-only',
      cells: results.staging.map(
        (staging) =>
          `${formatDuration(staging.stageEventsMs)} = ${ratio(staging.stageEventsMs, staging.parseOnlyMs)} (target ≤ 2×)`,
      ),
    },
    {
      label: 'in the pipeline: stage_events / parse-only',
      cells: runs.map((run, i) => ratio(stageEvents(run), results.staging[i]?.parseOnlyMs ?? NaN)),
    },
    ...(results.incremental.length === 0
      ? []
      : [
          {
            label: `one day incremental / full rebuild (${(results.incrementalEvents / 1000).toFixed(0)}k events)`,
            cells: runs.map((run) => nightlyCell(incrementalOf(run.engine), (c) => c.incrementalMs)),
          },
          {
            label: 'the same day after the night before / full rebuild',
            cells: runs.map((run) => nightlyCell(incrementalOf(run.engine), (c) => c.nightAfterNightMs)),
          },
        ]),
  ];
}

export function textTable(results: BenchResults): string {
  const rows = resultRows(results);
  const header: Row = { label: '', cells: results.fullRuns.map((run) => run.engine) };
  const all = [header, ...rows];
  const labelWidth = Math.max(...all.map((row) => row.label.length));
  const widths = results.fullRuns.map((_, i) => Math.max(...all.map((row) => (row.cells[i] ?? '').length)));
  return all
    .map((row) =>
      [row.label.padEnd(labelWidth), ...row.cells.map((cell, i) => cell.padStart(widths[i] ?? 0))].join(
        '   ',
      ),
    )
    .join('\n');
}

export function markdownTable(results: BenchResults): string {
  const escape = (text: string) => text.replaceAll('|', '\\|');
  const header = `| ${results.events.toLocaleString('en-US')} events, ${results.songs.toLocaleString('en-US')} songs, ${results.days} days | ${results.fullRuns.map((run) => run.engine).join(' | ')} |`;
  const rule = `| --- | ${results.fullRuns.map(() => '---:').join(' | ')} |`;
  const body = resultRows(results).map(
    (row) => `| ${escape(row.label)} | ${row.cells.map(escape).join(' | ')} |`,
  );
  return [header, rule, ...body].join('\n');
}

export const README_START = '<!-- bench:start -->';
export const README_END = '<!-- bench:end -->';

/** The README with the text between the bench markers replaced; throws if the markers are missing. */
export function spliceReadme(readme: string, table: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no ${README_START} … ${README_END} section to write the figures into`);
  }
  return `${readme.slice(0, start + README_START.length)}\n${table}\n${readme.slice(end)}`;
}
