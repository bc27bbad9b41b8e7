import { readDataLocations, readWarehouseEnvironment } from '../../contract/environment';
import { statementToken, WarehouseClient } from '../shared/redshift-data';
import { readPlan } from '../../contract/run-plan';
import { SQL_STEPS, stepParameters, type SqlStep, type StepFailure } from '../shared/sql-steps';
import { renderStatements } from '../shared/sql-template';
import { asRecord, readStep } from '../shared/step-input';

const warehouse = new WarehouseClient(readWarehouseEnvironment());
const locations = readDataLocations();

export interface SubmitStatementEvent {
  readonly step: string;
  readonly plan: unknown;
  /** For record_failure: the error the state machine caught. */
  readonly failure?: StepFailure;
}

export type SubmitStatementResult =
  | { readonly statementId: string; readonly statementCount: number }
  /** The plan leaves this step nothing to do (songs are not reloaded in this run). */
  | { readonly statementCount: 0 };

/** Submits a step's statements (one transaction) and returns at once: the state machine polls. */
export async function handler(event: SubmitStatementEvent): Promise<SubmitStatementResult> {
  const record = asRecord(event, 'event');
  const step = readStep(record);
  const plan = readPlan(record.plan);
  const failure =
    record.failure === undefined ? undefined : (asRecord(record.failure, 'event.failure') as StepFailure);
  const sqlStep: SqlStep = SQL_STEPS[step];
  const statements = renderStatements(sqlStep.files(plan), stepParameters(locations, plan, failure));
  if (statements.length === 0) return { statementCount: 0 };
  const statementId = await warehouse.submit(
    statements,
    `sparkify-${plan.runId}-${step}`,
    sqlStep.resubmitted ? undefined : statementToken(plan.runId, step),
  );
  return { statementId, statementCount: statements.length };
}
