// Starting the deployed pipeline from a shell, the check a user with an AWS account can run after
// `cdk deploy`: the same input rules as the console, and a wait for the execution's end.
import {
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { parseArgs } from 'node:util';
import { planRun } from '../../contract/run-plan';

export const USAGE = `usage: npm run start-execution -- --state-machine-arn ARN [--input JSON] [--name NAME] [--no-wait]

Starts an execution of the deployed pipeline (the StateMachineArn stack output) and waits for its
end, printing its status; exits non-zero unless it SUCCEEDED. The input is checked first with the
same rules as the pipeline's first state. Credentials and region come from the usual AWS settings;
without a region set, the state machine's own (from its ARN) is used.`;

const POLL_MS = 10_000;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface StartRequest {
  readonly stateMachineArn: string;
  readonly input: unknown;
  readonly name?: string;
  readonly wait: boolean;
}

/** Reads and checks the arguments, the input with the pipeline's own rules, before any AWS call. */
export function parseStartArgs(argv: readonly string[]): StartRequest {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'state-machine-arn': { type: 'string' },
      input: { type: 'string', default: '{"mode": "full"}' },
      name: { type: 'string' },
      'no-wait': { type: 'boolean', default: false },
    },
  });
  const arn = values['state-machine-arn'];
  if (!arn || !/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[\w-]+$/.test(arn)) {
    throw new UsageError(`--state-machine-arn must be a state machine ARN, got ${JSON.stringify(arn)}`);
  }
  let input: unknown;
  try {
    input = JSON.parse(values.input);
  } catch (error) {
    throw new UsageError(`--input must be JSON: ${(error as Error).message}`, { cause: error });
  }
  planRun(input, values.name ?? 'check');
  return {
    stateMachineArn: arn,
    input,
    ...(values.name ? { name: values.name } : {}),
    wait: !values['no-wait'],
  };
}

/** The region a state machine ARN names: `arn:aws:states:<region>:<account>:stateMachine:<name>`. */
export function regionOfArn(stateMachineArn: string): string {
  const region = stateMachineArn.split(':')[3];
  if (!region) throw new UsageError(`not a state machine ARN: ${JSON.stringify(stateMachineArn)}`);
  return region;
}

/**
 * A Step Functions client in the region the AWS settings name or, when they name none, in the
 * state machine's own, the only region where it can be started: so that a shell without
 * AWS_REGION or a profile region runs it instead of failing with "Region is missing".
 */
export async function stepFunctionsClientFor(stateMachineArn: string): Promise<SFNClient> {
  const configured = new SFNClient({});
  try {
    await configured.config.region();
    return configured;
  } catch {
    configured.destroy();
    return new SFNClient({ region: regionOfArn(stateMachineArn) });
  }
}

/** Starts the execution and, if asked, polls until it is no longer RUNNING. */
export async function startExecution(
  client: Pick<SFNClient, 'send'>,
  request: StartRequest,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<Pick<DescribeExecutionCommandOutput, 'status' | 'error' | 'cause'> & { executionArn: string }> {
  const { executionArn } = await client.send(
    new StartExecutionCommand({
      stateMachineArn: request.stateMachineArn,
      input: JSON.stringify(request.input),
      ...(request.name ? { name: request.name } : {}),
    }),
  );
  if (!executionArn) throw new Error('StartExecution returned no execution ARN');
  if (!request.wait) return { executionArn, status: 'RUNNING' };
  for (;;) {
    const { status, error, cause } = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING' && status !== 'PENDING_REDRIVE') return { executionArn, status, error, cause };
    await sleep(POLL_MS);
  }
}
