import type { StatementData } from '@aws-sdk/client-redshift-data';
import { InvalidInputError } from '../../contract/errors';
import {
  readExecutionStop,
  statementsToCancel,
  stopDescription,
  stopStatementName,
  stopStatements,
  type ExecutionStop,
} from '../../lambda/shared/stop-cleanup';

const STOPPED_AT = Date.UTC(2026, 10, 25, 12, 0, 0);
const EXECUTION = 'arn:aws:states:us-west-2:123456789012:execution:Pipeline:run-1';

/** An event shaped as the Step Functions developer guide shows "Step Functions Execution Status Change". */
function statusChange(detail: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '315c1398-40ff-a850-213b-158f73e60175',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '123456789012',
    time: '2026-11-25T12:00:00Z',
    region: 'us-west-2',
    resources: [EXECUTION],
    detail: {
      executionArn: EXECUTION,
      stateMachineArn: 'arn:aws:states:us-west-2:123456789012:stateMachine:Pipeline',
      name: 'run-1',
      status: 'ABORTED',
      startDate: STOPPED_AT - 60_000,
      stopDate: STOPPED_AT,
      input: '{"mode":"full"}',
      output: null,
      error: null,
      cause: null,
      ...detail,
    },
  };
}

describe('readExecutionStop', () => {
  test('reads the run id, status and stop time of a stopped execution', () => {
    expect(readExecutionStop(statusChange())).toEqual({
      executionArn: EXECUTION,
      runId: 'run-1',
      status: 'ABORTED',
      stoppedAt: STOPPED_AT,
    });
    expect(
      readExecutionStop(statusChange({ status: 'FAILED', error: 'States.Runtime', cause: 'boom' })),
    ).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'boom' });
  });

  test.each([
    [{ ...statusChange(), source: 'aws.events' }, /from "aws.events"/],
    [
      statusChange({ status: 'SUCCEEDED' }),
      /status must be one of ABORTED, TIMED_OUT, FAILED, got "SUCCEEDED"/,
    ],
    [statusChange({ stopDate: null }), /stopDate must be epoch milliseconds, got null/],
    [statusChange({ name: '' }), /event.name must be a non-empty string/],
    [{ ...statusChange(), detail: 'x' }, /event.detail must be a JSON object/],
  ])('refuses a malformed event, naming what is wrong (%#)', (event, message) => {
    expect(() => readExecutionStop(event)).toThrow(InvalidInputError);
    expect(() => readExecutionStop(event)).toThrow(message);
  });
});

describe('statementsToCancel', () => {
  const stop: ExecutionStop = {
    executionArn: EXECUTION,
    runId: 'run-1',
    status: 'ABORTED',
    stoppedAt: STOPPED_AT,
  };
  const statement = (Id: string, StatementName: string, Status: string, createdMsBeforeStop = 1000) =>
    ({ Id, StatementName, Status, CreatedAt: new Date(STOPPED_AT - createdMsBeforeStop) }) as StatementData;

  test("cancels the run's statements still queued or running, and nothing else", () => {
    expect(
      statementsToCancel(stop, [
        statement('submitted', 'sparkify-run-1-stage_events', 'SUBMITTED'),
        statement('picked', 'sparkify-run-1-stage_songs', 'PICKED'),
        statement('started', 'sparkify-run-1-publish', 'STARTED'),
        statement('finished', 'sparkify-run-1-create_tables', 'FINISHED'),
        statement('failed', 'sparkify-run-1-stage_events', 'FAILED'),
        statement('aborted', 'sparkify-run-1-stage_events', 'ABORTED'),
        // Another run whose name starts with this one's: the listing's prefix matches it too.
        statement('other run', 'sparkify-run-1-b-stage_events', 'STARTED'),
        // A redrive of the same execution, started after this stop.
        statement('redriven', 'sparkify-run-1-publish', 'STARTED', -5000),
        // An earlier cleanup's own audit update.
        statement('cleanup', stopStatementName('run-1'), 'STARTED'),
      ]),
    ).toEqual(['submitted', 'picked', 'started']);
  });
});

describe('stopDescription', () => {
  test("names the execution's own error when it has one, and the stop otherwise", () => {
    expect(stopDescription({ ...stop(), status: 'FAILED', error: 'States.Runtime', cause: 'bad path' })).toBe(
      'States.Runtime: bad path',
    );
    expect(stopDescription(stop())).toBe(`Execution ABORTED: ${EXECUTION} ended at 2026-11-25T12:00:00.000Z`);
  });

  test('fits etl_runs.error, a VARCHAR(4096) measured in bytes', () => {
    const text = stopDescription({ ...stop(), error: 'E', cause: 'é'.repeat(4000) });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(text)).toBeGreaterThan(4090);
  });

  function stop(): ExecutionStop {
    return { executionArn: EXECUTION, runId: 'run-1', status: 'ABORTED', stoppedAt: STOPPED_AT };
  }
});

describe('stopStatements', () => {
  test('creates the audit tables if need be, then updates the run with its values as Redshift literals', () => {
    const statements = stopStatements({
      executionArn: EXECUTION,
      runId: "it's",
      status: 'TIMED_OUT',
      stoppedAt: STOPPED_AT,
      error: 'States.Timeout',
      cause: 'C:\\path',
    });
    expect(statements[0]).toMatch(/^CREATE TABLE IF NOT EXISTS etl_runs/);
    const update = statements.find((statement) => statement.startsWith('UPDATE etl_runs'))!;
    expect(update).toContain("status = 'TIMED_OUT'");
    expect(update).toContain("error = 'States.Timeout: C:\\\\path'");
    expect(update).toContain("WHERE run_id = 'it''s' AND status IN ('RUNNING', 'WAITING')");
    expect(statements.at(-1)).toBe("DELETE FROM etl_run_lock WHERE run_id = 'it''s'");
  });
});
