import { join } from 'node:path';
import { lambdaBundles } from '../../local/execution/lambda-bundles';
import { LambdaFunctionError } from '../../local/execution/lambda-error';
import { LocalLambda, type LocalFunction } from '../../local/execution/lambda-sandbox';
import { executeLocally } from '../../local/execution/local-execution';

const FUNCTION_BUNDLE = join(__dirname, 'fixtures', 'sandbox-function.cjs');
const FUNCTION_ARN = 'arn:aws:lambda:us-west-2:123456789012:function:fixture';

interface Description {
  sandboxId: string;
  loadedAt: number;
  invocations: number;
  env: Record<string, string | null>;
  functionName: string;
  remainingMs: number;
}

const started: LocalLambda[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((lambda) => lambda.close()));
});

async function localLambda(fn: Partial<LocalFunction> = {}): Promise<LocalLambda> {
  const { runtime } = await lambdaBundles();
  const lambda = new LocalLambda(
    {
      key: 'planRun',
      name: 'fixture',
      arn: FUNCTION_ARN,
      environment: { FIXTURE_SETTING: 'a' },
      timeoutSeconds: 5,
      ...fn,
    },
    runtime,
    FUNCTION_BUNDLE,
  );
  started.push(lambda);
  return lambda;
}

const describeSandbox = async (lambda: LocalLambda, ...names: string[]) =>
  (await lambda.invoke({ do: 'describe', names })) as Description;

/** The error an invocation fails with, and the runtime document its message carries. */
async function failure(invocation: Promise<unknown>) {
  const error = await invocation.then(
    () => {
      throw new Error('the invocation succeeded');
    },
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LambdaFunctionError);
  const { name, message } = error as LambdaFunctionError;
  return { name, document: JSON.parse(message) as Record<string, unknown> };
}

describe('a local Lambda sandbox', () => {
  test("sees only its own function's environment, and stays warm between invocations", async () => {
    const [first, second] = [
      await localLambda(),
      await localLambda({ environment: { FIXTURE_SETTING: 'b' } }),
    ];

    const warm = await describeSandbox(first, 'FIXTURE_SETTING', 'AWS_LAMBDA_FUNCTION_NAME', 'PATH');
    await first.invoke({ do: 'setEnv', name: 'FIXTURE_SETTING', value: 'changed' });
    const again = await describeSandbox(first, 'FIXTURE_SETTING');
    const other = await describeSandbox(second, 'FIXTURE_SETTING');

    expect(warm.env).toEqual({ FIXTURE_SETTING: 'a', AWS_LAMBDA_FUNCTION_NAME: 'fixture', PATH: null });
    expect(warm.functionName).toBe('fixture');
    expect(warm.remainingMs).toBeGreaterThan(0);
    expect(warm.remainingMs).toBeLessThanOrEqual(5000);
    expect(again).toMatchObject({
      sandboxId: warm.sandboxId,
      invocations: 3,
      env: { FIXTURE_SETTING: 'changed' },
    });
    expect(other.env).toEqual({ FIXTURE_SETTING: 'b' });
    expect(process.env.FIXTURE_SETTING).toBeUndefined();
  });

  test('runs invocations that overlap in separate sandboxes', async () => {
    const lambda = await localLambda();

    const results = (await Promise.all([
      lambda.invoke({ do: 'sleep', ms: 200 }),
      lambda.invoke({ do: 'sleep', ms: 200 }),
    ])) as { sandboxId: string }[];

    expect(new Set(results.map((result) => result.sandboxId)).size).toBe(2);
  });

  test('stops a function at its timeout with Sandbox.Timedout; the next invocation starts cold', async () => {
    const lambda = await localLambda({ timeoutSeconds: 1 });
    const before = await describeSandbox(lambda);

    const timedOut = await failure(lambda.invoke({ do: 'sleep', ms: 5000 }));
    const after = await describeSandbox(lambda);

    expect(timedOut.name).toBe('Sandbox.Timedout');
    expect(timedOut.document).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(
        /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/,
      ),
    });
    expect(after.sandboxId).not.toBe(before.sandboxId);
    expect(after.invocations).toBe(1);
  });

  test("returns a thrown error as the runtime's error document, and the sandbox stays warm", async () => {
    const lambda = await localLambda();

    const thrown = await failure(lambda.invoke({ do: 'throw', name: 'StatementFailed', message: 'boom' }));
    const value = await failure(lambda.invoke({ do: 'throwValue', value: 'not an Error' }));

    expect(thrown.name).toBe('StatementFailed');
    expect(thrown.document).toEqual({
      errorType: 'StatementFailed',
      errorMessage: 'boom',
      trace: expect.any(Array),
    });
    expect((thrown.document.trace as string[]).slice(0, 2)).toEqual([
      'StatementFailed: boom',
      expect.stringMatching(/^\s+at .*sandbox-function\.cjs/),
    ]);
    expect(value.document).toEqual({ errorType: 'string', errorMessage: 'not an Error', trace: [] });
    expect((await describeSandbox(lambda)).invocations).toBe(3);
  });

  test('reports an exit as Runtime.ExitError and an uncaught error as itself; both end the sandbox', async () => {
    const lambda = await localLambda();

    const exited = await failure(lambda.invoke({ do: 'exit', code: 3 }));
    const uncaught = await failure(lambda.invoke({ do: 'uncaught', name: 'TypeError', message: 'late' }));
    const after = await describeSandbox(lambda);

    expect(exited.document).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringMatching(
        /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/,
      ),
    });
    expect(uncaught).toMatchObject({
      name: 'TypeError',
      document: { errorType: 'TypeError', errorMessage: 'late' },
    });
    expect(after.invocations).toBe(1);
  });
});

describe('a sandbox warmed ahead of its first invocation', () => {
  test('has loaded its bundle before the invocation comes, and serves it', async () => {
    const lambda = await localLambda();
    lambda.warm();
    await new Promise((resolve) => setTimeout(resolve, 500));

    const invoked = Date.now();
    const first = await describeSandbox(lambda);

    expect(first.loadedAt).toBeLessThan(invoked);
    expect(first.invocations).toBe(1);
  });

  test('whose init crashed the runtime answers its first invocation with Runtime.ExitError at once', async () => {
    const lambda = await localLambda({ environment: { FIXTURE_EXIT_AT_INIT: '4' }, timeoutSeconds: 30 });
    lambda.warm();
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const started = Date.now();
    const exited = await failure(lambda.invoke({ do: 'describe', names: [] }));

    expect(exited.document).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringMatching(
        /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 4$/,
      ),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    const after = await failure(lambda.invoke({ do: 'describe', names: [] }));
    expect(after.document.errorType).toBe('Runtime.ExitError');
  });
});

describe('a Task that invokes a sandboxed function', () => {
  const definition = {
    StartAt: 'call',
    States: { call: { Type: 'Task', Resource: FUNCTION_ARN, End: true } },
  };
  const run = async (input: unknown, fn: Partial<LocalFunction> = {}) => {
    const lambda = await localLambda(fn);
    return executeLocally({
      definition,
      handlers: { [FUNCTION_ARN]: (event) => lambda.invoke(event) },
      input,
      executionName: 'sandboxed',
    });
  };

  test("fails with the function's error, the runtime's JSON document as the cause", async () => {
    const outcome = await run({ do: 'throw', name: 'DataQualityCheckFailed', message: '2 checks failed' });

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'DataQualityCheckFailed' });
    if (outcome.status !== 'FAILED') return;
    expect(JSON.parse(outcome.cause)).toMatchObject({
      errorType: 'DataQualityCheckFailed',
      errorMessage: '2 checks failed',
      trace: expect.arrayContaining(['DataQualityCheckFailed: 2 checks failed']),
    });
  });

  test("fails with Sandbox.Timedout at the function's timeout, not the runner's", async () => {
    const outcome = await run({ do: 'sleep', ms: 5000 }, { timeoutSeconds: 1 });

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
    if (outcome.status !== 'FAILED') return;
    expect(JSON.parse(outcome.cause)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(/Error: Task timed out after 1\.00 seconds$/),
    });
  });
});
