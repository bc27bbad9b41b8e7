// Starting the deployed pipeline from a shell, the check a user with an AWS account can run after
// `cdk deploy`: the same input rules as the console, and a wait for the execution's end.
import {
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { planRun } from '../../contract/run-plan';
import { ArgumentError, type ArgumentValues } from '../../local/cli/arguments';

export const START_COMMAND = {
  command: 'npm run start-execution --',
  summary: `Starts an execution of the deployed pipeline (the StateMachineArn stack output) and waits for its
end, printing its status; exits non-zero unless it SUCCEEDED. The input is checked first with the
same rules as the pipeline's first state. Credentials and region come from the usual AWS settings;
without a region set, the state machine's own (from its ARN) is used.`,
  options: {
    'state-machine-arn': {
      type: 'string',
      value: 'ARN',
      required: true,
      description: 'the state machine to start: the stack output StateMachineArn',
    },
    input: {
      type: 'string',
      value: 'JSON',
      default: '{"mode": "full"}',
      description: 'the execution input, as pasted in the Step Functions console',
    },
    name: {
      type: 'string',
      value: 'NAME',
      description: 'the execution name, unique per state machine; default: one Step Functions picks',
    },
    'no-wait': { type: 'boolean', description: 'print the execution ARN and return without waiting' },
  },
} as const;

const POLL_MS = 10_000;

export interface StartRequest {
  readonly stateMachineArn: string;
  readonly input: unknown;
  readonly name?: string;
  readonly wait: boolean;
}

/** Checks the arguments, the input with the pipeline's own rules, before any AWS call. */
export function startRequest(values: ArgumentValues<typeof START_COMMAND.options>): StartRequest {
  const arn = values['state-machine-arn'];
  if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[\w-]+$/.test(arn)) {
    throw new ArgumentError(`--state-machine-arn must be a state machine ARN, got ${JSON.stringify(arn)}`);
  }
  let input: unknown;
  try {
    input = JSON.parse(values.input);
  } catch (error) {
    throw new ArgumentError(`--input must be JSON: ${(error as Error).message}`, { cause: error });
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
  if (!region) throw new ArgumentError(`not a state machine ARN: ${JSON.stringify(stateMachineArn)}`);
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
