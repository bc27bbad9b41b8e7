import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { formatLogJsonPaths } from '../../local/generator';

export type SongRecord = Record<string, unknown> & {
  song_id: string;
  title: string;
  artist_id: string;
  artist_name: string;
};
export type EventRecord = Record<string, unknown>;

/** Gives each test of the file a new, empty TestBucket (through `assign`), removed after the test. */
export function bucketPerTest(assign: (bucket: TestBucket) => void): void {
  let current: TestBucket | undefined;
  beforeEach(() => {
    current = new TestBucket();
    assign(current);
  });
  afterEach(() => current?.cleanup());
}

/** A small S3-layout data directory for one test; removed by `cleanup()`. */
export class TestBucket {
  readonly dir = mkdtempSync(join(tmpdir(), 'sparkify-test-'));

  constructor() {
    this.write('log_json_path.json', formatLogJsonPaths());
  }

  write(key: string, text: string): this {
    mkdirSync(dirname(join(this.dir, key)), { recursive: true });
    writeFileSync(join(this.dir, key), text);
    return this;
  }

  song(trackId: string, song: SongRecord): this {
    const record = {
      artist_latitude: null,
      artist_location: '',
      artist_longitude: null,
      duration: 200,
      num_songs: 1,
      year: 0,
      ...song,
    };
    return this.write(
      `song_data/${trackId[2]}/${trackId[3]}/${trackId[4]}/${trackId}.json`,
      JSON.stringify(record),
    );
  }

  events(day: string, events: readonly EventRecord[]): this {
    const [year, month] = day.split('-');
    return this.write(
      `log_data/${year}/${month}/${day}-events.json`,
      events.map((e) => JSON.stringify(e)).join('\n'),
    );
  }

  /** COPY fails on a prefix that matches nothing, as Redshift's does: a song no play names. */
  unplayedSong(): this {
    return this.song('TRZZZZZ0000000001', {
      song_id: 'SOUNPLAYED',
      title: 'Unplayed',
      artist_id: 'ARNOBODY',
      artist_name: 'Nobody',
    });
  }

  /** A log file whose only event makes no user and no play. */
  anonymousVisit(): this {
    return this.events('2018-11-30', [
      { ...play({}), page: 'Home', auth: 'Logged Out', userId: '', song: null, artist: null, length: null },
    ]);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let sequence = 0;

/** A logged-in NextSong event with every field filled; override what the test is about. */
export function play(overrides: EventRecord): EventRecord {
  sequence++;
  return {
    artist: 'Artist',
    auth: 'Logged In',
    firstName: 'Ada',
    gender: 'F',
    itemInSession: sequence,
    lastName: 'Lovelace',
    length: 200,
    level: 'free',
    location: 'London',
    method: 'PUT',
    page: 'NextSong',
    registration: 1540919166796.0,
    sessionId: 1,
    song: 'Song',
    status: 200,
    ts: Date.UTC(2018, 10, 1, 12, 0, 0) + sequence,
    userAgent: 'Mozilla/5.0',
    userId: '1',
    ...overrides,
  };
}

/** Every file under a data directory with its S3 key, in key order. */
export function listKeys(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

export function readJsonLines(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}
