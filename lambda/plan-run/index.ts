import { planRun, type RunPlan } from '../../contract/run-plan';
import { asRecord, readString } from '../shared/step-input';

export interface PlanRunEvent {
  /** The execution input as pasted in the console or sent by the schedule. */
  readonly input?: unknown;
  readonly executionName: string;
}

/** First state: turns the execution input into a validated plan, or fails the run saying why. */
export async function handler(event: PlanRunEvent): Promise<RunPlan> {
  const record = asRecord(event, 'event');
  return planRun(record.input, readString(record, 'executionName'));
}
