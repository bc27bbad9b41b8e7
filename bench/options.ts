import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run bench -- [--events N] [--songs M] [--days D] [--data DIR]
                        [--incremental-events N] [--repeat R] [--database URL]
                        [--duckdb] [--chart FILE] [--write-readme] [--json]

Times the whole local pipeline on a generated data set, step by step, on PGlite and (given a
server) on PostgreSQL, in one process so that the ratios compare like with like.

  --events N              log events of the full run (default 1000000)
  --songs M               song files (default 20000)
  --days D                days of logs, one file each (default 30)
  --data DIR              time the full run on this S3-layout directory instead of generating one
  --incremental-events N  events of the month the one-day incremental run is compared on
                          (default 300000; 0 skips that comparison)
  --repeat R              executions per incremental and full-rebuild figure; the median is shown
                          (default 1)
  --database URL          a PostgreSQL server, postgres://user@host:port/db; the bench creates a
                          scratch database of its own there and drops it after
                          (default: $SPARKIFY_BENCH_DATABASE_URL; none: PGlite only)
  --duckdb                also time DuckDB (@duckdb/node-api) staging and building the star
                          schema on the same files, the issue's reference point
  --chart FILE            where the SVG chart of step times goes (default docs/bench-steps.svg)
  --write-readme          replace the table between <!-- bench:start --> and <!-- bench:end -->
                          in README.md with this run's figures
  --json                  print every figure as one JSON object as the last line
  -h, --help              print this help`;

export interface BenchOptions {
  readonly events: number;
  readonly songs: number;
  readonly days: number;
  readonly dataDir?: string;
  readonly incrementalEvents: number;
  readonly repeat: number;
  readonly database?: string;
  readonly duckdb: boolean;
  readonly chart: string;
  readonly writeReadme: boolean;
  readonly json: boolean;
}

/** A bad command line: the message names the option and what it was given. */
export class BenchArgumentError extends Error {
  override readonly name = 'BenchArgumentError';
}

// Upper bounds keep a typo (an extra zero or three) from filling the disk with generated logs.
const COUNTS = {
  events: { min: 1, max: 100_000_000 },
  songs: { min: 1, max: 5_000_000 },
  days: { min: 1, max: 3660 },
  'incremental-events': { min: 0, max: 100_000_000 },
  repeat: { min: 1, max: 100 },
} as const;

type CountOption = keyof typeof COUNTS;

function count(name: CountOption, text: string): number {
  const { min, max } = COUNTS[name];
  // Plain digits only: no sign, exponent, hex, separators or spaces.
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new BenchArgumentError(
      `--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/** The options of `npm run bench`, or `'help'`; throws BenchArgumentError naming a bad one. */
export function parseBenchArguments(
  args: readonly string[],
  environment: Readonly<Record<string, string | undefined>> = {},
): BenchOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        events: { type: 'string', default: '1000000' },
        songs: { type: 'string', default: '20000' },
        days: { type: 'string', default: '30' },
        data: { type: 'string' },
        'incremental-events': { type: 'string', default: '300000' },
        repeat: { type: 'string', default: '1' },
        database: { type: 'string' },
        duckdb: { type: 'boolean', default: false },
        chart: { type: 'string', default: 'docs/bench-steps.svg' },
        'write-readme': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new BenchArgumentError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const database = values.database ?? environment.SPARKIFY_BENCH_DATABASE_URL;
  if (database !== undefined && !/^postgres(ql)?:\/\/.+/.test(database)) {
    const source = values.database === undefined ? 'SPARKIFY_BENCH_DATABASE_URL' : '--database';
    throw new BenchArgumentError(
      `${source} must be a server URL, postgres://user@host:port/db, got ${JSON.stringify(database)}`,
    );
  }
  if (values.data === '') throw new BenchArgumentError('--data must name a directory, got ""');
  if (values.chart === '') throw new BenchArgumentError('--chart must name a file, got ""');
  return {
    events: count('events', values.events),
    songs: count('songs', values.songs),
    days: count('days', values.days),
    ...(values.data === undefined ? {} : { dataDir: values.data }),
    incrementalEvents: count('incremental-events', values['incremental-events']),
    repeat: count('repeat', values.repeat),
    ...(database === undefined ? {} : { database }),
    duckdb: values.duckdb,
    chart: values.chart,
    writeReadme: values['write-readme'],
    json: values.json,
  };
}
