import { splitStatements } from '../../lambda/shared/sql-template';
import createStagingTables from '../../sql/create_staging_tables.sql';
import createStarTables from '../../sql/create_star_tables.sql';
import { createsTable, insertedTable } from '../../local/warehouse/local-tuning';
import { bucketPerTest, play, TestBucket } from '../support/dataset';
import { TEST_LOCATIONS, WarehouseHarness, select } from '../support/warehouse-harness';

// The local engine's own tuning (local/warehouse/local-tuning.ts): indexes after tables are
// created, statistics after a COPY. Results are unchanged (every SQL test runs with them); these
// show that they are there, and that a table of another shape is left alone.

const harness = new WarehouseHarness();
afterAll(() => harness.close());

let bucket: TestBucket;
bucketPerTest((fresh) => (bucket = fresh));

const localIndexes = (warehouse: Parameters<typeof select>[0]) =>
  select(
    warehouse,
    `SELECT tablename, indexname FROM pg_indexes
      WHERE schemaname = current_schema() AND indexname LIKE '%\\_local' ORDER BY indexname`,
  );

test('the star tables get the indexes for lookups by staged keys once they hold rows, once', async () => {
  const warehouse = await harness.warehouse(bucket.dir);
  await warehouse.run(splitStatements(createStarTables));
  expect(await localIndexes(warehouse)).toEqual([]);
  await warehouse.run([
    "INSERT INTO time VALUES ('2018-11-01 00:00:00', 0, 1, 44, 11, 2018, 4)",
    "INSERT INTO songplays (songplay_id, start_time, user_id, session_id, item_in_session) VALUES ('x', '2018-11-01', 1, 1, 1)",
  ]);
  expect(await localIndexes(warehouse)).toEqual([
    { tablename: 'songplays', indexname: 'songplays_play_key_local' },
    { tablename: 'time', indexname: 'time_start_time_local' },
  ]);
  await warehouse.run([
    "INSERT INTO users (user_id, level) VALUES (1, 'free')",
    "INSERT INTO user_latest_events (user_id, ts, item_in_session) VALUES (1, '2018-11-01', 1)",
    "INSERT INTO songs (song_id, title, artist_id) VALUES ('S', 'T', 'A')",
    "INSERT INTO artists (artist_id, name) VALUES ('A', 'N')",
  ]);
  await warehouse.run(splitStatements(createStarTables));
  expect(await localIndexes(warehouse)).toEqual([
    { tablename: 'artists', indexname: 'artists_artist_id_local' },
    { tablename: 'songplays', indexname: 'songplays_play_key_local' },
    { tablename: 'songs', indexname: 'songs_song_id_local' },
    { tablename: 'time', indexname: 'time_start_time_local' },
    { tablename: 'user_latest_events', indexname: 'user_latest_events_user_id_local' },
    { tablename: 'users', indexname: 'users_user_id_local' },
  ]);
});

test('a table of the same name without the columns gets only the indexes it can take', async () => {
  const warehouse = await harness.warehouse(bucket.dir);
  await warehouse.run([
    'CREATE TABLE songplays (songplay_id CHAR(32), user_id INTEGER)',
    'CREATE TABLE users (user_id INTEGER)',
    "INSERT INTO songplays VALUES ('x', 1)",
    'INSERT INTO users VALUES (1)',
  ]);
  expect(await localIndexes(warehouse)).toEqual([{ tablename: 'users', indexname: 'users_user_id_local' }]);
});

test('a COPY leaves statistics of what it loaded for the next step to plan with', async () => {
  bucket.events('2018-11-01', [play({ userId: '1' }), play({ userId: '2' }), play({ userId: '3' })]);
  const warehouse = await harness.warehouse(bucket.dir);
  await warehouse.run(splitStatements(createStagingTables));
  await warehouse.run([
    `COPY staging_events FROM '${TEST_LOCATIONS.log_data_uri}/' IAM_ROLE '${TEST_LOCATIONS.iam_role}'
     FORMAT AS JSON '${TEST_LOCATIONS.log_jsonpath_uri}' TIMEFORMAT 'epochmillisecs' REGION '${TEST_LOCATIONS.data_region}'`,
  ]);
  expect(
    await select(
      warehouse,
      "SELECT n_distinct FROM pg_stats WHERE tablename = 'staging_events' AND attname = 'user_id'",
    ),
  ).toEqual([{ n_distinct: -1 }]);
});

test("a batch that creates the staging tables gets statistics on the trimmed names a play is matched on, the catalogue's from a larger sample", async () => {
  const warehouse = await harness.warehouse(bucket.dir);
  await warehouse.run(splitStatements(createStagingTables));
  await warehouse.run(splitStatements(createStagingTables));
  expect(
    await select(
      warehouse,
      `SELECT stxname, array_to_string(pg_get_statisticsobjdef_expressions(oid), ', ') AS expressions,
              COALESCE(stxstattarget, -1) AS sample_target FROM pg_statistic_ext
        WHERE stxnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND stxname LIKE '%\\_local' ORDER BY stxname`,
    ),
  ).toEqual([
    {
      stxname: 'staging_events_match_local',
      expressions: 'rtrim((song)::text), rtrim((artist)::text)',
      sample_target: -1,
    },
    {
      stxname: 'staging_songs_match_local',
      expressions: 'rtrim((title)::text), rtrim((artist_name)::text)',
      sample_target: 100,
    },
  ]);
});

describe('an INSERT that grows a table by a large share leaves statistics for the statements after it', () => {
  const reltuples = async (warehouse: Parameters<typeof select>[0]) =>
    (await select(warehouse, "SELECT reltuples FROM pg_class WHERE oid = to_regclass('plays')"))[0]
      ?.reltuples;
  const insertRows = (from: number, to: number) =>
    `INSERT INTO plays (n) SELECT n FROM generate_series(${from}, ${to}) AS rows (n)`;

  test('a large insert is analyzed within its own batch; a small one is not', async () => {
    const warehouse = await harness.warehouse(bucket.dir);
    await warehouse.run(['CREATE TABLE plays (n INTEGER)', insertRows(1, 100)]);
    expect(await reltuples(warehouse)).toBe(-1);
    const [, seen] = await warehouse.run([
      insertRows(101, 20_100),
      "SELECT reltuples FROM pg_class WHERE oid = to_regclass('plays')",
    ]);
    expect(seen?.result?.rows).toEqual([{ reltuples: 20_100 }]);
  });

  test('an insert adding a small share of an analyzed table leaves its statistics as they were', async () => {
    const warehouse = await harness.warehouse(bucket.dir);
    await warehouse.run(['CREATE TABLE plays (n INTEGER)', insertRows(1, 200_000)]);
    await warehouse.run([insertRows(200_001, 215_000)]);
    expect(await reltuples(warehouse)).toBe(200_000);
  });

  test('a temporary table filled in a batch is analyzed there, and ends with the batch', async () => {
    const warehouse = await harness.warehouse(bucket.dir);
    const [, , seen] = await warehouse.run([
      'CREATE TEMP TABLE plays (n INTEGER)',
      insertRows(1, 20_000),
      "SELECT reltuples FROM pg_class WHERE oid = to_regclass('plays')",
    ]);
    expect(seen?.result?.rows).toEqual([{ reltuples: 20_000 }]);
    expect(await reltuples(warehouse)).toBeUndefined();
  });
});

test.each([
  ['INSERT INTO songplays (songplay_id) SELECT 1', 'songplays'],
  ['insert into public."Time" SELECT 1', 'public."Time"'],
  ['DELETE FROM songplays', undefined],
  ['WITH x AS (SELECT 1) INSERT INTO songplays SELECT * FROM x', undefined],
])('the table %p inserts into: %p', (sql, table) => {
  expect(insertedTable(sql)).toBe(table);
});

test.each([
  ['CREATE TABLE IF NOT EXISTS songplays (songplay_id CHAR(32))', true],
  ['create table songs (song_id VARCHAR(32))', true],
  ['CREATE TEMP TABLE run_plays (songplay_id CHAR(32))', false],
  ['CREATE LOCAL TEMPORARY TABLE run_users (user_id INTEGER)', false],
  [
    'CREATE PROCEDURE etl_assert_checks() AS $$ BEGIN CREATE TABLE x (a INTEGER); END $$ LANGUAGE plpgsql',
    false,
  ],
])('%p creates a lasting table: %p', (sql, creates) => {
  expect(createsTable(sql)).toBe(creates);
});
