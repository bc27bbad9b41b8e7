/**
 * A deterministic generator of Sparkify data sets in the exact formats and S3 key layout of the Udacity
 * bucket (s3://udacity-dend): song_data/A/B/C/TRABC….json, log_data/YYYY/MM/YYYY-MM-DD-events.json and
 * log_json_path.json. Every value comes from seeded xoroshiro128+ streams (pure-rand), so the same
 * options give byte-identical files. Log lines are produced in timestamp order by merging the sessions
 * in progress and are streamed to disk day by day, so memory does not grow with the number of events.
 *
 * Formats, as in the bucket: song files hold one compact object with alphabetical keys and no trailing
 * newline; log files hold one compact object per line, keys in the logs' order, lines sorted by ts and
 * no newline after the last one; both escape '/' as '\/' and non-ASCII as '\uXXXX', and the logs
 * print `registration` as "1541044398796.0" and end every ts in 796 ms.
 *
 * Traps the pipeline must handle. Each is placed on purpose (not left to chance) in every data set of
 * the default size, and in every data set with --days >= 2, --songs >= 4 and --events >= days + 20
 * (the first day is given the events the trap sessions need; smaller sets keep what fits):
 *  1. Level changes: user "1" starts free and upgrades (Upgrade → Submit Upgrade; level "paid" from the
 *     next event on), and user "2" starts paid and downgrades (Downgrade → Submit Downgrade → "free").
 *     With a single user, that user does both. Other users change level now and then at random.
 *  2. Logged-out events: a session that starts logged out (auth "Logged Out", userId "", null
 *     firstName/lastName/gender/location/userAgent/registration) visits Home, logs in, plays a song,
 *     logs out and visits Home as a guest again. About 5% of random sessions also start logged out,
 *     and random Logouts leave guest events behind too.
 *  3. Unmatched plays: NextSong events of songs absent from song_data (22% of plays at random, and one
 *     on purpose), by artists the catalogue knows or does not know.
 *  4. Length mismatches: plays whose title and artist name match a catalogue song but whose length
 *     differs from its duration by 0.00001 to 2 seconds (4% of plays, and one on purpose).
 *  5. Repeated titles: two catalogue songs with the same title and artist (same artist_id and name),
 *     different durations and song_ids, and a third song with that title by another artist; both
 *     duplicates and the namesake are played. Common titles ("Intro", "Home", …) recur across artists
 *     by chance as well.
 *  6. One artist, disagreeing places: the duplicates' artist has a location with coordinates on one
 *     song, an empty location with null coordinates on another, and on a third song a shortened
 *     location with other coordinates. About 1 in 7 songs of other multi-song artists disagree too,
 *     and many songs have empty locations, null coordinates or year 0.
 *  7. Same ts: two events of one user in one session with the same ts (Home then NextSong; itemInSession
 *     tells them apart). 0.5% of page-to-page gaps are 0 besides.
 *  8. Users across days: user "1" comes back (now paid) on the second, the middle and the last day,
 *     and user "2" (now free) on the last day, so a user's level depends on loading the days in order.
 *     A session also starts a minute before midnight on the first day and goes on in the second day's
 *     file. Other users return on many days by chance.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildCatalogue, songFileContent, songKey } from './catalogue';
import { formatLogJsonPaths } from './json';
import { GeneratorArgumentError, resolveOptions, type GenerateOptions } from './options';
import { Rng } from './rng';
import { Simulation, type BuiltSession } from './sessions';
import { buildUsers, userCount } from './users';
import { DayFileWriter } from './writer';

export interface GenerateSummary {
  /** Absolute path of the data set's root. */
  readonly outDir: string;
  readonly seed: number;
  /** First day (YYYY-MM-DD) and number of days. */
  readonly start: string;
  readonly days: number;
  readonly files: {
    /** Song files written (= songs). */
    readonly songs: number;
    /** Log files written: one per day that has events (= days when events >= days). */
    readonly logs: number;
    /** songs + logs + 1 (log_json_path.json). */
    readonly total: number;
  };
  /** Bytes written in all files. */
  readonly bytes: number;
  /** Log lines written (= the events option). */
  readonly events: number;
  /** Of which page "NextSong". */
  readonly nextSongEvents: number;
  /** Songs in the catalogue (= the songs option). */
  readonly songs: number;
  /** Distinct artist_id in the catalogue. */
  readonly artists: number;
  /** Distinct non-empty userId in the logs. */
  readonly users: number;
  /** The log files' keys, relative to outDir, in date order. */
  readonly logKeys: readonly string[];
}

const GENERATED = ['song_data', 'log_data', 'log_json_path.json'];

function prepareOutDir(outDir: string, overwrite: boolean): void {
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory())
      throw new GeneratorArgumentError(`${outDir} exists and is not a directory`);
    if (readdirSync(outDir).length > 0) {
      if (!overwrite)
        throw new GeneratorArgumentError(
          `${outDir} is not empty: use --force (overwrite: true) to replace the data set in it`,
        );
      for (const name of GENERATED) rmSync(join(outDir, name), { recursive: true, force: true });
    }
  }
  mkdirSync(outDir, { recursive: true });
}

/** Min-heap of sessions in progress, by their next event's ts, then by build order. */
class SessionHeap {
  private readonly items: BuiltSession[] = [];

  private less(a: BuiltSession, b: BuiltSession): boolean {
    const ta = a.ts[a.pos] as number;
    const tb = b.ts[b.pos] as number;
    return ta < tb || (ta === tb && a.seq < b.seq);
  }

  peek(): BuiltSession | undefined {
    return this.items[0];
  }

  push(s: BuiltSession): void {
    const items = this.items;
    items.push(s);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i] as BuiltSession, items[parent] as BuiltSession)) break;
      [items[i], items[parent]] = [items[parent] as BuiltSession, items[i] as BuiltSession];
      i = parent;
    }
  }

  /** Restores order after the top's key grew, or removes the top if it is used up. */
  advanceTop(): void {
    const items = this.items;
    const top = items[0] as BuiltSession;
    if (top.pos >= top.ts.length) {
      const last = items.pop() as BuiltSession;
      if (items.length === 0) return;
      items[0] = last;
    }
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && this.less(items[l] as BuiltSession, items[m] as BuiltSession)) m = l;
      if (r < items.length && this.less(items[r] as BuiltSession, items[m] as BuiltSession)) m = r;
      if (m === i) return;
      [items[i], items[m]] = [items[m] as BuiltSession, items[i] as BuiltSession];
      i = m;
    }
  }
}

/** Writes a data set (see the comment at the top of this file) and says what it wrote. */
export function generateDataset(options: GenerateOptions): GenerateSummary {
  const o = resolveOptions(options);
  const outDir = resolve(o.outDir);
  prepareOutDir(outDir, o.overwrite);
  // Separate streams: the catalogue depends only on (seed, songs), the users on (seed, events).
  const [catalogueRng, userRng, planRng, sessionRng] = Rng.streams(o.seed, 4) as [Rng, Rng, Rng, Rng];

  const catalogue = buildCatalogue(catalogueRng, o.songs);
  let bytes = 0;
  const madeDirs = new Set<string>();
  for (const song of catalogue.songs) {
    const path = join(outDir, songKey(song.trackId));
    const dir = dirname(path);
    if (!madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    const content = songFileContent(song);
    writeFileSync(path, content);
    bytes += Buffer.byteLength(content);
  }
  const jsonPaths = formatLogJsonPaths();
  writeFileSync(join(outDir, 'log_json_path.json'), jsonPaths);
  bytes += jsonPaths.length;

  const users = buildUsers(userRng, userCount(o.events), o.startSec);
  const simulation = new Simulation(
    { events: o.events, days: o.days, startSec: o.startSec },
    catalogue,
    users,
    planRng,
    sessionRng,
  );
  const writer = new DayFileWriter(outDir, o.startSec * 1000, (o.startSec + o.days * 86400) * 1000);
  const heap = new SessionHeap();
  let written = 0;
  try {
    let plan = simulation.nextPlan();
    for (;;) {
      const top = heap.peek();
      // Build a session once the merge reaches its planned start (it cannot start earlier).
      if (plan && (!top || plan.start * 1000 + 796 <= (top.ts[top.pos] as number))) {
        const session = simulation.build(plan);
        if (session.ts.length > 0) heap.push(session);
        plan = simulation.nextPlan();
        continue;
      }
      if (!top) break;
      writer.write(top.ts[top.pos] as number, top.line(top.pos));
      written++;
      top.pos++;
      heap.advanceTop();
    }
  } finally {
    writer.close();
  }
  if (written !== o.events) throw new Error(`internal error: wrote ${written} events, expected ${o.events}`);
  bytes += writer.bytes;

  return {
    outDir,
    seed: o.seed,
    start: o.start,
    days: o.days,
    files: {
      songs: catalogue.songs.length,
      logs: writer.keys.length,
      total: catalogue.songs.length + writer.keys.length + 1,
    },
    bytes,
    events: written,
    nextSongEvents: simulation.nextSongCount,
    songs: catalogue.songs.length,
    artists: catalogue.artistCount,
    users: users.filter((u) => u.seen).length,
    logKeys: writer.keys,
  };
}
