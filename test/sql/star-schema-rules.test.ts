import { bucketPerTest, TestBucket, play } from '../support/dataset';
import { PipelineHarness, epochMs, runFull, select, snapshotTables } from '../support/warehouse-harness';

// Each test builds a tiny bucket that isolates one rule of the star schema, runs the pipeline on
// it as deployed (the synthesized state machine, the real handlers, the SQL files) on the local
// engine, and reads the tables back.

const harness = new PipelineHarness();
let bucket: TestBucket;
bucketPerTest((fresh) => (bucket = fresh));
afterAll(() => harness.close());

async function load() {
  const pipeline = await harness.pipeline(bucket.dir);
  await runFull(pipeline);
  return pipeline;
}

const song = (song_id: string, title: string, artist_name: string, extra: Record<string, unknown> = {}) => ({
  song_id,
  title,
  artist_name,
  artist_id: `AR${artist_name.toUpperCase().replace(/\W/g, '')}`,
  ...extra,
});

describe('songplays', () => {
  test('one row per NextSong event; other pages make none', async () => {
    bucket
      .song('TRAAAAA0000000001', song('SOA', 'Song', 'Artist'))
      .events('2018-11-01', [
        play({ itemInSession: 0, page: 'Home', song: null, artist: null, length: null, method: 'GET' }),
        play({ itemInSession: 1 }),
        play({ itemInSession: 2 }),
        play({ itemInSession: 3, page: 'Logout', song: null, artist: null, length: null }),
      ]);
    const warehouse = await load();
    const rows = await select(warehouse, 'SELECT item_in_session FROM songplays ORDER BY item_in_session');
    expect(rows.map((row) => row.item_in_session)).toEqual([1, 2]);
  });

  test('the same event staged twice lands once, keyed by (user_id, session_id, item_in_session)', async () => {
    const event = play({ userId: '7', sessionId: 70, itemInSession: 4 });
    bucket.unplayedSong().events('2018-11-01', [event, event]).events('2018-11-02', [event]);
    const warehouse = await load();
    const rows = await select(warehouse, 'SELECT user_id, session_id, item_in_session FROM songplays');
    expect(rows).toEqual([{ user_id: 7, session_id: 70, item_in_session: 4 }]);
  });

  test('trailing blanks do not stop a match, as Redshift compares VARCHARs; other blanks do', async () => {
    bucket
      .song('TRAAAAA0000000001', song('SOANGIE', 'Angie', 'The Rolling Stones'))
      .events('2018-11-01', [
        play({ itemInSession: 1, song: 'Angie ', artist: 'The Rolling Stones  ' }),
        play({ itemInSession: 2, song: ' Angie', artist: 'The Rolling Stones' }),
      ]);
    const warehouse = await load();
    const rows = await select(
      warehouse,
      'SELECT item_in_session, song_id FROM songplays ORDER BY item_in_session',
    );
    expect(rows).toEqual([
      { item_in_session: 1, song_id: 'SOANGIE' },
      { item_in_session: 2, song_id: null },
    ]);
  });

  test('several matching songs: the closest duration wins, ties go to the smallest song_id, no duplicates', async () => {
    bucket
      .song('TRAAAAA0000000001', song('SOFAR', 'Echo', 'Band', { duration: 200 }))
      .song('TRAAAAA0000000002', song('SOCLOSE', 'Echo', 'Band', { duration: 250 }))
      .song('TRAAAAB0000000001', song('SOTIEB', 'Twin', 'Band', { duration: 190 }))
      .song('TRAAAAB0000000002', song('SOTIEA', 'Twin', 'Band', { duration: 210 }))
      .events('2018-11-01', [
        play({ itemInSession: 1, song: 'Echo', artist: 'Band', length: 245 }),
        play({ itemInSession: 2, song: 'Twin', artist: 'Band', length: 200 }),
      ]);
    const warehouse = await load();
    const rows = await select(
      warehouse,
      'SELECT item_in_session, song_id FROM songplays ORDER BY item_in_session',
    );
    expect(rows).toEqual([
      { item_in_session: 1, song_id: 'SOCLOSE' },
      { item_in_session: 2, song_id: 'SOTIEA' },
    ]);
  });

  test('a play matches on title AND artist name; an unmatched play is kept with NULL ids', async () => {
    bucket
      .song('TRAAAAA0000000001', song('SOOTHER', 'Same Title', 'Other Artist'))
      .events('2018-11-01', [play({ itemInSession: 1, song: 'Same Title', artist: 'Artist' })]);
    const warehouse = await load();
    const rows = await select(warehouse, 'SELECT song_id, artist_id FROM songplays');
    expect(rows).toEqual([{ song_id: null, artist_id: null }]);
  });

  test('songplay_id is derived from the play key, so it never changes between loads', async () => {
    bucket.unplayedSong().events('2018-11-01', [play({ userId: '3', sessionId: 30, itemInSession: 5 })]);
    const warehouse = await load();
    const [row] = await select(warehouse, "SELECT songplay_id, MD5('3-30-5') AS expected FROM songplays");
    expect(row?.songplay_id).toBe(row?.expected);
  });
});

describe('users', () => {
  test("attributes and level come from the user's latest event by (ts, itemInSession)", async () => {
    const ts = Date.UTC(2018, 10, 20, 10);
    bucket
      .unplayedSong()
      .events('2018-11-20', [
        play({ userId: '5', level: 'paid', lastName: 'Later', ts, sessionId: 9, itemInSession: 3 }),
        // Same ts, lower itemInSession: older, must not win.
        play({ userId: '5', level: 'free', lastName: 'Tie', ts, sessionId: 9, itemInSession: 2 }),
      ])
      .events('2018-11-02', [
        play({ userId: '5', level: 'free', lastName: 'Earlier', ts: Date.UTC(2018, 10, 2) }),
      ]);
    const warehouse = await load();
    expect(await select(warehouse, 'SELECT user_id, last_name, level FROM users')).toEqual([
      { user_id: 5, last_name: 'Later', level: 'paid' },
    ]);
  });

  test('logged-out events (empty userId) make no user; users seen only outside NextSong do', async () => {
    bucket.unplayedSong().events('2018-11-01', [
      play({
        userId: '',
        page: 'Home',
        auth: 'Logged Out',
        firstName: null,
        lastName: null,
        gender: null,
        level: 'free',
      }),
      play({ userId: '12', page: 'Settings', song: null, artist: null, length: null }),
    ]);
    const warehouse = await load();
    expect(await select(warehouse, 'SELECT user_id FROM users')).toEqual([{ user_id: 12 }]);
  });
});

describe('songs and artists', () => {
  test('one song row per song_id even when two files carry it', async () => {
    bucket
      .anonymousVisit()
      .song('TRAAAAA0000000001', song('SODUP', 'Dup', 'Band'))
      .song('TRAAAAA0000000002', song('SODUP', 'Dup', 'Band'));
    const warehouse = await load();
    expect(await select(warehouse, 'SELECT song_id, title FROM songs')).toEqual([
      { song_id: 'SODUP', title: 'Dup' },
    ]);
  });

  test('disagreeing songs: the artist record with coordinates, then a location, then the smallest song_id', async () => {
    const artist = { artist_id: 'ARX', artist_name: 'X' };
    bucket
      .anonymousVisit()
      .song('TRAAAAA0000000001', { song_id: 'SO1', title: 'a', ...artist, artist_location: '' })
      .song('TRAAAAA0000000002', { song_id: 'SO2', title: 'b', ...artist, artist_location: 'Somewhere' })
      .song('TRAAAAA0000000003', {
        song_id: 'SO3',
        title: 'c',
        ...artist,
        artist_location: '',
        artist_latitude: 51.5,
        artist_longitude: -0.1,
      })
      .song('TRAAAAB0000000001', {
        song_id: 'SO9',
        title: 'd',
        artist_id: 'ARY',
        artist_name: 'Y',
        artist_location: 'Late',
      })
      .song('TRAAAAB0000000002', {
        song_id: 'SO8',
        title: 'e',
        artist_id: 'ARY',
        artist_name: 'Y',
        artist_location: 'Early',
      })
      .song('TRAAAAB0000000003', {
        song_id: 'SO7',
        title: 'f',
        artist_id: 'ARY',
        artist_name: 'Y',
        artist_location: null,
      });
    const warehouse = await load();
    expect(
      await select(warehouse, 'SELECT artist_id, location, latitude FROM artists ORDER BY artist_id'),
    ).toEqual([
      { artist_id: 'ARX', location: '', latitude: 51.5 },
      { artist_id: 'ARY', location: 'Early', latitude: null },
    ]);
  });
});

describe('time', () => {
  test.each([
    // [timestamp, ISO week, weekday (0 = Sunday)]
    [Date.UTC(2018, 10, 4, 23, 59, 59, 123), 44, 0],
    [Date.UTC(2018, 11, 31, 0, 0, 0, 1), 1, 1],
    [Date.UTC(2021, 0, 1, 6, 30, 0, 999), 53, 5],
  ])('start_time %p keeps milliseconds; ISO week %p; weekday %p', async (ts, week, weekday) => {
    bucket.unplayedSong().events('2018-11-01', [play({ ts })]);
    const warehouse = await load();
    const [row] = await select(warehouse, 'SELECT * FROM time');
    const date = new Date(ts);
    expect(epochMs(row?.start_time)).toBe(ts);
    expect(row).toMatchObject({
      hour: date.getUTCHours(),
      day: date.getUTCDate(),
      week,
      month: date.getUTCMonth() + 1,
      year: date.getUTCFullYear(),
      weekday,
    });
  });

  test('one row per distinct start_time', async () => {
    const ts = Date.UTC(2018, 10, 5, 8);
    bucket.unplayedSong().events('2018-11-05', [play({ ts, userId: '1' }), play({ ts, userId: '2' })]);
    const warehouse = await load();
    expect(await select(warehouse, 'SELECT COUNT(*) AS n FROM time')).toEqual([{ n: 1 }]);
  });
});

test('running the pipeline twice leaves every table exactly as after one run', async () => {
  bucket
    .song('TRAAAAA0000000001', song('SOA', 'Song', 'Artist'))
    .events('2018-11-01', [play({ userId: '1', level: 'free' }), play({ userId: '2' })])
    .events('2018-11-02', [
      play({ userId: '1', level: 'paid' }),
      play({ userId: '', page: 'Home', song: null }),
    ]);
  const warehouse = await load();
  const once = await snapshotTables(warehouse);
  await runFull(warehouse);
  expect(await snapshotTables(warehouse)).toEqual(once);
});
