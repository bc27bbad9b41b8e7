import type { EtlFunctionKey } from '../../contract/functions';
import type { TaskHandler } from './local-execution';

/**
 * The deployed Lambdas' modules, imported only when asked for: each reads its environment once,
 * at import, as on a cold start, so the environment must be in place first. Keyed like
 * ETL_FUNCTION_ENTRIES, which the CDK bundles (a test keeps the two in step).
 */
// A handler validates its own event, so taking any event is sound here.
export const LAMBDA_HANDLERS: Readonly<Record<EtlFunctionKey, () => Promise<TaskHandler>>> = {
  planRun: async () => (await import('../../lambda/plan-run/index')).handler as TaskHandler,
  submitStatement: async () => (await import('../../lambda/submit-statement/index')).handler as TaskHandler,
  pollStatement: async () => (await import('../../lambda/poll-statement/index')).handler as TaskHandler,
};
