import { NoLogDataError } from './errors';
import { dayPrefix, daysOf, type RunPlan } from './run-plan';

/**
 * What a run does about a day of its range that has no log object: `fail` names the days and stops
 * before anything runs (a live feed that missed a day is a problem to look at), `skip` loads the
 * days there are and records the rest in the audit (a static bucket that ends, as the public one
 * does in November 2018).
 */
export const MISSING_DAYS_POLICIES = ['fail', 'skip'] as const;
export type MissingDaysPolicy = (typeof MISSING_DAYS_POLICIES)[number];

/**
 * The plan once the log location was listed under each of its prefixes. A COPY whose prefix
 * matches no object fails its whole batch, so a skipped day's prefix is dropped, not handed to COPY.
 *
 * @param keys every log key found under the plan's prefixes, below the log location (`/2018/11/…`).
 * @param where the log location, for the error.
 */
export function planForLogObjects(
  plan: RunPlan,
  keys: readonly string[],
  policy: MissingDaysPolicy,
  where: string,
): RunPlan {
  if (plan.mode === 'full' || plan.from === undefined || plan.to === undefined) return plan;
  const present = (prefix: string) => keys.some((key) => key.startsWith(prefix));
  const missingDays = daysOf(plan.from, plan.to).filter((day) => !present(dayPrefix(day)));
  if (missingDays.length === 0) return plan;
  if (policy === 'fail') {
    throw new NoLogDataError(
      `no log object for ${missingDays.length} day(s) of ${plan.from}..${plan.to} under ${where}: ` +
        `${describeDays(missingDays)}. Days without data are expected on a bucket that has ended: ` +
        'deploy with -c missingDays=skip to load the days there are and record the others.',
    );
  }
  return { ...plan, logPrefixes: plan.logPrefixes.filter(present), missingDays };
}

/** Consecutive days as one range: `2018-11-30, 2018-12-02..2018-12-31`. */
export function describeDays(days: readonly string[]): string {
  const runs: [string, string][] = [];
  for (const day of days) {
    const last = runs.at(-1);
    if (last && daysOf(last[1], day).length === 2) last[1] = day;
    else runs.push([day, day]);
  }
  return runs.map(([first, last]) => (first === last ? first : `${first}..${last}`)).join(', ');
}
