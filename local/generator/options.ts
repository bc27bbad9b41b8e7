import { ArgumentError, parseArguments } from '../cli/arguments';

export interface GenerateOptions {
  /** Where the data set goes: song_data/, log_data/ and log_json_path.json are written under it. */
  readonly outDir: string;
  /** Log events in all (default 8000). */
  readonly events?: number;
  /** Song files (default 2000). */
  readonly songs?: number;
  /** Days of logs, one file each (default 30). */
  readonly days?: number;
  /** PRNG seed, an integer 0 … 4294967295 (default 1). The same options give the same bytes. */
  readonly seed?: number;
  /** First day, YYYY-MM-DD, UTC (default 2018-11-01). */
  readonly start?: string;
  /**
   * If outDir is not empty: false (default) refuses; true first deletes the song_data/, log_data/
   * and log_json_path.json a previous run left there (nothing else).
   */
  readonly overwrite?: boolean;
}

export type ResolvedOptions = Required<GenerateOptions> & { readonly startSec: number };

export const DEFAULTS = {
  events: 8000,
  songs: 2000,
  days: 30,
  seed: 1,
  start: '2018-11-01',
} as const;

export const LIMITS = {
  events: 1_000_000_000,
  songs: 5_000_000,
  days: 3660,
  seed: 0xffffffff,
} as const;

/** A bad option: the message names the option and the value given. */
export class GeneratorArgumentError extends ArgumentError {
  override readonly name = 'GeneratorArgumentError';
}

/** How option names read in messages: '--events' for the command line, 'events' for the API. */
type Style = 'api' | 'cli';

function label(name: string, style: Style): string {
  if (style === 'api') return name === 'out' ? 'outDir' : name;
  return `--${name}`;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function checkInteger(name: keyof typeof LIMITS, value: unknown, min: number, style: Style): number {
  const what = min === 0 ? 'a non-negative integer' : 'a positive integer';
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new GeneratorArgumentError(`${label(name, style)} must be ${what}, got ${shown(value)}`);
  if (value > LIMITS[name])
    throw new GeneratorArgumentError(
      `${label(name, style)} must be at most ${LIMITS[name]}, got ${shown(value)}`,
    );
  return value;
}

/** Epoch seconds of a YYYY-MM-DD date at 00:00 UTC, or null if it is no such date. */
function parseDay(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return ms / 1000;
}

function validate(raw: Record<string, unknown>, style: Style): ResolvedOptions {
  const outDir = raw.outDir;
  if (typeof outDir !== 'string' || outDir.trim() === '')
    throw new GeneratorArgumentError(
      outDir === undefined
        ? `${label('out', style)} is required`
        : `${label('out', style)} must be a directory path, got ${shown(outDir)}`,
    );
  const events = checkInteger('events', raw.events ?? DEFAULTS.events, 1, style);
  const songs = checkInteger('songs', raw.songs ?? DEFAULTS.songs, 1, style);
  const days = checkInteger('days', raw.days ?? DEFAULTS.days, 1, style);
  const seed = checkInteger('seed', raw.seed ?? DEFAULTS.seed, 0, style);
  const start = raw.start ?? DEFAULTS.start;
  const startSec = typeof start === 'string' ? parseDay(start) : null;
  if (typeof start !== 'string' || startSec === null)
    throw new GeneratorArgumentError(
      `${label('start', style)} must be a date YYYY-MM-DD, got ${shown(start)}`,
    );
  // Registrations go back two weeks before the start; the last day must stay a 4-digit year.
  if (startSec < Date.UTC(1971, 0, 1) / 1000 || startSec + days * 86400 > Date.UTC(10000, 0, 1) / 1000)
    throw new GeneratorArgumentError(
      `${label('start', style)} must be from 1971-01-01 on, with the last day before year 10000, got ${shown(start)}`,
    );
  const overwrite = raw.overwrite ?? false;
  if (typeof overwrite !== 'boolean')
    throw new GeneratorArgumentError(
      `${label('overwrite', style)} must be true or false, got ${shown(overwrite)}`,
    );
  return { outDir, events, songs, days, seed, start, startSec, overwrite };
}

/** Checks the options of generateDataset and fills in the defaults. */
export function resolveOptions(options: GenerateOptions): ResolvedOptions {
  return validate({ ...options }, 'api');
}

export const GENERATE_COMMAND = {
  command: 'npm run generate --',
  summary: `Writes a synthetic Sparkify data set in the layout of the s3://udacity-dend bucket:
  DIR/song_data/A/B/C/TRABC….json               one song per file
  DIR/log_data/YYYY/MM/YYYY-MM-DD-events.json   one file of events per day
  DIR/log_json_path.json
The same arguments always give the same bytes.`,
  options: {
    out: {
      type: 'path',
      value: 'DIR',
      required: true,
      description: 'output directory (created if missing; must be empty unless --force)',
    },
    events: {
      type: 'integer',
      value: 'N',
      default: DEFAULTS.events,
      max: LIMITS.events,
      description: 'log events in all',
    },
    songs: {
      type: 'integer',
      value: 'M',
      default: DEFAULTS.songs,
      max: LIMITS.songs,
      description: 'song files',
    },
    days: {
      type: 'integer',
      value: 'D',
      default: DEFAULTS.days,
      max: LIMITS.days,
      description: 'days of logs',
    },
    seed: {
      type: 'integer',
      value: 'S',
      min: 0,
      default: DEFAULTS.seed,
      max: LIMITS.seed,
      description: `PRNG seed, 0 … ${LIMITS.seed}`,
    },
    start: { type: 'string', value: 'YYYY-MM-DD', default: DEFAULTS.start, description: 'first day, UTC' },
    force: {
      type: 'boolean',
      description: 'replace the song_data/, log_data/ and log_json_path.json already in DIR',
    },
    json: { type: 'boolean', description: 'print the summary as JSON' },
  },
} as const;

export interface CliRequest {
  readonly help: boolean;
  readonly json: boolean;
  readonly options: ResolvedOptions | null;
}

/**
 * Parses and checks the command line (arguments after the script name), --out resolved from the
 * invocation directory. Throws ArgumentError.
 */
export function parseGenerateArgs(argv: readonly string[], base?: string): CliRequest {
  const parsed = parseArguments(GENERATE_COMMAND, argv, base);
  if (parsed.help) return { help: true, json: false, options: null };
  const { out, force, json, ...numbersAndStart } = parsed.values;
  return {
    help: false,
    json,
    options: validate({ outDir: out, overwrite: force, ...numbersAndStart }, 'cli'),
  };
}
