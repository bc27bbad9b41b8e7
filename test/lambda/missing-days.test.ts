import { describeDays, planForLogObjects } from '../../contract/missing-days';
import { planRun } from '../../contract/run-plan';

const WHERE = 's3://bucket/log_data';
const backfill = planRun({ mode: 'incremental', from: '2018-11-28', to: '2018-12-02' }, 'r');
const keysOf = (...days: string[]) =>
  days.map((day) => `/${day.slice(0, 4)}/${day.slice(5, 7)}/${day}-events.json`);

describe('planForLogObjects', () => {
  test('a range whose every day has an object keeps its plan', () => {
    const keys = keysOf('2018-11-28', '2018-11-29', '2018-11-30', '2018-12-01', '2018-12-02');
    expect(planForLogObjects(backfill, keys, 'fail', WHERE)).toBe(backfill);
  });

  test('fail names every missing day, consecutive ones as a range, and where it looked', () => {
    expect(() => planForLogObjects(backfill, keysOf('2018-11-29', '2018-12-02'), 'fail', WHERE)).toThrow(
      expect.objectContaining({
        name: 'NoLogData',
        message: expect.stringContaining(
          'no log object for 3 day(s) of 2018-11-28..2018-12-02 under s3://bucket/log_data: 2018-11-28, 2018-11-30..2018-12-01.',
        ),
      }),
    );
  });

  test('skip drops the prefixes that match nothing and lists the missing days', () => {
    const plan = planForLogObjects(backfill, keysOf('2018-11-29', '2018-12-02'), 'skip', WHERE);
    expect(plan.logPrefixes).toEqual(['/2018/11/2018-11-29-', '/2018/12/2018-12-02-']);
    expect(plan.missingDays).toEqual(['2018-11-28', '2018-11-30', '2018-12-01']);
  });

  test('skip keeps a whole-month prefix that some day matches, and may leave no prefix at all', () => {
    const month = planRun({ mode: 'incremental', from: '2018-11-01', to: '2018-11-30' }, 'r');
    const plan = planForLogObjects(month, keysOf('2018-11-15'), 'skip', WHERE);
    expect(plan.logPrefixes).toEqual(['/2018/11/']);
    expect(plan.missingDays).toHaveLength(29);
    expect(planForLogObjects(month, [], 'skip', WHERE).logPrefixes).toEqual([]);
  });

  test('a key that only starts like the day does not count for it, as the day COPY prefix would not match it', () => {
    const day = planRun({ mode: 'incremental', date: '2018-11-01' }, 'r');
    expect(() => planForLogObjects(day, ['/2018/11/2018-11-01.json'], 'fail', WHERE)).toThrow(
      /NoLogData|no log object/,
    );
  });

  test('a full run lists nothing and misses nothing', () => {
    const full = planRun({}, 'r');
    expect(planForLogObjects(full, [], 'fail', WHERE)).toBe(full);
  });
});

test('describeDays folds consecutive days across a month end', () => {
  expect(describeDays(['2018-11-30', '2018-12-01', '2018-12-03'])).toBe('2018-11-30..2018-12-01, 2018-12-03');
  expect(describeDays([])).toBe('');
});
