import { readDataLocations, readWarehouseEnvironment } from '../shared/environment';
import { WarehouseClient } from '../shared/redshift-data';
import { readPlan } from '../shared/run-plan';
import { SQL_STEPS, type SqlStep } from '../shared/sql-steps';
import { renderStatements } from '../shared/sql-template';
import { asRecord, readStep } from '../shared/step-input';

const warehouse = new WarehouseClient(readWarehouseEnvironment());
const locations = readDataLocations();

export interface SubmitStatementEvent {
  readonly step: string;
  readonly plan: unknown;
}

export interface SubmitStatementResult {
  readonly statementId: string;
  readonly statementCount: number;
}

/** Submits a step's statements (one transaction) and returns at once: the state machine polls. */
export async function handler(event: SubmitStatementEvent): Promise<SubmitStatementResult> {
  const record = asRecord(event, 'event');
  const step = readStep(record);
  const plan = readPlan(record.plan);
  const sqlStep: SqlStep = SQL_STEPS[step];
  const statements = renderStatements(sqlStep.files(plan), locations);
  const statementId = await warehouse.submit(statements, `sparkify-${plan.runId}-${step}`);
  return { statementId, statementCount: statements.length };
}
