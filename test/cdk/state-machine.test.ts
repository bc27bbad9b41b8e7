import aslValidator from 'asl-validator';
import { PIPELINE_STEPS, STEP_NAMES, statementAwaited } from '../../contract/steps';
import { buildApp } from '../../lib/app';
import { DATA_API_THROTTLING_ERRORS, LAMBDA_SERVICE_ERRORS } from '../../lib/constructs/sql-step';
import {
  CATALOGUE_LOAD_STATE,
  FAIL_STATE,
  PLAN_STATE,
  SUCCEED_STATE,
} from '../../lib/constructs/etl-state-machine';
import { placeholderFunctionArn, renderDefinition } from '../../lib/definition';
import { TASK_FUNCTION_KEYS, type TaskFunctionKey } from '../../contract/functions';
import { executeLocally, type TaskHandler } from '../../local/execution/local-execution';
import { EXECUTION_TIMEOUT } from '../../lib/sparkify-dwh-stack';
import { KINDS } from './support/app';

type State = Record<string, unknown> & { Type: string; Next?: string };
type Definition = { StartAt: string; States: Record<string, State>; TimeoutSeconds?: number };

// Rendering needs no synthesis and no bundling: the definition is resolved from the construct tree.
const definitions = new Map(
  KINDS.map((warehouse) => {
    return [
      warehouse,
      renderDefinition(buildApp({ context: { warehouse }, bundle: false }).stack) as Definition,
    ];
  }),
);
const definition = definitions.get('serverless')!;

/** The states the happy path visits, a Parallel as the list of its branches' paths. */
function happyPath(states: Record<string, State>, start: string): (string | string[][])[] {
  const path: (string | string[][])[] = [];
  for (let name: string | undefined = start; name !== undefined;) {
    const state: State = states[name]!;
    if (state.Type === 'Parallel') {
      const branches = state.Branches as Definition[];
      path.push(branches.map((branch) => happyPath(branch.States, branch.StartAt) as string[]));
    } else {
      path.push(name);
    }
    if (state.Type === 'Choice') {
      // A step's happy way out of its loop is its finished rule, which leads to `<step>: done`;
      // the run lock's, once claimed, to the catalogue check, whose usual answer is its default:
      // the catalogue has songs.
      const choices = state.Choices as { Next: string }[];
      name =
        choices.map((choice) => choice.Next).find((next) => /: (done|song catalogue empty\?)$/.test(next)) ??
        (state.Default as string | undefined);
    } else {
      name = state.Next;
    }
  }
  return path;
}

const stepPath = (step: string) => [`${step}: submit`, `${step}: finished?`, `${step}: done`];
const allStates = (states: Record<string, State>): [string, State][] =>
  Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...((state.Branches as Definition[] | undefined) ?? []).flatMap((branch) => allStates(branch.States)),
  ]);

describe('GIVEN the synthesized state machine definition', () => {
  test.each(KINDS)('WHEN validated (%s) THEN it is valid Amazon States Language', (warehouse) => {
    // structuredClone: the validator writes defaults into what it is given.
    const result = aslValidator(structuredClone(definitions.get(warehouse)));

    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  test('THEN the flow runs every step of the contract once, but record_failure, which only its catch runs', () => {
    expect([...PIPELINE_STEPS].sort()).toEqual(STEP_NAMES.filter((step) => step !== 'record_failure').sort());
    expect(new Set(PIPELINE_STEPS).size).toBe(PIPELINE_STEPS.length);
  });

  test('WHEN walked THEN it plans, creates tables, claims the run lock, stages both in parallel, publishes, succeeds', () => {
    expect(happyPath(definition.States, definition.StartAt)).toEqual([
      PLAN_STATE,
      ...stepPath('create_tables'),
      ...stepPath('claim_run'),
      'claim_run: claimed?',
      'claim_run: song catalogue empty?',
      'claim_run: lock held',
      [stepPath('stage_events'), stepPath('stage_songs')],
      ...stepPath('publish'),
      SUCCEED_STATE,
    ]);
  });

  test('THEN a run that finds the lock taken waits as long as the poll says, and claims again', () => {
    const states = definition.States;
    expect(states['claim_run: claimed?']).toMatchObject({
      Choices: [
        {
          Variable: '$.steps.claim_run.poll.claimed',
          BooleanEquals: true,
          Next: 'claim_run: song catalogue empty?',
        },
      ],
      Default: 'claim_run: wait for the run lock',
    });
    expect(states['claim_run: wait for the run lock']).toEqual({
      Type: 'Wait',
      SecondsPath: '$.steps.claim_run.poll.waitSeconds',
      Next: 'claim_run: submit',
    });
  });

  test('THEN a run that claims the lock and finds the song catalogue empty plans to load it', () => {
    const states = definition.States;
    expect(states['claim_run: song catalogue empty?']).toMatchObject({
      Choices: [
        {
          Variable: '$.steps.claim_run.poll.catalogueEmpty',
          BooleanEquals: true,
          Next: CATALOGUE_LOAD_STATE,
        },
      ],
      Default: 'claim_run: lock held',
    });
    expect(states['claim_run: song catalogue is empty, loading it']).toEqual({
      Type: 'Pass',
      Result: true,
      ResultPath: '$.plan.reloadSongs',
      Next: 'claim_run: lock held',
    });
  });

  test('THEN an execution is bounded', () => {
    expect(definition.TimeoutSeconds).toBe(EXECUTION_TIMEOUT.toSeconds());
  });

  test('THEN planning stores the plan at $.plan from the execution input and name', () => {
    expect(definition.States[PLAN_STATE]).toMatchObject({
      Type: 'Task',
      Resource: placeholderFunctionArn('planRun'),
      Parameters: { 'input.$': '$$.Execution.Input', 'executionName.$': '$$.Execution.Name' },
      ResultSelector: { 'plan.$': '$', steps: {} },
    });
    expect(definition.States[PLAN_STATE]).not.toHaveProperty('ResultPath');
    expect(definition.States[PLAN_STATE]).not.toHaveProperty('Catch');
  });

  test.each([...PIPELINE_STEPS, 'record_failure'])(
    'THEN step %s submits, then waits and polls until finished, under $.steps.<step>',
    (step) => {
      const states = Object.fromEntries(allStates(definition.States));
      const at = `$.steps.${step}`;

      expect(states[`${step}: submit`]).toMatchObject({
        Type: 'Task',
        Resource: placeholderFunctionArn('submitStatement'),
        Parameters: { step, 'plan.$': '$.plan' },
        ResultSelector: { 'submit.$': '$', poll: { finished: false, polls: 0, waitSeconds: 1 } },
        ResultPath: at,
        Next: `${step}: finished?`,
      });
      expect(states[`${step}: finished?`]).toEqual({
        Type: 'Choice',
        Choices: [
          { Variable: `${at}.submit.statementCount`, NumericEquals: 0, Next: `${step}: done` },
          { Variable: `${at}.poll.finished`, BooleanEquals: true, Next: `${step}: done` },
        ],
        Default: `${step}: wait`,
      });
      expect(states[`${step}: wait`]).toEqual({
        Type: 'Wait',
        SecondsPath: `${at}.poll.waitSeconds`,
        Next: `${step}: poll`,
      });
      expect(states[`${step}: poll`]).toMatchObject({
        Type: 'Task',
        Resource: placeholderFunctionArn('pollStatement'),
        Parameters: { step, 'statementId.$': `${at}.submit.statementId`, 'polls.$': `${at}.poll.polls` },
        ResultPath: `${at}.poll`,
        Next: `${step}: finished?`,
      });
      // The local runner ends this Wait when the statement its poll reads has ended.
      const secondsPath = String(states[`${step}: wait`]!.SecondsPath);
      const input = { steps: { [step]: { submit: { statementId: 'the-statement' } } } };
      expect(statementAwaited(secondsPath, input)).toBe('the-statement');
      expect(statementAwaited(secondsPath, { steps: {} })).toBeUndefined();
    },
  );

  test('THEN each task retries only Lambda service errors and Data API throttling, with capped backoff', () => {
    const tasks = allStates(definition.States).filter(([, state]) => state.Type === 'Task');

    expect(tasks).toHaveLength(1 + 2 * (PIPELINE_STEPS.length + 1));
    for (const [name, task] of tasks) {
      const retries = task.Retry as { ErrorEquals: string[]; MaxDelaySeconds: number; BackoffRate: number }[];
      const expected =
        name === PLAN_STATE ? [LAMBDA_SERVICE_ERRORS] : [LAMBDA_SERVICE_ERRORS, DATA_API_THROTTLING_ERRORS];
      expect(retries.map((retry) => retry.ErrorEquals)).toEqual(expected);
      for (const retry of retries) {
        expect(retry).toMatchObject({
          BackoffRate: 2,
          JitterStrategy: 'FULL',
          MaxDelaySeconds: expect.any(Number),
        });
      }
    }
  });

  test('THEN an error after planning is recorded by record_failure and fails the run with its own error and cause', () => {
    const states = Object.fromEntries(allStates(definition.States));
    const toRecord = [
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'record_failure: submit' },
    ];
    const toFail = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.recordFailureError', Next: FAIL_STATE }];

    for (const step of ['create_tables', 'claim_run', 'publish']) {
      expect(states[`${step}: submit`]!.Catch).toEqual(toRecord);
      expect(states[`${step}: poll`]!.Catch).toEqual(toRecord);
    }
    expect(definition.States['stage_events + stage_songs']!.Catch).toEqual(toRecord);
    expect(states['record_failure: submit']).toMatchObject({
      Parameters: { step: 'record_failure', 'plan.$': '$.plan', 'failure.$': '$.failure' },
      Catch: toFail,
    });
    expect(states['record_failure: poll']!.Catch).toEqual(toFail);
    expect(states['record_failure: done']!.Next).toBe(FAIL_STATE);
    expect(definition.States[FAIL_STATE]).toEqual({
      Type: 'Fail',
      ErrorPath: '$.failure.Error',
      CausePath: '$.failure.Cause',
    });
  });
});

describe('GIVEN the definition run locally with stand-in handlers', () => {
  /** A Lambda error as the handlers raise them: the `name` is what Retry and Catch match. */
  const named = (name: string, message: string) => Object.assign(new Error(message), { name });

  type Event = Record<string, unknown>;

  /** A poll that finds the statement finished; the run-lock step answers as claimed, with songs. */
  const finishedPoll = (event: Event, lock = { claimed: true, catalogueEmpty: false }) => ({
    finished: true,
    status: 'FINISHED',
    statementId: event.statementId,
    polls: 1,
    waitSeconds: 1,
    ...(event.step === 'claim_run' ? lock : {}),
  });

  /** Runs the definition as `npm run local` does, with stand-ins for the handlers; records each call. */
  function run(handlers: Partial<Record<TaskFunctionKey, (event: Event) => unknown>>, input: unknown) {
    const calls: { key: TaskFunctionKey; event: Event }[] = [];
    const defaults: Record<TaskFunctionKey, (event: Event) => unknown> = {
      planRun: (event) => ({
        runId: event.executionName,
        mode: 'full',
        reloadSongs: true,
        logPrefixes: [''],
      }),
      submitStatement: (event) => ({ statementId: `id-${event.step}`, statementCount: 2 }),
      pollStatement: (event) => {
        const polls = (event.polls as number) + 1;
        return {
          finished: polls >= 2,
          status: polls >= 2 ? 'FINISHED' : 'STARTED',
          statementId: event.statementId,
          polls,
          waitSeconds: 2,
          ...(event.step === 'claim_run' ? { claimed: true, catalogueEmpty: false } : {}),
        };
      },
    };
    const standIns = Object.fromEntries(
      TASK_FUNCTION_KEYS.map((key): [string, TaskHandler] => [
        placeholderFunctionArn(key),
        async (event) => {
          calls.push({ key, event: event as Event });
          return (handlers[key] ?? defaults[key])(event as Event);
        },
      ]),
    );
    const outcome = executeLocally({ definition, handlers: standIns, input, executionName: 'run-1' });
    return { outcome, calls };
  }

  test('WHEN every statement finishes THEN the run succeeds with the plan and each step’s last poll', async () => {
    const { outcome, calls } = run({}, { mode: 'full' });

    const done = await outcome;
    if (done.status !== 'SUCCEEDED') throw new Error(`run ended ${JSON.stringify(done)}`);
    const output = done.output as { plan: unknown; steps: Record<string, { poll: { status: string } }> };
    expect(output.plan).toEqual({ runId: 'run-1', mode: 'full', reloadSongs: true, logPrefixes: [''] });
    expect(Object.keys(output.steps).sort()).toEqual([...PIPELINE_STEPS].sort());
    expect(Object.values(output.steps).map((step) => step.poll.status)).toEqual(
      PIPELINE_STEPS.map(() => 'FINISHED'),
    );
    expect(calls[0]).toEqual({ key: 'planRun', event: { input: { mode: 'full' }, executionName: 'run-1' } });
    expect(
      calls
        .filter((call) => call.key === 'pollStatement' && call.event.step === 'publish')
        .map((call) => call.event.polls),
    ).toEqual([0, 1]);
  });

  test('WHEN the plan leaves a step nothing to run THEN that step is not polled', async () => {
    const { outcome, calls } = run(
      {
        submitStatement: (event) =>
          event.step === 'stage_songs'
            ? { statementCount: 0 }
            : { statementId: `id-${event.step}`, statementCount: 1 },
      },
      {},
    );

    await expect(outcome).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expect(calls.some((call) => call.key === 'pollStatement' && call.event.step === 'stage_songs')).toBe(
      false,
    );
  });

  test('WHEN a statement fails THEN it is not retried, the failure is recorded, and the run fails with Redshift’s text', async () => {
    const { outcome, calls } = run(
      {
        pollStatement: (event) => {
          if (event.step === 'claim_run')
            throw named('StatementFailed', 'claim_run FAILED: column "x" does not exist');
          return finishedPoll(event);
        },
      },
      {},
    );

    await expect(outcome).resolves.toMatchObject({
      status: 'FAILED',
      error: 'StatementFailed',
      cause: expect.stringContaining('column "x" does not exist'),
    });
    expect(
      calls.filter((call) => call.event.step === 'claim_run' && call.key === 'pollStatement'),
    ).toHaveLength(1);
    const recorded = calls.find(
      (call) => call.key === 'submitStatement' && call.event.step === 'record_failure',
    );
    expect(recorded?.event.failure).toMatchObject({
      Error: 'StatementFailed',
      Cause: expect.stringContaining('does not exist'),
    });
    expect(calls.some((call) => call.event.step === 'stage_events')).toBe(false);
  });

  test('WHEN another run holds the lock THEN the run waits, claims again, and succeeds once it holds it', async () => {
    let claims = 0;
    const { outcome, calls } = run(
      {
        pollStatement: (event) =>
          finishedPoll(event, { claimed: event.step === 'claim_run' && ++claims > 2, catalogueEmpty: false }),
      },
      {},
    );

    await expect(outcome).resolves.toMatchObject({ status: 'SUCCEEDED' });
    const submitted = calls.filter((call) => call.key === 'submitStatement').map((call) => call.event.step);
    expect(submitted.filter((step) => step === 'claim_run')).toHaveLength(3);
    expect(submitted.indexOf('stage_events')).toBeGreaterThan(submitted.lastIndexOf('claim_run'));
  });

  test('WHEN the claimed run finds the song catalogue empty THEN the plan reloads songs from there on', async () => {
    const { outcome, calls } = run(
      {
        planRun: (event) => ({
          runId: event.executionName,
          mode: 'incremental',
          reloadSongs: false,
          logPrefixes: ['/2018/11/2018-11-01-'],
        }),
        pollStatement: (event) => finishedPoll(event, { claimed: true, catalogueEmpty: true }),
      },
      {},
    );

    const done = await outcome;
    expect(done.status).toBe('SUCCEEDED');
    expect(done.states.map((state) => state.name)).toContain(CATALOGUE_LOAD_STATE);
    const stageSongs = calls.find(
      (call) => call.key === 'submitStatement' && call.event.step === 'stage_songs',
    );
    expect(stageSongs?.event.plan).toMatchObject({ reloadSongs: true });
  });

  test('WHEN the lock stays taken past the wait THEN the run fails with RunInProgress and records it', async () => {
    const { outcome, calls } = run(
      {
        pollStatement: (event) => {
          if (event.step === 'claim_run')
            throw named('RunInProgress', 'run other has held the pipeline lock since …');
          return finishedPoll(event);
        },
      },
      {},
    );

    await expect(outcome).resolves.toMatchObject({ status: 'FAILED', error: 'RunInProgress' });
    expect(calls.some((call) => call.event.step === 'record_failure')).toBe(true);
    expect(calls.some((call) => call.event.step === 'stage_events')).toBe(false);
  });

  test('WHEN the Data API throttles once THEN the task is retried and the run succeeds', async () => {
    let throttled = false;
    const { outcome } = run(
      {
        submitStatement: (event) => {
          if (!throttled) {
            throttled = true;
            throw named('ThrottlingException', 'Rate exceeded');
          }
          return { statementId: `id-${event.step}`, statementCount: 1 };
        },
      },
      {},
    );

    await expect(outcome).resolves.toMatchObject({
      status: 'SUCCEEDED',
      output: { steps: { publish: {} } },
    });
    expect(throttled).toBe(true);
  });
});
