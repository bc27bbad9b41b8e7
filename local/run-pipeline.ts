import { performance } from 'node:perf_hooks';
import type { DataLocations } from '../lambda/shared/environment';
import type { RunPlan } from '../lambda/shared/run-plan';
import {
  PIPELINE_STEPS,
  SQL_STEPS,
  stepParameters,
  type SqlStep,
  type StepName,
} from '../lambda/shared/sql-steps';
import { renderStatements } from '../lambda/shared/sql-template';
import { enforceChecks, type CheckResult } from '../lambda/shared/statement-status';
import type { LocalWarehouse } from './local-warehouse';

export interface StepReport {
  readonly step: StepName;
  readonly durationMs: number;
  readonly statements: number;
  readonly rowsAffected: readonly number[];
  /** Rows the step's COPYs loaded, and rejected. */
  readonly rowsLoaded: number;
  readonly rowsRejected: number;
  readonly checks?: readonly CheckResult[];
}

/** Names the step a run failed in; the cause is the statement's own error. */
export class StepFailedError extends Error {
  override readonly name = 'StepFailedError';
  constructor(
    readonly step: StepName,
    override readonly cause: Error,
  ) {
    super(`${step}: ${cause.message}`);
  }
}

/** Runs every SQL step in pipeline order, each as one transaction, and enforces the gates. */
export async function runPipeline(
  warehouse: LocalWarehouse,
  locations: DataLocations,
  plan: RunPlan,
  onStep: (report: StepReport) => void = () => undefined,
): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  for (const step of PIPELINE_STEPS) {
    const sqlStep: SqlStep = SQL_STEPS[step];
    const statements = renderStatements(sqlStep.files(plan), stepParameters(locations, plan));
    const started = performance.now();
    let outcomes;
    let checks;
    try {
      outcomes = await warehouse.run(statements);
      checks = sqlStep.gate
        ? enforceChecks(
            step,
            (outcomes.at(-1)?.result?.rows ?? []).map((row) => ({
              check: String(row.check_name),
              failingRows: Number(row.failing_rows),
            })),
          )
        : undefined;
    } catch (error) {
      throw new StepFailedError(step, error as Error);
    }
    const report: StepReport = {
      step,
      durationMs: performance.now() - started,
      statements: statements.length,
      rowsAffected: outcomes.map((outcome) => outcome.rowsAffected),
      rowsLoaded: outcomes.reduce((sum, outcome) => sum + (outcome.copy?.rowsLoaded ?? 0), 0),
      rowsRejected: outcomes.reduce((sum, outcome) => sum + (outcome.copy?.rowsRejected ?? 0), 0),
      ...(checks ? { checks } : {}),
    };
    reports.push(report);
    onStep(report);
  }
  return reports;
}

export const REPORTED_TABLES = [
  'staging_events',
  'staging_songs',
  'songplays',
  'users',
  'songs',
  'artists',
  'time',
] as const;

export async function countRows(warehouse: LocalWarehouse): Promise<Record<string, number>> {
  const sql = REPORTED_TABLES.map((table) => `SELECT '${table}' AS name, COUNT(*) AS n FROM ${table}`).join(
    ' UNION ALL ',
  );
  const [outcome] = await warehouse.run([sql]);
  return Object.fromEntries((outcome?.result?.rows ?? []).map((row) => [String(row.name), Number(row.n)]));
}
