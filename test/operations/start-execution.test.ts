import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { InvalidInputError } from '../../contract/errors';
import { ArgumentError, parseArguments } from '../../local/cli/arguments';
import {
  START_COMMAND,
  regionOfArn,
  startExecution,
  startRequest,
  stepFunctionsClientFor,
} from '../../lib/operations/start-execution';

const ARN = 'arn:aws:states:us-west-2:123456789012:stateMachine:PipelineStateMachine1A2B3C';

function parseStartArgs(argv: readonly string[]) {
  const parsed = parseArguments(START_COMMAND, argv);
  if (parsed.help) throw new Error('--help was not asked for');
  return startRequest(parsed.values);
}

describe('start-execution arguments', () => {
  test('defaults to a full run that waits', () => {
    expect(parseStartArgs(['--state-machine-arn', ARN])).toEqual({
      stateMachineArn: ARN,
      input: { mode: 'full' },
      wait: true,
    });
  });

  test.each([
    [['--input', '{}'], ArgumentError, /--state-machine-arn is required/],
    [
      ['--state-machine-arn', 'arn:aws:lambda:us-west-2:123456789012:function:x'],
      ArgumentError,
      /state machine ARN/,
    ],
    [['--state-machine-arn', ARN, '--input', '{mode:'], ArgumentError, /--input must be JSON/],
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

describe('stepFunctionsClientFor', () => {
  const EU_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Pipeline';
  // Every place the SDK looks for a region: the environment and the shared config file's profile.
  const REGION_SETTINGS = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_CONFIG_FILE'];
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries(REGION_SETTINGS.map((name) => [name, process.env[name]]));
    for (const name of REGION_SETTINGS) delete process.env[name];
    process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test('GIVEN no region set WHEN the client is made THEN it uses the region of the state machine ARN', async () => {
    // GIVEN: the SDK on its own fails, as `npm run start-execution` did.
    await expect(new SFNClient({}).config.region()).rejects.toThrow(/Region is missing/);

    // WHEN
    const client = await stepFunctionsClientFor(EU_ARN);

    // THEN
    await expect(client.config.region()).resolves.toBe('eu-west-1');
  });

  test('GIVEN AWS_REGION WHEN the client is made THEN the setting wins over the ARN', async () => {
    process.env.AWS_REGION = 'us-west-2';

    const client = await stepFunctionsClientFor(EU_ARN);

    await expect(client.config.region()).resolves.toBe('us-west-2');
  });

  test('GIVEN a state machine ARN WHEN its region is read THEN it is the fourth field', () => {
    expect(regionOfArn(ARN)).toBe('us-west-2');
  });
});
