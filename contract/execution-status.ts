/**
 * The event Step Functions sends EventBridge when an execution's status changes, as the stop
 * rule matches it, the cleanup reads it and the local runner raises it.
 */
export const STATUS_CHANGE_SOURCE = 'aws.states';
export const STATUS_CHANGE_DETAIL_TYPE = 'Step Functions Execution Status Change';

/**
 * The execution statuses the stop cleanup runs for. ABORTED and TIMED_OUT end an execution without
 * letting it run record_failure. FAILED normally has run it, but not when record_failure itself
 * failed or the failure came from a Parallel branch whose sibling's statement is still running:
 * Step Functions stops the sibling's Task, not its SQL.
 */
export const STOP_STATUSES = ['ABORTED', 'TIMED_OUT', 'FAILED'] as const;
export type StopStatus = (typeof STOP_STATUSES)[number];
