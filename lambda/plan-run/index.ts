import { S3Client } from '@aws-sdk/client-s3';
import { readLogListing } from '../../contract/environment';
import { planForLogObjects } from '../../contract/missing-days';
import { planRun, type RunPlan } from '../../contract/run-plan';
import { LogObjects } from '../shared/log-objects';
import { asRecord, readString } from '../shared/step-input';

const listing = readLogListing();
const logs = new LogObjects(listing.logDataUri, new S3Client({ region: listing.dataRegion }));

export interface PlanRunEvent {
  /** The execution input as pasted in the console or sent by the schedule. */
  readonly input?: unknown;
  readonly executionName: string;
}

/**
 * First state: turns the execution input into a validated plan, or fails the run saying why. An
 * incremental run's days are looked up in the log location first: a COPY of a prefix that matches
 * no object fails, so a missing day either fails the run here (NoLogData) or is left out.
 */
export async function handler(event: PlanRunEvent): Promise<RunPlan> {
  const record = asRecord(event, 'event');
  const plan = planRun(record.input, readString(record, 'executionName'));
  if (plan.mode === 'full') return plan;
  return planForLogObjects(plan, await logs.keysUnder(plan.logPrefixes), listing.missingDays, String(logs));
}
