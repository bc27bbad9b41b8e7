import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { InvalidInputError } from '../../contract/errors';
import { parseStartArgs, startExecution, UsageError } from '../../lib/operations/start-execution';

const ARN = 'arn:aws:states:us-west-2:123456789012:stateMachine:PipelineStateMachine1A2B3C';

describe('parseStartArgs', () => {
  test('defaults to a full run that waits', () => {
    expect(parseStartArgs(['--state-machine-arn', ARN])).toEqual({
      stateMachineArn: ARN,
      input: { mode: 'full' },
      wait: true,
    });
  });

  test.each([
    [['--input', '{}'], UsageError, /--state-machine-arn must be a state machine ARN/],
    [
      ['--state-machine-arn', 'arn:aws:lambda:us-west-2:123456789012:function:x'],
      UsageError,
      /state machine ARN/,
    ],
    [['--state-machine-arn', ARN, '--input', '{mode:'], UsageError, /--input must be JSON/],
    [
      ['--state-machine-arn', ARN, '--input', '{"mode":"incremental"}'],
      InvalidInputError,
      /exactly one of "date"/,
    ],
  ])('%p is refused before any AWS call', (argv, type, message) => {
    expect(() => parseStartArgs(argv)).toThrow(type);
    expect(() => parseStartArgs(argv)).toThrow(message);
  });
});

describe('startExecution', () => {
  /** Answers StartExecution, then DescribeExecution with each status in turn. */
  function stepFunctions(statuses: string[]) {
    const sent: unknown[] = [];
    const client = {
      send: async (command: unknown) => {
        sent.push(command);
        if (command instanceof StartExecutionCommand) return { executionArn: `${ARN}:exec` };
        if (command instanceof DescribeExecutionCommand) {
          const status = statuses.shift();
          return { status, ...(status === 'FAILED' ? { error: 'StatementFailed', cause: 'boom' } : {}) };
        }
        throw new Error('unexpected command');
      },
    };
    return { client: client as never, sent };
  }

  test('starts with the JSON input and polls until the execution ends', async () => {
    const { client, sent } = stepFunctions(['RUNNING', 'RUNNING', 'FAILED']);
    const sleeps: number[] = [];
    const result = await startExecution(
      client,
      { stateMachineArn: ARN, input: { mode: 'full' }, name: 'n1', wait: true },
      async (ms) => {
        sleeps.push(ms);
      },
    );
    expect(result).toEqual({
      executionArn: `${ARN}:exec`,
      status: 'FAILED',
      error: 'StatementFailed',
      cause: 'boom',
    });
    expect((sent[0] as StartExecutionCommand).input).toEqual({
      stateMachineArn: ARN,
      input: '{"mode":"full"}',
      name: 'n1',
    });
    expect(sleeps).toHaveLength(2);
  });

  test('--no-wait returns as soon as the execution has started', async () => {
    const { client, sent } = stepFunctions([]);
    await expect(
      startExecution(client, { stateMachineArn: ARN, input: {}, wait: false }),
    ).resolves.toMatchObject({ status: 'RUNNING' });
    expect(sent).toHaveLength(1);
  });
});
