import { readWarehouseEnvironment } from '../../contract/environment';
import { WarehouseClient } from '../shared/redshift-data';
import { cleanUpStoppedRun, readExecutionStop, type CleanupResult } from '../shared/stop-cleanup';

const warehouse = new WarehouseClient(readWarehouseEnvironment());

/** The part of Lambda's context the cleanup reads. */
export interface CleanupContext {
  getRemainingTimeInMillis(): number;
}

/**
 * EventBridge's "Step Functions Execution Status Change" for a stopped, timed-out or failed
 * execution: cancels the run's unfinished statements and marks its audit row if it still reads
 * RUNNING.
 */
export async function handler(event: unknown, context: CleanupContext): Promise<CleanupResult> {
  return cleanUpStoppedRun(readExecutionStop(event), warehouse, {
    remainingMs: () => context.getRemainingTimeInMillis(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
}
