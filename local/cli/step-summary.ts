import type { DataLocations } from '../../contract/environment';
import type { RunPlan } from '../../contract/run-plan';
import type { StepName } from '../../contract/steps';
import { SQL_STEPS, stepParameters } from '../../lambda/shared/sql-steps';
import { renderStatements } from '../../lambda/shared/sql-template';
import { formatCount } from './report';

/**
 * What a finished step did, in the words a person running the pipeline wants: rows staged,
 * rejected and merged, checks passed. The Data API gives one row count per statement, in order;
 * each count is named here by the statement it belongs to (its verb and table), rendered from the
 * step's SQL files for the run's plan exactly as the submit handler renders them, so a statement
 * added to a file shifts no number onto the wrong table.
 */

/** One statement's verb and table (`COPY staging_events`, `INSERT users`) and the rows it affected. */
export interface StatementEffect {
  readonly verb: string;
  /** What a CREATE made: table, view, procedure… */
  readonly created?: string;
  readonly table: string;
  readonly rows: number;
}

const VERB_AND_TABLE =
  /^(COPY|INSERT\s+INTO|DELETE\s+FROM|UPDATE|CREATE\s+(?:OR\s+REPLACE\s+)?(TABLE|VIEW|PROCEDURE|FUNCTION)(?:\s+IF\s+NOT\s+EXISTS)?)\s+"?(\w+)/i;

/** The star schema's tables: what publish merges into. */
const STAR_TABLES = ['songplays', 'users', 'songs', 'artists', 'time'];

/** Where a staging COPY keeps the rows it rejected, one table per staging table. */
const REJECTS_TABLE = /^staging_\w+_load_errors$/;

/**
 * The statements of a step as submitted for this plan, each with its row count; undefined when the
 * counts do not line up with the statements (then no number would be trustworthy).
 */
export function statementEffects(
  step: StepName,
  plan: RunPlan,
  locations: DataLocations,
  rowsAffected: readonly number[],
): StatementEffect[] | undefined {
  const statements = renderStatements(SQL_STEPS[step].files(plan), stepParameters(locations, plan));
  if (statements.length !== rowsAffected.length) return undefined;
  return statements.map((sql, index) => {
    const match = VERB_AND_TABLE.exec(sql);
    const verb = match?.[1]?.split(/\s+/)[0]?.toUpperCase() ?? sql.split(/\s/, 1)[0]!.toUpperCase();
    return {
      verb,
      ...(match?.[2] ? { created: match[2].toLowerCase() } : {}),
      table: match?.[3]?.toLowerCase() ?? '',
      rows: rowsAffected[index] ?? 0,
    };
  });
}

function rowsOf(
  effects: readonly StatementEffect[],
  keep: (effect: StatementEffect) => boolean,
): Map<string, number> {
  const totals = new Map<string, number>();
  for (const effect of effects.filter(keep))
    totals.set(effect.table, (totals.get(effect.table) ?? 0) + effect.rows);
  return totals;
}

/** One line for a finished step, e.g. `staged 8,000 rows into staging_events, 3 rejected`. */
export function describeEffects(effects: readonly StatementEffect[], checksPassed?: number): string {
  const parts: string[] = [];
  for (const [table, rows] of rowsOf(effects, (effect) => effect.verb === 'COPY'))
    parts.push(`staged ${formatCount(rows)} rows into ${table}`);
  const rejected = [
    ...rowsOf(effects, (effect) => effect.verb === 'INSERT' && REJECTS_TABLE.test(effect.table)).values(),
  ];
  if (rejected.length > 0) parts.push(`${formatCount(rejected.reduce((a, b) => a + b, 0))} rejected`);
  const merged = rowsOf(effects, (effect) => effect.verb === 'INSERT' && STAR_TABLES.includes(effect.table));
  if (merged.size > 0)
    parts.push(`merged ${[...merged].map(([table, rows]) => `${table} ${formatCount(rows)}`).join(' · ')}`);
  const created = new Map<string, number>();
  for (const { created: kind } of effects)
    if (kind !== undefined) created.set(kind, (created.get(kind) ?? 0) + 1);
  if (created.size > 0)
    parts.push(`${[...created].map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`).join(', ')} in place`);
  if (checksPassed !== undefined) parts.push(`${checksPassed} checks passed`);
  return parts.length > 0 ? parts.join('; ') : `${effects.length} statements`;
}
