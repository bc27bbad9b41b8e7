import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULTS, formatLogJsonPaths, generateDataset, type GenerateSummary } from '../../local/generator';
import { hasSharedData, SHARED_BUCKET as REAL_DATA } from '../support/shared-data';
import { formatProblems } from './format-problems';
import { readDataset, snapshot, tempDir, type Dataset } from './read-dataset';

// The real Udacity samples, when the shared folder sits beside the repository (as in CI).

const digest = (files: Map<string, string>) => {
  const h = createHash('sha256');
  for (const [k, v] of files) h.update(`${k}\u0000${v}\u0000`);
  return h.digest('hex');
};

describe('a data set of the default size', () => {
  const tmp = tempDir();
  let summary: GenerateSummary;
  let ds: Dataset;
  beforeAll(() => {
    summary = generateDataset({ outDir: tmp.dir });
    ds = readDataset(tmp.dir);
  });
  afterAll(() => tmp.cleanup());

  test('has the S3 key layout: song files, one log file per day, log_json_path.json', () => {
    expect(ds.songs).toHaveLength(DEFAULTS.songs);
    expect(ds.logs.map((l) => l.key)).toEqual(
      Array.from(
        { length: 30 },
        (_, i) => `log_data/2018/11/2018-11-${String(i + 1).padStart(2, '0')}-events.json`,
      ),
    );
    expect(ds.keys).toHaveLength(DEFAULTS.songs + 30 + 1);
    expect(ds.keys).toContain('log_json_path.json');
  });

  test('every file parses and is in the bucket format', () => {
    expect(formatProblems(ds)).toEqual([]);
  });

  test('counts match the arguments, and the summary matches the files', () => {
    const users = new Set(ds.events.map((e) => e.userId).filter((u) => u !== ''));
    const artists = new Set(ds.songs.map((s) => s.record.artist_id));
    expect(ds.events).toHaveLength(DEFAULTS.events);
    expect(summary).toMatchObject({
      events: DEFAULTS.events,
      songs: DEFAULTS.songs,
      nextSongEvents: ds.events.filter((e) => e.page === 'NextSong').length,
      users: users.size,
      artists: artists.size,
      files: { songs: DEFAULTS.songs, logs: 30, total: DEFAULTS.songs + 31 },
      logKeys: ds.logs.map((l) => l.key),
    });
    expect(summary.bytes).toBe([...snapshot(tmp.dir).values()].reduce((n, t) => n + Buffer.byteLength(t), 0));
  });

  test('looks like the real logs: mostly NextSong, a hundred users, several artists with more than one song', () => {
    const share = summary.nextSongEvents / summary.events;
    expect(share).toBeGreaterThan(0.75);
    expect(share).toBeLessThan(0.88);
    expect(summary.users).toBe(100);
    expect(summary.artists).toBeLessThan(summary.songs);
    const pages = new Set(ds.events.map((e) => e.page));
    for (const p of [
      'Home',
      'Login',
      'Logout',
      'Settings',
      'Upgrade',
      'Submit Upgrade',
      'Downgrade',
      'Help',
      'About',
    ])
      expect(pages).toContain(p);
    // Song files: empty locations, null coordinates and year 0 are all common.
    const songs = ds.songs.map((s) => s.record);
    for (const count of [
      songs.filter((s) => s.artist_location === '').length,
      songs.filter((s) => s.artist_latitude === null).length,
      songs.filter((s) => s.year === 0).length,
    ])
      expect(count / songs.length).toBeGreaterThan(0.2);
  });

  test('log_json_path.json holds the 18 JSONPaths, pretty-printed like the real file', () => {
    const text = readFileSync(join(tmp.dir, 'log_json_path.json'), 'utf8');
    expect(text).toBe(formatLogJsonPaths());
    expect(JSON.parse(text).jsonpaths).toHaveLength(18);
    expect(text.split('\n')[2]).toBe(`        "$['artist']",`);
    const real = join(REAL_DATA, 'log_json_path.json');
    if (hasSharedData(real)) expect(text).toBe(readFileSync(real, 'utf8'));
  });
});

describe('determinism', () => {
  const options = { events: 3000, songs: 150, days: 7, start: '2019-02-25' };
  const dirs = [tempDir(), tempDir(), tempDir(), tempDir()];
  afterAll(() => dirs.forEach((d) => d.cleanup()));

  test('the same arguments give byte-identical files; another seed gives other files', () => {
    const [a, b, c, d] = dirs.map((t) => t.dir) as [string, string, string, string];
    generateDataset({ outDir: a, ...options, seed: 7 });
    generateDataset({ outDir: b, ...options, seed: 7 });
    generateDataset({ outDir: c, ...options, seed: 8 });
    generateDataset({ outDir: d, ...options, seed: 7, events: 2000 });
    const [sa, sb, sc, sd] = [a, b, c, d].map(snapshot) as [Map<string, string>, ...Map<string, string>[]];
    expect([...sb!.keys()]).toEqual([...sa.keys()]);
    expect(digest(sb!)).toBe(digest(sa));
    expect(digest(sc!)).not.toBe(digest(sa));
    // No song key in common with another seed, and the same layout of days.
    const songKeys = (s: Map<string, string>) => [...s.keys()].filter((k) => k.startsWith('song_data/'));
    expect(songKeys(sc!).filter((k) => sa.has(k))).toEqual([]);
    expect([...sc!.keys()].filter((k) => k.startsWith('log_data/'))).toEqual(
      [...sa.keys()].filter((k) => k.startsWith('log_data/')),
    );
    // The catalogue depends on (seed, songs) only: fewer events, same song files.
    expect(songKeys(sd!).map((k) => sd!.get(k))).toEqual(songKeys(sa).map((k) => sa.get(k)));
  });

  test('crosses month and year boundaries in the log keys', () => {
    const tmp = tempDir();
    try {
      const s = generateDataset({ outDir: tmp.dir, events: 50, songs: 10, days: 3, start: '2019-12-31' });
      expect(s.logKeys).toEqual([
        'log_data/2019/12/2019-12-31-events.json',
        'log_data/2020/01/2020-01-01-events.json',
        'log_data/2020/01/2020-01-02-events.json',
      ]);
      expect(formatProblems(readDataset(tmp.dir))).toEqual([]);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('small and odd sizes', () => {
  test.each([
    [1, 1, 1],
    [2, 1, 1],
    [3, 2, 5],
    [7, 3, 2],
    [12, 4, 12],
    [25, 1, 1],
    [40, 2, 3],
    [200, 3, 1],
    [500, 50, 60],
  ])('%i events, %i songs, %i days: exact counts, valid files', (events, songs, days) => {
    const tmp = tempDir();
    try {
      const s = generateDataset({ outDir: tmp.dir, events, songs, days, seed: events });
      const ds = readDataset(tmp.dir);
      expect(formatProblems(ds)).toEqual([]);
      expect(ds.events).toHaveLength(events);
      expect(ds.songs).toHaveLength(songs);
      expect(ds.logs).toHaveLength(Math.min(events, days));
      expect(s.files.logs).toBe(ds.logs.length);
    } finally {
      tmp.cleanup();
    }
  });
});
