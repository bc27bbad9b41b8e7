// The report's answers computed from the data set's files in plain TypeScript, by way of the
// star-schema oracle and the raw events, never by running the report's SQL.
import { join } from 'node:path';
import { listKeys, readJsonLines } from '../support/dataset';
import { expectedWarehouse, playKey } from '../support/oracle';

type Value = string | number | boolean | null;
type Row = Record<string, Value>;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Code-unit order, which is byte order for these texts: Redshift's, and the test engines' C collation. */
const compareText = (a: Value, b: Value) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : String(a) < String(b) ? -1 : 1;

function countBy<T>(items: Iterable<T>, key: (item: T) => string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/** The top 10 of `counts`, most first, ties in text order of `columns` as the key joins them. */
function top10(counts: Map<string, number>, columns: readonly string[]): Row[] {
  return [...counts]
    .map(([key, plays]) => ({ names: key.split('\u0000'), plays }))
    .sort(
      (a, b) =>
        b.plays - a.plays || a.names.reduce((order, name, i) => order || compareText(name, b.names[i]!), 0),
    )
    .map(({ names, plays }): Row => ({ ...Object.fromEntries(names.map((v, i) => [columns[i]!, v])), plays }))
    .slice(0, 10);
}

interface RawEvent {
  page: string;
  userId: string;
  sessionId: number;
  itemInSession: number;
  song: string | null;
  artist: string | null;
}

export function expectedAnswers(dataDir: string): Record<string, Row[]> {
  const w = expectedWarehouse(dataDir);
  const plays = [...w.songplays.values()];
  const tableCounts: Row[] = [
    { table_name: 'artists', row_count: w.artists.size },
    { table_name: 'songplays', row_count: w.songplays.size },
    { table_name: 'songs', row_count: w.songs.size },
    { table_name: 'staging_events', row_count: w.stagedEvents },
    { table_name: 'staging_songs', row_count: w.stagedSongs },
    { table_name: 'time', row_count: w.time.size },
    { table_name: 'users', row_count: w.users.size },
  ];

  const byHour = countBy(plays, (p) => String(new Date(p.start_time).getUTCHours()));
  const byWeekday = countBy(plays, (p) => `${new Date(p.start_time).getUTCDay()}\u0000${String(p.level)}`);
  const byDay = countBy(plays, (p) => new Date(p.start_time).toISOString().slice(0, 10));

  const matched = plays.filter((p) => p.song_id !== null);
  const songCounts = countBy(
    matched,
    (p) => `${w.songs.get(p.song_id!)!.title}\u0000${w.artists.get(p.artist_id!)!.name}`,
  );
  const artistCounts = countBy(matched, (p) => w.artists.get(p.artist_id!)!.name);
  const locationCounts = countBy(plays, (p) => (p.location === null ? undefined : String(p.location)));

  const users = [...w.users.values()];
  const userGroups = new Map<string, Row>();
  for (const user of users) {
    const key = JSON.stringify([user.level, user.gender]);
    const row = userGroups.get(key) ?? { level: user.level as Value, gender: user.gender as Value, users: 0 };
    row.users = Number(row.users) + 1;
    userGroups.set(key, row);
  }

  const levelsByUser = new Map<number, { level: unknown; at: number }[]>();
  for (const p of plays)
    levelsByUser.set(p.user_id, [
      ...(levelsByUser.get(p.user_id) ?? []),
      { level: p.level, at: p.start_time },
    ]);
  const moved = (from: string, to: string) =>
    [...levelsByUser.values()].filter((history) => {
      const firstFrom = Math.min(...history.filter((h) => h.level === from).map((h) => h.at));
      const lastTo = Math.max(...history.filter((h) => h.level === to).map((h) => h.at));
      return firstFrom < lastTo;
    }).length;

  const events = listKeys(dataDir)
    .filter((key) => key.startsWith('log_data/'))
    .flatMap((key) => readJsonLines(join(dataDir, key)) as RawEvent[]);
  const unmatchedPairs = new Map<string, Set<string>>();
  for (const e of events) {
    if (e.page !== 'NextSong' || e.userId === '') continue;
    const key = playKey(Number(e.userId), e.sessionId, e.itemInSession);
    if (w.songplays.get(key)?.song_id !== null) continue;
    const pair = `${e.song}\u0000${e.artist}`;
    unmatchedPairs.set(pair, (unmatchedPairs.get(pair) ?? new Set()).add(key));
  }

  return {
    row_counts: tableCounts,
    plays_by_hour: [...byHour]
      .map(([hour, n]) => ({ hour: Number(hour), plays: n }))
      .sort((a, b) => a.hour - b.hour),
    plays_by_weekday: [...byWeekday]
      .map(([key, n]) => {
        const [weekday, level] = key.split('\u0000') as [string, string];
        return { weekday: Number(weekday), day_name: WEEKDAYS[Number(weekday)]!, level, plays: n };
      })
      .sort((a, b) => a.weekday - b.weekday || compareText(a.level, b.level)),
    daily_plays: [...byDay].map(([day, n]) => ({ day, plays: n })).sort((a, b) => compareText(a.day, b.day)),
    top_songs: top10(songCounts, ['title', 'artist']),
    top_artists: top10(artistCounts, ['artist']),
    top_locations: top10(locationCounts, ['location']),
    users_by_level: [...userGroups.values()].sort(
      (a, b) => compareText(a.level!, b.level!) || compareText(a.gender!, b.gender!),
    ),
    level_changes: [{ free_to_paid: moved('free', 'paid'), paid_to_free: moved('paid', 'free') }],
    catalogue_match: [
      {
        plays: plays.length,
        matched_plays: matched.length,
        unmatched_plays: plays.length - matched.length,
        catalogue_songs: w.songs.size,
      },
    ],
    top_unmatched: top10(new Map([...unmatchedPairs].map(([pair, keys]) => [pair, keys.size])), [
      'title',
      'artist',
    ]),
  };
}
