import { join } from 'node:path';
import { listKeys, readJsonLines } from './dataset';

/**
 * The star schema computed straight from the raw files by the rules of the issue, in plain
 * TypeScript and without SQL: what the pipeline's tables must equal.
 */
export interface ExpectedWarehouse {
  stagedEvents: number;
  stagedSongs: number;
  songplays: Map<
    string,
    {
      start_time: number;
      user_id: number;
      level: unknown;
      song_id: string | null;
      artist_id: string | null;
      session_id: number;
      item_in_session: number;
      location: unknown;
      user_agent: unknown;
    }
  >;
  users: Map<number, { first_name: unknown; last_name: unknown; gender: unknown; level: unknown }>;
  songs: Map<string, { title: string; artist_id: string; year: unknown; duration: unknown }>;
  artists: Map<string, { name: string; location: unknown; latitude: unknown; longitude: unknown }>;
  time: Map<
    number,
    { hour: number; day: number; week: number; month: number; year: number; weekday: number }
  >;
}

type Song = Record<string, unknown> & {
  song_id: string;
  title: string;
  artist_id: string;
  artist_name: string;
  duration: number;
};
type Event = Record<string, unknown> & {
  page: string;
  userId: string;
  sessionId: number;
  itemInSession: number;
  ts: number;
};

/** Redshift ignores a VARCHAR's trailing blanks when it compares, so a match does too. */
const matchKey = (title: unknown, artist: unknown): string | undefined =>
  typeof title === 'string' && typeof artist === 'string'
    ? `${title.trimEnd()}\u0000${artist.trimEnd()}`
    : undefined;

export const playKey = (userId: number | string, sessionId: number, item: number) =>
  `${userId}|${sessionId}|${item}`;

export function expectedWarehouse(
  dataDir: string,
  logPrefix = 'log_data/',
  songPrefix = 'song_data/',
): ExpectedWarehouse {
  const keys = listKeys(dataDir);
  const songs = keys
    .filter((k) => k.startsWith(songPrefix))
    .flatMap((k) => readJsonLines(join(dataDir, k)) as Song[]);
  const events = keys
    .filter((k) => k.startsWith(logPrefix))
    .flatMap((k) => readJsonLines(join(dataDir, k)) as Event[]);
  return deriveWarehouse(songs, events);
}

/** How COPY stores a JSON value in a VARCHAR column: text as is, anything else as its JSON text. */
const asText = (value: unknown) =>
  value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value);

export function deriveWarehouse(rawSongs: readonly Song[], rawEvents: readonly Event[]): ExpectedWarehouse {
  const songs: Song[] = rawSongs.map((s) => ({
    ...s,
    title: asText(s.title)!,
    artist_name: asText(s.artist_name)!,
    artist_location: asText(s.artist_location),
  }));
  const events = rawEvents.map((e) => {
    const text = Object.fromEntries(
      ['artist', 'song', 'level', 'location', 'userAgent', 'firstName', 'lastName', 'gender', 'userId'].map(
        (k) => [k, asText(e[k])],
      ),
    );
    return { ...e, ...text } as Event;
  });
  const byTitleArtist = new Map<string, Song[]>();
  for (const song of songs) {
    const key = matchKey(song.title, song.artist_name)!;
    byTitleArtist.set(key, [...(byTitleArtist.get(key) ?? []), song]);
  }

  const songplays: ExpectedWarehouse['songplays'] = new Map();
  for (const event of events) {
    if (event.page !== 'NextSong' || event.userId === '') continue;
    const candidates = [...(byTitleArtist.get(matchKey(event.song, event.artist) ?? '') ?? [])].sort(
      (a, b) =>
        Math.abs(a.duration - Number(event.length)) - Math.abs(b.duration - Number(event.length)) ||
        (a.song_id < b.song_id ? -1 : a.song_id > b.song_id ? 1 : 0),
    );
    const match = candidates[0];
    songplays.set(playKey(Number(event.userId), event.sessionId, event.itemInSession), {
      start_time: event.ts,
      user_id: Number(event.userId),
      level: event.level,
      song_id: match?.song_id ?? null,
      artist_id: match?.artist_id ?? null,
      session_id: event.sessionId,
      item_in_session: event.itemInSession,
      location: event.location,
      user_agent: event.userAgent,
    });
  }

  const latest = new Map<number, Event>();
  for (const event of events) {
    if (event.userId === '') continue;
    const id = Number(event.userId);
    const known = latest.get(id);
    if (
      !known ||
      event.ts > known.ts ||
      (event.ts === known.ts && event.itemInSession > known.itemInSession)
    ) {
      latest.set(id, event);
    }
  }
  const users: ExpectedWarehouse['users'] = new Map(
    [...latest].map(([id, e]) => [
      id,
      { first_name: e.firstName, last_name: e.lastName, gender: e.gender, level: e.level },
    ]),
  );

  const songRows: ExpectedWarehouse['songs'] = new Map(
    songs.map((s) => [
      s.song_id,
      { title: s.title, artist_id: s.artist_id, year: s.year, duration: s.duration },
    ]),
  );

  const rank = (s: Song) => [
    s.artist_latitude === null ? 1 : 0,
    s.artist_location === null || s.artist_location === '' ? 1 : 0,
  ];
  const artists: ExpectedWarehouse['artists'] = new Map();
  const chosen = new Map<string, Song>();
  for (const song of songs) {
    const known = chosen.get(song.artist_id);
    if (!known) {
      chosen.set(song.artist_id, song);
      continue;
    }
    const [a, b] = [rank(song), rank(known)];
    if (
      a[0]! < b[0]! ||
      (a[0] === b[0] && (a[1]! < b[1]! || (a[1] === b[1] && song.song_id < known.song_id)))
    ) {
      chosen.set(song.artist_id, song);
    }
  }
  for (const [id, s] of chosen) {
    artists.set(id, {
      name: s.artist_name,
      location: s.artist_location,
      latitude: s.artist_latitude,
      longitude: s.artist_longitude,
    });
  }

  const time: ExpectedWarehouse['time'] = new Map();
  for (const { start_time } of songplays.values()) {
    const date = new Date(start_time);
    time.set(start_time, {
      hour: date.getUTCHours(),
      day: date.getUTCDate(),
      week: isoWeek(date),
      month: date.getUTCMonth() + 1,
      year: date.getUTCFullYear(),
      weekday: date.getUTCDay(),
    });
  }

  return {
    stagedEvents: events.length,
    stagedSongs: songs.length,
    songplays,
    users,
    songs: songRows,
    artists,
    time,
  };
}

/** ISO 8601 week number: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(date: Date): number {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  day.setUTCDate(day.getUTCDate() + 4 - (day.getUTCDay() || 7));
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  return Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
}
