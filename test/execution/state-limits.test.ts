import { executeLocally, type TaskHandler } from '../../local/execution/local-execution';
import { MAX_PAYLOAD_BYTES, readReferencePath } from '../../local/execution/state-limits';

const FUNCTION_ARN = 'arn:aws:lambda:us-west-2:123456789012:function:produce';

function run(definition: Record<string, unknown>, input: unknown, handler: TaskHandler = async () => ({})) {
  return executeLocally({
    definition,
    handlers: { [FUNCTION_ARN]: handler },
    input,
    executionName: 'limits',
  });
}

/** A JSON string value of exactly `bytes` bytes once serialized (its quotes included). */
const jsonStringOf = (bytes: number) => 'x'.repeat(bytes - 2);

describe('the 256 KB quota on state data', () => {
  const task = {
    StartAt: 'produce',
    States: { produce: { Type: 'Task', Resource: FUNCTION_ARN, End: true } },
  };

  test('a Task result of exactly 262,144 bytes passes; one byte more fails with States.DataLimitExceeded', async () => {
    const atLimit = await run(task, {}, async () => jsonStringOf(MAX_PAYLOAD_BYTES));
    const overLimit = await run(task, {}, async () => jsonStringOf(MAX_PAYLOAD_BYTES + 1));

    expect(atLimit.status).toBe('SUCCEEDED');
    expect(overLimit).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: `The state/task '${FUNCTION_ARN}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    });
  });

  test('the quota counts UTF-8 bytes, not characters', async () => {
    // 'é' is two bytes: half as many characters reach the same size.
    const outcome = await run(task, {}, async () => 'é'.repeat(MAX_PAYLOAD_BYTES / 2));

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });

  test('Catch (States.ALL) handles an oversized result as any task failure', async () => {
    const caught = {
      StartAt: 'produce',
      States: {
        produce: {
          Type: 'Task',
          Resource: FUNCTION_ARN,
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'handled' }],
          End: true,
        },
        handled: { Type: 'Pass', End: true },
      },
    };

    const outcome = await run(caught, {}, async () => jsonStringOf(MAX_PAYLOAD_BYTES + 1));

    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { Error: 'States.DataLimitExceeded' } });
  });

  test('an execution input over the quota is refused before any state runs', async () => {
    let invoked = false;
    const pass = { StartAt: 'produce', States: { produce: { Type: 'Pass', End: true } } };

    await expect(run(pass, jsonStringOf(MAX_PAYLOAD_BYTES))).resolves.toMatchObject({ status: 'SUCCEEDED' });
    await expect(
      run(task, { blob: jsonStringOf(MAX_PAYLOAD_BYTES) }, async () => {
        invoked = true;
        return {};
      }),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 262144'),
    });
    expect(invoked).toBe(false);
  });
});

describe("a Wait state's SecondsPath", () => {
  // Inside a Parallel whose Catch takes everything: States.Runtime must still end the execution.
  const waitOn = {
    StartAt: 'branches',
    States: {
      branches: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'pause',
            States: { pause: { Type: 'Wait', SecondsPath: '$.poll.waitSeconds', End: true } },
          },
        ],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'caught' }],
        End: true,
      },
      caught: { Type: 'Pass', End: true },
    },
  };
  const waitFor = (waitSeconds: unknown) =>
    executeLocally({
      definition: waitOn,
      handlers: {},
      input: { poll: { waitSeconds } },
      executionName: 'wait',
      waitMs: 0,
    });
  const runtimeError = (detail: string) => ({
    status: 'FAILED',
    error: 'States.Runtime',
    cause: `An error occurred while executing the state 'pause'. ${detail}`,
  });

  test('an integer of at least 0 waits (shortened locally) and passes its input on', async () => {
    const outcome = await waitFor(3);

    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: [{ poll: { waitSeconds: 3 } }] });
    expect(outcome.states.find((state) => state.name === 'pause')).toMatchObject({
      type: 'Wait',
      outcome: 'succeeded',
    });
  });

  test('it lasts waitMs per second asked for, and a long wait no longer than five seconds would', async () => {
    const waitMs = 40;
    // The whole execution's time, which holds the wait whole: the state's own duration starts when
    // its entry is reported, which on a busy machine may come after the sleep began.
    const pause = async (waitSeconds: number) => {
      const started = performance.now();
      const outcome = await executeLocally({
        definition: waitOn,
        handlers: {},
        input: { poll: { waitSeconds } },
        executionName: 'wait',
        waitMs,
      });
      expect(outcome.status).toBe('SUCCEEDED');
      return performance.now() - started;
    };

    expect(await pause(2)).toBeGreaterThanOrEqual(2 * waitMs - 1);
    const long = await pause(3600);
    expect(long).toBeGreaterThanOrEqual(5 * waitMs - 1);
    expect(long).toBeLessThan(3600 * waitMs);
  });

  test('it ends as soon as what it waits for has happened, and sleeps on when nothing is awaited', async () => {
    // Long enough that a busy machine's scheduling (the woken run may finish hundreds of ms late)
    // never reads as sleeping the wait out.
    const waitMs = 1000;
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const asked: unknown[] = [];
    const run = (awaited: Promise<void> | undefined) =>
      executeLocally({
        definition: waitOn,
        handlers: {},
        input: { poll: { waitSeconds: 1 } },
        executionName: 'wait',
        waitMs,
        wakeWait: (secondsPath, input) => {
          asked.push([secondsPath, input]);
          return awaited;
        },
      });

    const started = performance.now();
    const waiting = run(woken);
    setTimeout(wake, 50);
    await expect(waiting).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expect(performance.now() - started).toBeLessThan(waitMs / 2);
    expect(asked).toEqual([['$.poll.waitSeconds', { poll: { waitSeconds: 1 } }]]);

    const sleptFrom = performance.now();
    await expect(run(undefined)).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expect(performance.now() - sleptFrom).toBeGreaterThanOrEqual(waitMs - 1);
  });

  test.each([
    [1.5, 'The SecondsPath parameter cannot be parsed as a long value: $.poll.waitSeconds == 1.5'],
    ['3', 'The SecondsPath parameter cannot be parsed as a long value: $.poll.waitSeconds == "3"'],
    [-1, 'The SecondsPath parameter references a negative value: $.poll.waitSeconds == -1'],
  ])('%j fails the execution with States.Runtime, past any Catch', async (value, detail) => {
    const outcome = await waitFor(value);

    expect(outcome).toMatchObject(runtimeError(detail));
    expect(outcome.states.map((state) => state.name)).not.toContain('caught');
  });

  test('a path that selects nothing fails the execution with States.Runtime', async () => {
    const outcome = await executeLocally({
      definition: waitOn,
      handlers: {},
      input: {},
      executionName: 'wait',
    });

    expect(outcome).toMatchObject(
      runtimeError('The SecondsPath parameter does not reference an input value: $.poll.waitSeconds'),
    );
  });
});

test('a reference path selects by name, quoted name and index', () => {
  const input = { a: { 'b c': [{ d: 0 }] } };

  expect(readReferencePath("$.a['b c'][0].d", input)).toEqual({ found: true, value: 0 });
  expect(readReferencePath('$', input)).toEqual({ found: true, value: input });
  expect(readReferencePath('$.a.missing', input)).toEqual({ found: false });
});

test('a Task without TimeoutSeconds waits for its function as long as it runs, not 60 s', async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  try {
    const definition = {
      StartAt: 'slow',
      States: { slow: { Type: 'Task', Resource: FUNCTION_ARN, End: true } },
    };
    const outcome = run(
      definition,
      {},
      () => new Promise((resolve) => setTimeout(() => resolve('done'), 120_000)),
    );

    await jest.advanceTimersByTimeAsync(120_000);

    await expect(outcome).resolves.toMatchObject({ status: 'SUCCEEDED', output: 'done' });
  } finally {
    jest.useRealTimers();
  }
});
