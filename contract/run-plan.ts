import { InvalidInputError } from './errors';

/**
 * What one execution does, decided once from its input by the first state and handed to every
 * later one. Every mode merges: staged rows replace their own keys and nothing else, so a full
 * run, a day, a re-run or a backfill can be repeated, or run in any order, with the same result.
 */
export interface RunPlan {
  /** The execution's name: unique per state machine, so it identifies the run in the audit. */
  readonly runId: string;
  readonly mode: 'full' | 'incremental';
  /** First and last UTC day staged (inclusive); absent for a full run. */
  readonly from?: string;
  readonly to?: string;
  /** Whether songs and artists are re-staged and merged: always in full mode, on request otherwise. */
  readonly reloadSongs: boolean;
  /**
   * Key prefixes below the log location that this run stages, one COPY each: `/` for everything,
   * `/2018/11/` for a month, `/2018/11/2018-11-12-` for a day. A COPY's FROM is a key prefix, not
   * a folder, so everything ends at the slash: `log_data` alone would load `log_data_old/` too.
   */
  readonly logPrefixes: readonly string[];
  /** Each COPY's MAXERROR: rows it may reject, each recorded in etl_load_errors, before it fails. */
  readonly maxErrors: number;
  /**
   * Days of the range that have no log object, skipped on purpose (`missingDays: skip`); their
   * prefixes are gone from `logPrefixes`. Always empty for a full run, which lists nothing.
   */
  readonly missingDays: readonly string[];
}

/** The Data API runs at most this many statements in one BatchExecuteStatement. */
export const MAX_BATCH_STATEMENTS = 40;
/**
 * stage_events' batch is the DELETE that empties staging, one COPY per prefix, and the INSERT that
 * keeps the COPYs' rejected rows.
 */
export const MAX_LOG_PREFIXES = MAX_BATCH_STATEMENTS - 2;
export const MAX_RANGE_DAYS = 366;
/** Redshift's upper limit for COPY's MAXERROR. */
export const MAX_ERRORS_LIMIT = 100_000;
// A month with more days in range than this is staged whole: a few extra days cost less than
// dozens of COPYs, and merging them again changes nothing.
const DAYS_BEFORE_WHOLE_MONTH = 15;

const KEYS = ['mode', 'date', 'from', 'to', 'scheduledTime', 'songs', 'maxErrors'];
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/**
 * Validates an execution's input:
 *  - `{}` or `{"mode": "full"}`: every log object and the song catalogue;
 *  - `{"mode": "incremental", "date": "2018-11-12"}`: one day's log objects;
 *  - `{"mode": "incremental", "from": "2018-11-01", "to": "2018-11-07"}`: a backfill, inclusive;
 *  - `{"mode": "incremental", "scheduledTime": "2018-11-13T03:00:00Z"}`: the day before that time,
 *    as the EventBridge schedule sends it;
 *  - `"songs": true` also re-stages the song catalogue in an incremental run;
 *  - `"maxErrors": N` lets each COPY skip up to N bad rows (0 by default: the first fails the run).
 */
export function planRun(input: unknown, runId: string): RunPlan {
  const value = input ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputError(`execution input must be a JSON object, got ${JSON.stringify(input)}`);
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !KEYS.includes(key));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      `execution input has unknown key(s) ${unknown.join(', ')}; allowed: ${KEYS.join(', ')}`,
    );
  }
  if (runId === '') throw new InvalidInputError('run id (the execution name) is empty');
  const maxErrors = record.maxErrors === undefined ? 0 : readMaxErrors(record.maxErrors);
  const mode = record.mode ?? 'full';
  if (mode === 'full') {
    const extra = ['date', 'from', 'to', 'scheduledTime', 'songs'].filter((key) => record[key] !== undefined);
    if (extra.length > 0) {
      throw new InvalidInputError(
        `"${extra.join('", "')}" only apply to "mode": "incremental"; a full run loads everything`,
      );
    }
    return { runId, mode, reloadSongs: true, logPrefixes: ['/'], maxErrors, missingDays: [] };
  }
  if (mode !== 'incremental') {
    throw new InvalidInputError(`"mode" must be "full" or "incremental", got ${JSON.stringify(mode)}`);
  }
  if (record.songs !== undefined && typeof record.songs !== 'boolean') {
    throw new InvalidInputError(`"songs" must be true or false, got ${JSON.stringify(record.songs)}`);
  }
  const [from, to] = incrementalRange(record);
  return {
    runId,
    mode,
    from,
    to,
    reloadSongs: record.songs === true,
    logPrefixes: logPrefixes(from, to),
    maxErrors,
    missingDays: [],
  };
}

function readMaxErrors(value: unknown): number {
  if (!isMaxErrors(value)) {
    throw new InvalidInputError(
      `"maxErrors" must be a whole number from 0 to ${MAX_ERRORS_LIMIT} (Redshift's limit for COPY's MAXERROR), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

const isMaxErrors = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_ERRORS_LIMIT;

function incrementalRange(record: Record<string, unknown>): [string, string] {
  const given = ['date', 'from', 'to', 'scheduledTime'].filter((key) => record[key] !== undefined);
  const shape = given.sort().join('+');
  if (shape === 'date') {
    const day = readDay(record, 'date');
    return [day, day];
  }
  if (shape === 'from+to') {
    const [from, to] = [readDay(record, 'from'), readDay(record, 'to')];
    if (from > to) throw new InvalidInputError(`"from" (${from}) is after "to" (${to})`);
    const days = (Date.parse(to) - Date.parse(from)) / MS_PER_DAY + 1;
    if (days > MAX_RANGE_DAYS) {
      throw new InvalidInputError(
        `a backfill covers at most ${MAX_RANGE_DAYS} days; ${from}..${to} is ${days}: split it`,
      );
    }
    return [from, to];
  }
  if (shape === 'scheduledTime') {
    const time = record.scheduledTime;
    const at = typeof time === 'string' ? Date.parse(time) : NaN;
    if (!/^\d{4}-\d{2}-\d{2}T/.test(String(time)) || Number.isNaN(at)) {
      throw new InvalidInputError(
        `"scheduledTime" must be an ISO 8601 time like 2018-11-13T03:00:00Z, got ${JSON.stringify(time)}`,
      );
    }
    const previousDay = new Date(at - MS_PER_DAY).toISOString().slice(0, 10);
    return [previousDay, previousDay];
  }
  throw new InvalidInputError(
    `an incremental run takes exactly one of "date", "from" with "to", or "scheduledTime"; got ${given.length > 0 ? given.join(', ') : 'none'}`,
  );
}

function readDay(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  const match = typeof value === 'string' ? DAY.exec(value) : null;
  const date = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    : undefined;
  if (!date || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidInputError(
      `"${key}" must be a calendar date like 2018-11-12, got ${JSON.stringify(value)}`,
    );
  }
  return value as string;
}

/**
 * The fewest log-key prefixes that cover every day from `from` to `to` under the layout
 * `YYYY/MM/YYYY-MM-DD-events.json`: whole years and months by their folder, a short partial month
 * day by day, a long one whole.
 */
export function logPrefixes(from: string, to: string): string[] {
  const prefixes: string[] = [];
  let day = Date.parse(from);
  const last = Date.parse(to);
  while (day <= last) {
    const date = new Date(day);
    const [year, month] = [date.getUTCFullYear(), date.getUTCMonth()];
    const yearEnd = Date.UTC(year, 11, 31);
    const monthEnd = Date.UTC(year, month + 1, 0);
    const yyyy = String(year);
    const mm = String(month + 1).padStart(2, '0');
    if (date.getUTCMonth() === 0 && date.getUTCDate() === 1 && yearEnd <= last) {
      prefixes.push(`/${yyyy}/`);
      day = yearEnd + MS_PER_DAY;
    } else if (date.getUTCDate() === 1 && monthEnd <= last) {
      prefixes.push(`/${yyyy}/${mm}/`);
      day = monthEnd + MS_PER_DAY;
    } else {
      const end = Math.min(monthEnd, last);
      const days = (end - day) / MS_PER_DAY + 1;
      if (days > DAYS_BEFORE_WHOLE_MONTH) {
        prefixes.push(`/${yyyy}/${mm}/`);
      } else {
        for (let d = day; d <= end; d += MS_PER_DAY) prefixes.push(dayPrefix(isoDay(d)));
      }
      day = end + MS_PER_DAY;
    }
  }
  if (prefixes.length > MAX_LOG_PREFIXES) {
    throw new InvalidInputError(
      `${from}..${to} needs ${prefixes.length} COPY statements, more than ${MAX_LOG_PREFIXES}: split the backfill`,
    );
  }
  return prefixes;
}

const isoDay = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/** The key prefix, below the log location, of one day's log objects: `/2018/11/2018-11-12-`. */
export function dayPrefix(day: string): string {
  return `/${day.slice(0, 4)}/${day.slice(5, 7)}/${day}-`;
}

/** Every day from `from` to `to`, inclusive. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = Date.parse(from); day <= Date.parse(to); day += MS_PER_DAY) days.push(isoDay(day));
  return days;
}

/** Reads back a plan that the first state produced and later states were handed. */
export function readPlan(value: unknown): RunPlan {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { runId, mode, from, to, reloadSongs, logPrefixes: prefixes, maxErrors, missingDays } = record;
  // No prefix at all is a plan too: every day of the range was missing and skipped.
  const valid =
    typeof runId === 'string' &&
    (mode === 'full' || mode === 'incremental') &&
    typeof reloadSongs === 'boolean' &&
    Array.isArray(prefixes) &&
    prefixes.every((prefix) => typeof prefix === 'string' && /^\/[\w/-]*$/.test(prefix)) &&
    isMaxErrors(maxErrors) &&
    Array.isArray(missingDays) &&
    missingDays.every((day) => typeof day === 'string' && DAY.test(day));
  if (!valid) throw new InvalidInputError(`event.plan is not a run plan: ${JSON.stringify(value)}`);
  return {
    runId,
    mode,
    ...(typeof from === 'string' ? { from } : {}),
    ...(typeof to === 'string' ? { to } : {}),
    reloadSongs,
    logPrefixes: prefixes as string[],
    maxErrors,
    missingDays: missingDays as string[],
  };
}
