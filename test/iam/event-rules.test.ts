import { matchesEventPattern } from '../../local/cloud/event-rules';
import { canDeliver } from '../../local/iam/pipeline-checks';
import { statusChangeEvent } from '../../local/execution/status-change';
import { deployed, KINDS } from './support';

describe.each(KINDS)('GIVEN the %s template deployed locally', (kind) => {
  const deployment = deployed(kind);
  const { stopCleanup, submitStatement } = deployment.functions;
  const [rule, ...others] = deployment.eventRules;
  const ended = (status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT') =>
    statusChangeEvent(deployment, {
      name: 'run-1',
      input: { mode: 'full' },
      startDate: 1_700_000_000_000,
      stopDate: 1_700_000_060_000,
      outcome:
        status === 'SUCCEEDED'
          ? { status, output: {}, states: [] }
          : status === 'FAILED'
            ? { status, error: 'E', cause: 'C', states: [] }
            : { status, states: [] },
    });

  test('THEN its one event rule is enabled and targets the stop cleanup', () => {
    expect(others).toEqual([]);
    expect(rule).toMatchObject({ enabled: true, targetArns: [stopCleanup.arn] });
  });

  test.each(['ABORTED', 'TIMED_OUT', 'FAILED'] as const)(
    "THEN the rule's pattern matches an execution of this state machine that ended %s",
    (status) => {
      expect(matchesEventPattern(rule!.eventPattern, ended(status))).toBe(true);
    },
  );

  test('THEN it matches neither a success nor the end of another state machine', () => {
    expect(matchesEventPattern(rule!.eventPattern, ended('SUCCEEDED'))).toBe(false);
    const elsewhere = ended('ABORTED');
    const otherMachine = {
      ...elsewhere,
      detail: { ...elsewhere.detail, stateMachineArn: `${deployment.stateMachine.arn}-2` },
    };
    expect(matchesEventPattern(rule!.eventPattern, otherMachine)).toBe(false);
  });

  test("THEN the cleanup's resource policy lets this rule invoke it, and no other function's does", () => {
    expect(canDeliver(rule!, stopCleanup)).toBeUndefined();
    expect(canDeliver(rule!, submitStatement)).toEqual({
      error: 'NO_PERMISSIONS',
      cause: expect.stringContaining(`may not invoke ${submitStatement.arn}`) as unknown,
    });
    const otherRule = { ...rule!, arn: `${rule!.arn}-2` };
    expect(canDeliver(otherRule, stopCleanup)?.error).toBe('NO_PERMISSIONS');
  });
});

describe('GIVEN an event pattern', () => {
  test('THEN an array in the event matches when one of its elements is listed', () => {
    expect(matchesEventPattern({ resources: ['b'] }, { resources: ['a', 'b'] })).toBe(true);
    expect(matchesEventPattern({ detail: { status: ['X'] } }, { detail: {} })).toBe(false);
  });

  test('THEN a content filter is refused rather than guessed', () => {
    expect(() => matchesEventPattern({ source: [{ prefix: 'aws.' }] }, { source: 'aws.states' })).toThrow(
      /content filters are not matched locally/,
    );
  });
});
