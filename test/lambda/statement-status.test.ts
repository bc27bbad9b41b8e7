import { DataQualityError, RunInProgressError, StatementFailedError } from '../../contract/errors';
import {
  LOCK_RETRY_SECONDS,
  MAX_LOCK_WAIT_MS,
  MAX_WAIT_SECONDS,
  decideLock,
  enforceChecks,
  interpretStatus,
  isOverdue,
  nextWaitSeconds,
  parseCheckRecords,
} from '../../lambda/shared/statement-status';

describe('interpretStatus', () => {
  test.each(['SUBMITTED', 'PICKED', 'STARTED'] as const)('%s is not finished', (status) => {
    expect(interpretStatus('stage_events', { Status: status })).toEqual({ finished: false, status });
  });

  test('FINISHED reports the rows of each statement of a batch', () => {
    const progress = interpretStatus('load_dimensions', {
      Status: 'FINISHED',
      Duration: 2_500_000_000,
      SubStatements: [
        { Id: 'a:1', Status: 'FINISHED', ResultRows: 3 },
        { Id: 'a:2', Status: 'FINISHED', ResultRows: 5 },
      ],
    });
    expect(progress).toEqual({
      finished: true,
      status: 'FINISHED',
      rowsAffected: [3, 5],
      hasResultSet: false,
      durationMs: 2500,
    });
  });

  test('FAILED raises StatementFailed with the Redshift error and which statement of the batch failed', () => {
    const describe = () =>
      interpretStatus('stage_events', {
        Status: 'FAILED',
        Error: 'ERROR: Load into table staging_events failed. Check stl_load_errors',
        SubStatements: [
          { Id: 'a:1', Status: 'FINISHED' },
          { Id: 'a:2', Status: 'FAILED' },
        ],
      });
    expect(describe).toThrow(StatementFailedError);
    expect(describe).toThrow(
      'stage_events FAILED in statement 2 of 2: ERROR: Load into table staging_events failed',
    );
  });

  test('ABORTED ends the poll too, instead of looping forever', () => {
    expect(() => interpretStatus('load_songplays', { Status: 'ABORTED' })).toThrow(
      /load_songplays ABORTED: the statement was cancelled/,
    );
  });

  test('an unknown status is an error, not a reason to keep polling', () => {
    expect(() => interpretStatus('x', { Status: 'ALL' })).toThrow(/unexpected statement status "ALL"/);
  });
});

test('a statement is overdue only once it has run longer than the limit since its creation', () => {
  const created = new Date(1_000_000);
  expect(isOverdue(created, 1_000_000 + 7_200_000, 7_200_000)).toBe(false);
  expect(isOverdue(created, 1_000_001 + 7_200_000, 7_200_000)).toBe(true);
  expect(isOverdue(undefined, Number.MAX_SAFE_INTEGER, 1)).toBe(false);
});

test('the poll interval doubles from 1 s and is capped', () => {
  expect([0, 1, 2, 3, 4, 5, 6, 20].map(nextWaitSeconds)).toEqual([
    1,
    2,
    4,
    8,
    16,
    MAX_WAIT_SECONDS,
    MAX_WAIT_SECONDS,
    MAX_WAIT_SECONDS,
  ]);
});

describe('quality checks', () => {
  const records = [
    [{ stringValue: 'users: duplicate or NULL user_id' }, { longValue: 0 }],
    [{ stringValue: 'songplays: user_id not in users' }, { longValue: 3 }],
  ];

  test('reads (check_name, failing_rows) records as the Data API types them', () => {
    expect(parseCheckRecords(records)).toEqual([
      { check: 'users: duplicate or NULL user_id', failingRows: 0 },
      { check: 'songplays: user_id not in users', failingRows: 3 },
    ]);
  });

  test('a failing check raises a readable report naming the check and its row count', () => {
    expect(() => enforceChecks('check_quality', parseCheckRecords(records))).toThrow(DataQualityError);
    expect(() => enforceChecks('check_quality', parseCheckRecords(records))).toThrow(
      'check_quality: 1 of 2 data-quality checks failed\n  - songplays: user_id not in users: 3 row(s)',
    );
  });

  test('passing checks are returned', () => {
    const passing = [{ check: 'a', failingRows: 0 }];
    expect(enforceChecks('check_quality', passing)).toBe(passing);
  });

  test('a record of the wrong shape is an error', () => {
    expect(() => parseCheckRecords([[{ longValue: 1 }]])).toThrow(/quality check row 1 is not/);
  });
});

describe('decideLock', () => {
  const lock = (claimed: boolean, holder = 'other-run', catalogueEmpty = false) => [
    [
      { booleanValue: claimed },
      { stringValue: holder },
      { stringValue: '2018-11-02 03:00:00' },
      { booleanValue: catalogueEmpty },
    ],
  ];
  const start = Date.UTC(2026, 0, 1);

  test('a run holding the lock goes on, told whether the song catalogue is empty', () => {
    expect(decideLock(lock(true, 'this-run'), start, start + 1000)).toEqual({
      claimed: true,
      catalogueEmpty: false,
    });
    expect(decideLock(lock(true, 'this-run', true), start, start + 1000)).toEqual({
      claimed: true,
      catalogueEmpty: true,
    });
  });

  test('a run finding the lock taken waits and claims again, for up to MAX_LOCK_WAIT_MS', () => {
    expect(decideLock(lock(false), start, start + MAX_LOCK_WAIT_MS)).toEqual({
      claimed: false,
      waitSeconds: LOCK_RETRY_SECONDS,
    });
  });

  test('past the wait, it fails with RunInProgress naming the holder and since when', () => {
    const decide = () => decideLock(lock(false), start, start + MAX_LOCK_WAIT_MS + 1);
    expect(decide).toThrow(RunInProgressError);
    expect(decide).toThrow(
      /run other-run has held the pipeline lock since 2018-11-02 03:00:00; this run waited 180 min/,
    );
  });
});

describe('a gate that raised', () => {
  test("is DataQualityCheckFailed with the procedure's report, not a statement failure", () => {
    const error =
      'ERROR: DataQualityCheckFailed: 1 of 12 data-quality checks failed\n  - users: duplicate or NULL user_id: 2 row(s)';
    expect(() => interpretStatus('publish', { Status: 'FAILED', Error: error })).toThrow(DataQualityError);
    expect(() => interpretStatus('publish', { Status: 'FAILED', Error: error })).toThrow(
      'publish: 1 of 12 data-quality checks failed\n  - users: duplicate or NULL user_id: 2 row(s)',
    );
  });
});
