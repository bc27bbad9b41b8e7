import { InvalidInputError } from '../../contract/errors';
import { logPrefixes, planRun, readPlan } from '../../contract/run-plan';
import {
  readDataLocations,
  readStatementTimeoutMs,
  readWarehouseEnvironment,
} from '../../contract/environment';
import { describeFailure } from '../../lambda/shared/sql-steps';

describe('planRun', () => {
  test.each([[{}], [{ mode: 'full' }], [null], [undefined]])('%p is a full run of everything', (input) => {
    expect(planRun(input, 'exec-1')).toEqual({
      runId: 'exec-1',
      mode: 'full',
      reloadSongs: true,
      logPrefixes: ['/'],
      maxErrors: 0,
      missingDays: [],
    });
  });

  test("one day loads that day's log objects and keeps the song catalogue", () => {
    expect(planRun({ mode: 'incremental', date: '2018-11-12' }, 'r')).toEqual({
      runId: 'r',
      mode: 'incremental',
      from: '2018-11-12',
      to: '2018-11-12',
      reloadSongs: false,
      logPrefixes: ['/2018/11/2018-11-12-'],
      maxErrors: 0,
      missingDays: [],
    });
  });

  test.each([[0], [25], [100_000]])('"maxErrors": %p lets each COPY skip that many bad rows', (maxErrors) => {
    expect(planRun({ maxErrors }, 'r').maxErrors).toBe(maxErrors);
    expect(planRun({ mode: 'incremental', date: '2018-11-12', maxErrors }, 'r').maxErrors).toBe(maxErrors);
  });

  test('"songs": true reloads the catalogue in an incremental run', () => {
    expect(planRun({ mode: 'incremental', date: '2018-11-12', songs: true }, 'r').reloadSongs).toBe(true);
  });

  test('the schedule passes its event time and the run loads the previous UTC day', () => {
    expect(planRun({ mode: 'incremental', scheduledTime: '2018-11-13T03:00:00Z' }, 'r')).toMatchObject({
      from: '2018-11-12',
      to: '2018-11-12',
    });
    expect(planRun({ mode: 'incremental', scheduledTime: '2019-01-01T00:30:00Z' }, 'r').from).toBe(
      '2018-12-31',
    );
  });

  test('a backfill covers whole years and months by folder, short partial months day by day', () => {
    expect(logPrefixes('2017-12-30', '2019-02-02')).toEqual([
      '/2017/12/2017-12-30-',
      '/2017/12/2017-12-31-',
      '/2018/',
      '/2019/01/',
      '/2019/02/2019-02-01-',
      '/2019/02/2019-02-02-',
    ]);
  });

  test('a long partial month is staged whole: fewer COPYs, and re-merging the extra days is harmless', () => {
    expect(logPrefixes('2018-11-02', '2018-11-30')).toEqual(['/2018/11/']);
  });

  test.each([
    [[1], /must be a JSON object/],
    ['full', /must be a JSON object/],
    [{ mode: 'nightly' }, /"mode" must be "full" or "incremental", got "nightly"/],
    [{ mod: 'full' }, /unknown key\(s\) mod/],
    [{ mode: 'full', date: '2018-11-12' }, /"date" only apply to "mode": "incremental"/],
    [{ mode: 'incremental' }, /exactly one of "date", "from" with "to", or "scheduledTime"; got none/],
    [{ mode: 'incremental', date: '2018-11-12', from: '2018-11-01' }, /got date, from/],
    [{ mode: 'incremental', from: '2018-11-01' }, /got from/],
    [
      { mode: 'incremental', date: '2018-02-30' },
      /"date" must be a calendar date like 2018-11-12, got "2018-02-30"/,
    ],
    [{ mode: 'incremental', date: 20181112 }, /"date" must be a calendar date/],
    [
      { mode: 'incremental', from: '2018-11-09', to: '2018-11-01' },
      /"from" \(2018-11-09\) is after "to" \(2018-11-01\)/,
    ],
    [{ mode: 'incremental', from: '2017-01-01', to: '2018-11-01' }, /at most 366 days/],
    [{ mode: 'incremental', scheduledTime: 'yesterday' }, /"scheduledTime" must be an ISO 8601 time/],
    [{ mode: 'incremental', date: '2018-11-12', songs: 'yes' }, /"songs" must be true or false/],
    [{ maxErrors: -1 }, /"maxErrors" must be a whole number from 0 to 100000 .*, got -1/],
    [{ maxErrors: 100_001 }, /"maxErrors" must be a whole number from 0 to 100000/],
    [{ maxErrors: 2.5 }, /"maxErrors" must be a whole number/],
    [{ maxErrors: '10' }, /"maxErrors" must be a whole number .*, got "10"/],
    [{ maxErrors: null }, /"maxErrors" must be a whole number .*, got null/],
  ])('%p is refused: %p', (input, message) => {
    expect(() => planRun(input, 'exec-1')).toThrow(InvalidInputError);
    expect(() => planRun(input, 'exec-1')).toThrow(message);
  });

  test('a plan handed back by a later state is read and re-validated', () => {
    const plan = planRun({ mode: 'incremental', date: '2018-11-12' }, 'r');
    expect(readPlan(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
    expect(() => readPlan({ mode: 'full' })).toThrow(/not a run plan/);
    expect(() => readPlan({ ...plan, logPrefixes: ["/x' OR 1=1"] })).toThrow(/not a run plan/);
    expect(() => readPlan({ ...plan, logPrefixes: [''] })).toThrow(/not a run plan/);
    expect(() => readPlan({ ...plan, maxErrors: '1; DROP TABLE songs' })).toThrow(/not a run plan/);
    expect(() => readPlan({ ...plan, maxErrors: 100_001 })).toThrow(/not a run plan/);
  });
});

describe('the Lambda environment', () => {
  const env = {
    WAREHOUSE_KIND: 'serverless',
    WORKGROUP_NAME: 'wg',
    DATABASE_NAME: 'dev',
    SECRET_ARN: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:x',
    SONG_DATA_URI: 's3://udacity-dend/song_data',
    LOG_DATA_URI: 's3://udacity-dend/log_data',
    LOG_JSONPATH_URI: 's3://udacity-dend/log_json_path.json',
    DATA_REGION: 'us-west-2',
    COPY_ROLE_ARN: 'arn:aws:iam::123456789012:role/copy',
  };

  test('a serverless target is a workgroup; a provisioned one a cluster', () => {
    expect(readWarehouseEnvironment(env).target).toEqual({ kind: 'serverless', workgroupName: 'wg' });
    expect(
      readWarehouseEnvironment({ ...env, WAREHOUSE_KIND: 'provisioned', CLUSTER_IDENTIFIER: 'c1' }).target,
    ).toEqual({ kind: 'provisioned', clusterIdentifier: 'c1' });
  });

  test.each([
    [{ WAREHOUSE_KIND: 'hybrid' }, /WAREHOUSE_KIND is malformed/],
    [{ WORKGROUP_NAME: undefined }, /WORKGROUP_NAME is not set/],
    [{ LOG_DATA_URI: 'https://example.com/x' }, /LOG_DATA_URI is malformed/],
    [{ COPY_ROLE_ARN: "arn:aws:iam::123456789012:role/x' --" }, /COPY_ROLE_ARN is malformed/],
    [{ DATA_REGION: 'west' }, /DATA_REGION is malformed/],
  ])('%p is a configuration error: %p', (override, message) => {
    const read = () => {
      readWarehouseEnvironment({ ...env, ...override });
      readDataLocations({ ...env, ...override });
    };
    expect(read).toThrow(message);
  });
});

test('the statement timeout is a positive whole number of seconds', () => {
  expect(readStatementTimeoutMs({ STATEMENT_TIMEOUT_SECONDS: '7200' })).toBe(7_200_000);
  expect(() => readStatementTimeoutMs({ STATEMENT_TIMEOUT_SECONDS: '0' })).toThrow(
    /STATEMENT_TIMEOUT_SECONDS is malformed/,
  );
  expect(() => readStatementTimeoutMs({})).toThrow(/STATEMENT_TIMEOUT_SECONDS is not set/);
});

test("a failure's audit text is the Lambda error's message, or a States error's plain cause", () => {
  const lambdaCause = JSON.stringify({
    errorType: 'StatementFailed',
    errorMessage: 'stage_events FAILED: boom',
    trace: ['at x'],
  });
  expect(describeFailure({ Error: 'StatementFailed', Cause: lambdaCause })).toBe(
    'StatementFailed: stage_events FAILED: boom',
  );
  expect(describeFailure({ Error: 'States.Timeout', Cause: 'the state timed out' })).toBe(
    'States.Timeout: the state timed out',
  );
});
