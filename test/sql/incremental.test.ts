import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { causeMessage } from '../../contract/errors';
import { lockRunAuditFile } from '../../lambda/shared/sql-steps';
import type { LocalPipeline } from '../../local/execution/local-pipeline';
import { bucketPerTest, TestBucket, play } from '../support/dataset';
import { hasSharedData, SHARED_BUCKET } from '../support/shared-data';
import {
  ExecutionFailed,
  PipelineHarness,
  execute,
  runFull,
  select,
  snapshotTables,
} from '../support/warehouse-harness';

// Incremental runs merge a day (or a range) into what is there. Whatever the order, and however
// often a day is loaded, the star tables must end as one full run leaves them.

const STAR_TABLES = ['songplays', 'users', 'songs', 'artists', 'time'];

const harness = new PipelineHarness();
afterAll(() => harness.close());

const incremental = (pipeline: LocalPipeline, input: Record<string, unknown>) =>
  execute(pipeline, { mode: 'incremental', ...input });

async function starTables(warehouse: LocalPipeline) {
  const all = await snapshotTables(warehouse);
  return Object.fromEntries(STAR_TABLES.map((table) => [table, all[table]]));
}

/** The days of a bucket's log files, from their keys. */
function logDays(dir: string): string[] {
  const days: string[] = [];
  for (const year of readdirSync(join(dir, 'log_data'))) {
    for (const month of readdirSync(join(dir, 'log_data', year))) {
      for (const name of readdirSync(join(dir, 'log_data', year, month))) days.push(name.slice(0, 10));
    }
  }
  return days.sort();
}

/** A fixed shuffle, so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function expectOrderIndependent(dir: string, expected: Record<string, unknown>) {
  const days = logDays(dir);
  const daily = await harness.pipeline(dir);
  const order = shuffled(days, 7);
  await incremental(daily, { date: order[0], songs: true });
  for (const day of order.slice(1)) await incremental(daily, { date: day });
  await incremental(daily, { date: order[3] }); // a day loaded twice
  await incremental(daily, { date: order[0] }); // an old day again, after newer ones
  expect(await starTables(daily)).toEqual(expected);
}

const describeWithData = hasSharedData(SHARED_BUCKET) ? describe : describe.skip;
describeWithData('on the real 30 days', () => {
  // What one full run leaves, run once for both tests: each run takes seconds on the real data.
  let fullRun: ReturnType<typeof starTables> | undefined;
  const afterOneFullRun = () =>
    (fullRun ??= harness.pipeline(SHARED_BUCKET).then(async (full) => {
      await runFull(full);
      return starTables(full);
    }));

  test('loading every day one by one, shuffled, with repeats, equals one full run', async () => {
    await expectOrderIndependent(SHARED_BUCKET, await afterOneFullRun());
  });

  test('a backfill of the whole month equals one full run', async () => {
    const expected = await afterOneFullRun();
    const backfill = await harness.pipeline(SHARED_BUCKET);
    await incremental(backfill, { from: '2018-11-01', to: '2018-11-30', songs: true });
    expect(await starTables(backfill)).toEqual(expected);
  });
});

describe('on a small bucket', () => {
  let bucket: TestBucket;
  bucketPerTest((fresh) => (bucket = fresh));

  test("a user's level is that of the latest event overall, whatever order the days load in", async () => {
    bucket
      .unplayedSong()
      .events('2018-11-05', [play({ userId: '9', level: 'free', ts: Date.UTC(2018, 10, 5) })])
      .events('2018-11-20', [play({ userId: '9', level: 'paid', ts: Date.UTC(2018, 10, 20) })]);
    const warehouse = await harness.pipeline(bucket.dir);
    await incremental(warehouse, { date: '2018-11-20', songs: true });
    await incremental(warehouse, { date: '2018-11-05' });
    expect(await select(warehouse, 'SELECT level FROM users WHERE user_id = 9')).toEqual([{ level: 'paid' }]);
  });

  test('an incremental run on an empty warehouse creates its tables; it never drops data', async () => {
    bucket
      .unplayedSong()
      .events('2018-11-01', [play({ userId: '1' })])
      .events('2018-11-02', [play({ userId: '2' })]);
    const warehouse = await harness.pipeline(bucket.dir);
    await incremental(warehouse, { date: '2018-11-02' });
    expect(await select(warehouse, 'SELECT user_id FROM songplays')).toEqual([{ user_id: 2 }]);
    await incremental(warehouse, { date: '2018-11-01' });
    expect(await select(warehouse, 'SELECT user_id FROM songplays ORDER BY user_id')).toEqual([
      { user_id: 1 },
      { user_id: 2 },
    ]);
  });

  test('time gains only the new start times', async () => {
    bucket
      .unplayedSong()
      .events('2018-11-01', [play({ ts: Date.UTC(2018, 10, 1, 1) })])
      .events('2018-11-02', [play({ ts: Date.UTC(2018, 10, 2, 1) })]);
    const warehouse = await harness.pipeline(bucket.dir);
    const [first] = await (async () => {
      await incremental(warehouse, { date: '2018-11-01' });
      return select(warehouse, 'SELECT start_time FROM time');
    })();
    await incremental(warehouse, { date: '2018-11-02' });
    const times = await select(warehouse, 'SELECT start_time FROM time ORDER BY start_time');
    expect(times).toHaveLength(2);
    expect(times[0]).toEqual(first);
  });

  test('the widest backfill the plan accepts runs as one batch within the Data API limit', async () => {
    // 2017-01-18..2017-11-15 needs 38 log prefixes: 14 January days, 9 whole months, 15 November
    // days. The batch is the DELETE, one COPY each and the INSERT of their rejected rows: 40
    // statements, the most the Data API takes.
    const [from, to] = [Date.UTC(2017, 0, 18), Date.UTC(2017, 10, 15)];
    bucket.unplayedSong();
    for (let day = from; day <= to; day += 86_400_000) {
      bucket.events(new Date(day).toISOString().slice(0, 10), [play({ ts: day + 3_600_000 })]);
    }
    const warehouse = await harness.pipeline(bucket.dir);
    const outcome = await incremental(warehouse, { from: '2017-01-18', to: '2017-11-15' });
    const stage = outcome.states.find((state) => state.name === 'stage_events: submit');
    expect(stage?.result).toMatchObject({ statementCount: 40 });
    expect(await select(warehouse, 'SELECT COUNT(*) AS n FROM songplays')).toEqual([
      { n: (to - from) / 86_400_000 + 1 },
    ]);
  });

  test('executions that overlap take turns: the tables of running them one after the other, each audit its own', async () => {
    bucket
      .song('TRAAAAA0000000001', { song_id: 'SOA', title: 'Song', artist_id: 'ARA', artist_name: 'Artist' })
      .events('2018-11-01', [play({ userId: '1', level: 'free', ts: Date.UTC(2018, 10, 1) })])
      .events('2018-11-02', [
        play({ userId: '1', level: 'paid', ts: Date.UTC(2018, 10, 2) }),
        play({ userId: '2', ts: Date.UTC(2018, 10, 2, 1) }),
      ])
      .events('2018-11-03', [play({ userId: '2', level: 'paid', ts: Date.UTC(2018, 10, 3) })]);
    const [first, second, third] = [
      { date: '2018-11-01', songs: true },
      { date: '2018-11-02' },
      { date: '2018-11-03' },
    ];
    const overlapping = await harness.pipeline(bucket.dir);
    await incremental(overlapping, first);
    // Another run holds the lock while both start, so each must wait, then they take turns.
    await overlapping.warehouse.run([
      "INSERT INTO etl_run_lock (run_id, acquired_at) VALUES ('someone-else', CAST(GETDATE() AS TIMESTAMP))",
    ]);
    const waiting = new Set<string>();
    let released: Promise<unknown> | undefined;
    const start = (input: Record<string, unknown>, name: string) =>
      overlapping.execute(
        { mode: 'incremental', ...input },
        {
          executionName: name,
          onState: (state) => {
            if (state.name !== 'claim_run: wait for the run lock') return;
            waiting.add(name);
            if (waiting.size === 2)
              // Released as the pipeline's own steps release it: under the audit LOCK.
              released ??= overlapping.warehouse.run([
                lockRunAuditFile.text,
                "DELETE FROM etl_run_lock WHERE run_id = 'someone-else'",
              ]);
          },
        },
      );
    const outcomes = await Promise.all([start(second, 'second'), start(third, 'third')]);
    await released;
    // A failure shows its error and cause, not only its status.
    expect(
      outcomes.map((outcome) =>
        outcome.status === 'FAILED' ? `${outcome.error}: ${causeMessage(outcome.cause)}` : outcome.status,
      ),
    ).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect([...waiting].sort()).toEqual(['second', 'third']);
    const together = await starTables(overlapping);
    const audit = await select(
      overlapping,
      'SELECT range_from, status, events_staged FROM etl_runs ORDER BY range_from',
    );
    expect(audit).toEqual([
      { range_from: '2018-11-01', status: 'SUCCEEDED', events_staged: 1 },
      { range_from: '2018-11-02', status: 'SUCCEEDED', events_staged: 2 },
      { range_from: '2018-11-03', status: 'SUCCEEDED', events_staged: 1 },
    ]);
    expect(await select(overlapping, 'SELECT COUNT(*) AS n FROM etl_run_lock')).toEqual([{ n: 0 }]);

    const sequential = await harness.pipeline(bucket.dir);
    for (const input of [first, second, third]) await incremental(sequential, input);
    expect(together).toEqual(await starTables(sequential));
  });

  test('each run leaves an audit row with its mode, range, counts and check results', async () => {
    bucket
      .song('TRAAAAA0000000001', { song_id: 'SOA', title: 'Song', artist_id: 'ARA', artist_name: 'Artist' })
      .events('2018-11-01', [
        play({ userId: '1' }),
        play({ userId: '2' }),
        play({ userId: '', page: 'Home', song: null }),
      ]);
    const warehouse = await harness.pipeline(bucket.dir);
    await incremental(warehouse, { date: '2018-11-01', songs: true });
    const [run] = await select(warehouse, 'SELECT * FROM etl_runs');
    expect(run).toMatchObject({
      mode: 'incremental',
      range_from: '2018-11-01',
      range_to: '2018-11-01',
      songs_reloaded: true,
      status: 'SUCCEEDED',
      events_staged: 3,
      songs_staged: 1,
      rows_rejected: 0,
      songplays_merged: 2,
      users_merged: 2,
      songs_merged: 1,
      artists_merged: 1,
      time_rows_merged: 2,
      checks_failed: 0,
    });
    expect(Date.parse(`${String(run?.finished_at).replace(' ', 'T')}Z`)).toBeGreaterThanOrEqual(
      Date.parse(`${String(run?.started_at).replace(' ', 'T')}Z`),
    );
    const [checks] = await select(
      warehouse,
      'SELECT COUNT(*) AS n FROM etl_run_checks WHERE failing_rows = 0',
    );
    expect(checks?.n).toBeGreaterThan(10);
  });

  test('a failed gate fails the run with a readable report, publishes nothing, and records it in the audit', async () => {
    bucket.unplayedSong().events('2018-11-01', [play({ userId: '1' })]);
    const warehouse = await harness.pipeline(bucket.dir);
    await incremental(warehouse, { date: '2018-11-01', songs: true });
    const published = await starTables(warehouse);

    // A day with a play that has no user: the gate fails after the merges, in their transaction.
    bucket.events('2018-11-02', [play({ userId: '2', ts: Date.UTC(2018, 10, 2) }), play({ userId: '' })]);
    const failure = incremental(warehouse, { date: '2018-11-02' });
    await expect(failure).rejects.toThrow(/^publish: 1 of \d+ data-quality checks failed/);
    await expect(failure).rejects.toThrow(/staged NextSong events without a user id: 1 row\(s\)/);
    await expect(failure).rejects.toThrow(ExecutionFailed);
    await expect(failure).rejects.toMatchObject({ name: 'DataQualityCheckFailed' });
    expect(await starTables(warehouse)).toEqual(published);
    const runs = await select(
      warehouse,
      'SELECT range_from, status, error FROM etl_runs ORDER BY range_from',
    );
    expect(runs).toEqual([
      { range_from: '2018-11-01', status: 'SUCCEEDED', error: null },
      {
        range_from: '2018-11-02',
        status: 'FAILED',
        error: expect.stringMatching(/^DataQualityCheckFailed: publish: 1 of \d+ data-quality checks failed/),
      },
    ]);
    expect(await select(warehouse, 'SELECT COUNT(*) AS n FROM etl_run_lock')).toEqual([{ n: 0 }]);
  });
});
