import { ArgumentError, parseArguments, type CommandSpec, type OptionSpec } from '../local/cli/arguments';

// Upper bounds keep a typo (an extra zero or three) from filling the disk with generated logs.
export const BENCH_COMMAND = {
  command: 'npm run bench --',
  summary: `Times the whole local pipeline on a generated data set, step by step, on PGlite and (given a
server) on PostgreSQL, in one process so that the ratios compare like with like; writes an SVG chart
of the step times and, with --write-readme, the table in README.md.`,
  options: {
    events: {
      type: 'integer',
      value: 'N',
      max: 100_000_000,
      default: 1_000_000,
      description: 'log events of the full run',
    },
    songs: { type: 'integer', value: 'M', max: 5_000_000, default: 20_000, description: 'song files' },
    days: { type: 'integer', value: 'D', max: 3660, default: 30, description: 'days of logs, one file each' },
    data: {
      type: 'path',
      value: 'DIR',
      description: 'time the full run on this S3-layout directory instead of generating one',
    },
    'incremental-events': {
      type: 'integer',
      value: 'N',
      min: 0,
      max: 100_000_000,
      default: 300_000,
      description: 'events of the month a one-day incremental run is compared on\n(0 skips that comparison)',
    },
    repeat: {
      type: 'integer',
      value: 'R',
      max: 100,
      default: 1,
      description:
        'executions per figure (each full run, DuckDB, the nightly day and the rebuild); the median is shown',
    },
    database: {
      type: 'string',
      value: 'URL',
      description:
        'a PostgreSQL server, postgres://user@host:port/db; the bench creates a scratch\ndatabase of its own there and drops it after\n(default: $SPARKIFY_BENCH_DATABASE_URL; none: PGlite only)',
    },
    duckdb: {
      type: 'boolean',
      description:
        'also time DuckDB building the same tables from the same files,\nissue 10’s reference point',
    },
    chart: {
      type: 'path',
      value: 'FILE',
      description:
        'where the SVG chart of step times goes\n(default: docs/bench-steps.svg in the project, which README.md shows)',
    },
    'write-readme': {
      type: 'boolean',
      description: 'replace the table between <!-- bench:start --> and <!-- bench:end -->\nin README.md',
    },
    json: { type: 'boolean', description: 'print every figure as one JSON object as the last line' },
  },
} as const satisfies CommandSpec<Record<string, OptionSpec>>;

export interface BenchOptions {
  readonly events: number;
  readonly songs: number;
  readonly days: number;
  readonly dataDir?: string;
  readonly incrementalEvents: number;
  readonly repeat: number;
  readonly database?: string;
  readonly duckdb: boolean;
  readonly chart?: string;
  readonly writeReadme: boolean;
  readonly json: boolean;
}

/**
 * The options of `npm run bench`, or `'help'`; throws ArgumentError naming a bad one. Relative
 * paths are read from `base`, the directory `npm run` was typed in.
 */
export function parseBenchArguments(
  argv: readonly string[],
  environment: Readonly<Record<string, string | undefined>> = {},
  base?: string,
): BenchOptions | 'help' {
  const parsed = parseArguments(BENCH_COMMAND, argv, base);
  if (parsed.help) return 'help';
  const { values } = parsed;
  const database = values.database ?? environment.SPARKIFY_BENCH_DATABASE_URL;
  if (database !== undefined && !/^postgres(ql)?:\/\/./.test(database)) {
    const source = values.database === undefined ? 'SPARKIFY_BENCH_DATABASE_URL' : '--database';
    throw new ArgumentError(
      `${source} must be a server URL, postgres://user@host:port/db, got ${JSON.stringify(database)}`,
    );
  }
  return {
    events: values.events,
    songs: values.songs,
    days: values.days,
    ...(values.data === undefined ? {} : { dataDir: values.data }),
    incrementalEvents: values['incremental-events'],
    repeat: values.repeat,
    ...(database === undefined ? {} : { database }),
    duckdb: values.duckdb,
    ...(values.chart === undefined ? {} : { chart: values.chart }),
    writeReadme: values['write-readme'],
    json: values.json,
  };
}
