import { splitStatements } from '../../lambda/shared/sql-template';
import createStarTables from '../../sql/create_star_tables.sql';
import insertTime from '../../sql/insert_time.sql';
import { bucketPerTest, TestBucket } from '../support/dataset';
import { WarehouseHarness, select } from '../support/warehouse-harness';

// A star table that was emptied and then vacuumed or analyzed (a server's autovacuum does it on its
// own) counts 0 rows and holds no page, so the planner takes it for empty. insert_time.sql reads
// time (NOT EXISTS) while it fills it: planned as a nested loop, it scanned time again for every
// play time, each scan reading all the pages the insert had added so far, and a full run never
// finished. The local layer plans such an insert without nested loops (local-tuning.ts): time is
// read once, however many times the run brings.

const harness = new WarehouseHarness();
afterAll(() => harness.close());

let bucket: TestBucket;
bucketPerTest((fresh) => (bucket = fresh));

const PLAY_TIMES = 2_000;

test('a full run’s time merge into an emptied, analyzed time table reads that table once', async () => {
  const warehouse = await harness.warehouse(bucket.dir);
  await warehouse.run(splitStatements(createStarTables));
  // The run's play times, as collect_run_plays.sql leaves them (a table here, so the next batch sees
  // it), and time as autovacuum leaves an emptied table, set on the engine past the Redshift bridge.
  await warehouse.engine.transaction(async (session) => {
    await session.query('CREATE TABLE run_times (start_time TIMESTAMP NOT NULL)');
    await session.query(
      `INSERT INTO run_times (start_time)
       SELECT TIMESTAMP '2018-11-01' + n * INTERVAL '1 second' FROM generate_series(1, ${PLAY_TIMES}) AS plays (n)`,
    );
    await session.query('ANALYZE run_times');
    await session.query('ANALYZE time');
  });
  expect(
    await select(warehouse, "SELECT reltuples, relpages FROM pg_class WHERE oid = to_regclass('time')"),
  ).toEqual([{ reltuples: 0, relpages: 0 }]);

  const [merged, , scans] = await warehouse.run([
    ...splitStatements(insertTime),
    'SELECT COUNT(*) AS time_rows FROM time',
    "SELECT seq_scan + COALESCE(idx_scan, 0) AS scans FROM pg_stat_xact_user_tables WHERE relname = 'time'",
  ]);
  expect(merged?.rowsAffected).toBe(PLAY_TIMES);
  // A handful of scans (the insert's, the count's), not one per play time: 2,001 without the guard.
  expect(Number(scans?.result?.rows[0]?.scans)).toBeLessThan(10);
});
