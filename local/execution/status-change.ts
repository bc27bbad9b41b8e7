import { randomUUID } from 'node:crypto';
import { STATUS_CHANGE_DETAIL_TYPE, STATUS_CHANGE_SOURCE } from '../../contract/execution-status';
import { matchesEventPattern } from '../cloud/event-rules';
import type { LocalDeployment } from '../cloud/local-deployment';
import { canDeliver } from '../iam/pipeline-checks';
import type { ExecutionOutcome } from './local-execution';

/** An execution as it ended, as Step Functions describes it in its status change event. */
export interface EndedExecution {
  readonly name: string;
  readonly input: unknown;
  /** Epoch milliseconds. */
  readonly startDate: number;
  readonly stopDate: number;
  readonly outcome: ExecutionOutcome;
}

/** One rule target the event went to: what the function returned, or why it got nothing. */
export interface StatusChangeDelivery {
  readonly ruleArn: string;
  readonly targetArn: string;
  readonly result?: unknown;
  readonly error?: { readonly error: string; readonly cause: string };
}

/**
 * The "Step Functions Execution Status Change" event Step Functions sends to EventBridge when an
 * execution ends, with the detail DescribeExecution gives.
 */
export function statusChangeEvent(deployment: LocalDeployment, execution: EndedExecution) {
  const { stateMachine, region, account } = deployment;
  const executionArn = `arn:aws:states:${region}:${account}:execution:${stateMachine.name}:${execution.name}`;
  const { outcome } = execution;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': STATUS_CHANGE_DETAIL_TYPE,
    source: STATUS_CHANGE_SOURCE,
    account,
    time: new Date(execution.stopDate).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [executionArn],
    detail: {
      executionArn,
      stateMachineArn: stateMachine.arn,
      name: execution.name,
      status: outcome.status,
      startDate: execution.startDate,
      stopDate: execution.stopDate,
      input: JSON.stringify(execution.input),
      output: outcome.status === 'SUCCEEDED' ? JSON.stringify(outcome.output) : null,
      error: outcome.status === 'FAILED' ? outcome.error : null,
      cause: outcome.status === 'FAILED' ? outcome.cause : null,
    },
  };
}

/**
 * EventBridge's part: the event goes to every target of every enabled rule whose pattern matches
 * it, each function invoked only if its resource policy lets the rule. On AWS the delivery is
 * asynchronous; here it is awaited, so the execution's consequences are complete when it returns.
 */
export async function deliverStatusChange(
  deployment: LocalDeployment,
  execution: EndedExecution,
  invoke: (functionArn: string, event: unknown) => Promise<unknown>,
): Promise<StatusChangeDelivery[]> {
  const event = statusChangeEvent(deployment, execution);
  const functions = Object.values(deployment.functions);
  const deliveries = deployment.eventRules
    .filter((rule) => rule.enabled && matchesEventPattern(rule.eventPattern, event))
    .flatMap((rule) => rule.targetArns.map((targetArn) => ({ rule, targetArn })));
  return Promise.all(
    deliveries.map(async ({ rule, targetArn }): Promise<StatusChangeDelivery> => {
      const fn = functions.find((candidate) => candidate.arn === targetArn);
      if (!fn)
        throw new Error(`${rule.arn}: its target ${targetArn} is not a function of the local deployment`);
      const base = { ruleArn: rule.arn, targetArn };
      const denial = canDeliver(rule, fn);
      if (denial) return { ...base, error: denial };
      try {
        return { ...base, result: await invoke(targetArn, event) };
      } catch (error) {
        const { name, message } = error as Error;
        return { ...base, error: { error: name, cause: message } };
      }
    }),
  );
}
