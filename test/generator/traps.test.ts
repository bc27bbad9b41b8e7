import { generateDataset } from '../../local/generator';
import { readDataset, tempDir, type Dataset } from './read-dataset';
import {
  daysPerUser,
  disagreeingArtists,
  duplicateTitles,
  lengthMismatches,
  levelAcrossDays,
  levelChanges,
  loggedOutEvents,
  playsOfDuplicates,
  sameTsPairs,
  sessionsAcrossMidnight,
  sharedTitles,
  unmatchedPlays,
} from './traps';

// Each trap is looked for in the files themselves (see ./traps.ts): in the default data set, in the
// default events and days with other seeds (fewer song files, which are slow to write), and in the
// smallest sizes that promise all of them (events = days + 20, 4 songs).
const cases: [string, { events?: number; songs?: number; days?: number; seed?: number }][] = [
  ['the default size', {}],
  ['8000 events over 30 days, 300 songs, seed 2', { songs: 300, seed: 2 }],
  ['8000 events over 30 days, 300 songs, seed 4294967295', { songs: 300, seed: 4294967295 }],
  ['22 events, 4 songs, 2 days', { events: 22, songs: 4, days: 2 }],
  ['50 events, 4 songs, 30 days, seed 9', { events: 50, songs: 4, days: 30, seed: 9 }],
];

describe.each(cases)('traps in a data set of %s', (_, options) => {
  const tmp = tempDir();
  let ds: Dataset;
  beforeAll(() => {
    generateDataset({ outDir: tmp.dir, ...options });
    ds = readDataset(tmp.dir);
  });
  afterAll(() => tmp.cleanup());

  test('a user upgrades (free → paid) and a user downgrades (paid → free) within the period', () => {
    const changes = levelChanges(ds);
    expect(changes).toContainEqual({ userId: '1', from: 'free', to: 'paid' });
    expect(changes).toContainEqual({ userId: '2', from: 'paid', to: 'free' });
  });

  test('logged-out events have an empty userId and null user fields', () => {
    const guests = loggedOutEvents(ds);
    expect(guests.length).toBeGreaterThan(0);
    expect(ds.events.filter((e) => e.userId === '')).toHaveLength(guests.length);
  });

  test('some plays match no catalogue song', () => {
    expect(unmatchedPlays(ds).length).toBeGreaterThan(0);
  });

  test('some plays match a catalogue song on title and artist but not on length', () => {
    expect(lengthMismatches(ds).length).toBeGreaterThan(0);
  });

  test('two catalogue songs share title and artist (other duration and song_id), and are played', () => {
    expect(duplicateTitles(ds).length).toBeGreaterThan(0);
    expect(playsOfDuplicates(ds).length).toBeGreaterThan(0);
  });

  test('one title belongs to several artists', () => {
    expect(sharedTitles(ds).length).toBeGreaterThan(0);
  });

  test('an artist_id has songs with a location and coordinates and songs with neither', () => {
    expect(disagreeingArtists(ds).length).toBeGreaterThan(0);
  });

  test('a user has two events with the same ts, told apart by itemInSession', () => {
    const pairs = sameTsPairs(ds);
    expect(pairs.length).toBeGreaterThan(0);
    for (const [a, b] of pairs) expect(a.itemInSession).not.toBe(b.itemInSession);
  });

  test("users' events spread over several days, and the level a user ends with differs from its first", () => {
    const days = daysPerUser(ds);
    expect(days.get('1')).toBeGreaterThanOrEqual(Math.min(3, ds.logs.length));
    expect(levelAcrossDays(ds)).toContain('1');
    expect(sessionsAcrossMidnight(ds).length).toBeGreaterThan(0);
  });
});
