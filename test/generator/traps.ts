// Finds each trap of the generator (see local/generator/generate.ts) in a data set read from disk.
// Every finder returns the evidence it found (an empty list when the trap is absent).
import { groupBy, type Dataset, type Event } from './read-dataset';

const pair = (title: string | null, artist: string | null) => `${artist}\u0000${title}`;

function sessions(ds: Dataset): Map<string, (Event & { file: string })[]> {
  const m = groupBy(ds.events, (e) => String(e.sessionId));
  for (const list of m.values()) list.sort((a, b) => a.itemInSession - b.itemInSession);
  return m;
}

/** [user, from level, to level] for each Submit Upgrade / Submit Downgrade whose next event shows the change. */
export function levelChanges(ds: Dataset): { userId: string; from: string; to: string }[] {
  const out: { userId: string; from: string; to: string }[] = [];
  for (const list of sessions(ds).values()) {
    list.forEach((e, i) => {
      const next = list[i + 1];
      if (!next || (e.page !== 'Submit Upgrade' && e.page !== 'Submit Downgrade')) return;
      if (e.page === 'Submit Upgrade' && e.level === 'free' && next.level === 'paid')
        out.push({ userId: e.userId, from: 'free', to: 'paid' });
      if (e.page === 'Submit Downgrade' && e.level === 'paid' && next.level === 'free')
        out.push({ userId: e.userId, from: 'paid', to: 'free' });
    });
  }
  return out;
}

export function loggedOutEvents(ds: Dataset): Event[] {
  return ds.events.filter(
    (e) =>
      e.userId === '' &&
      e.auth === 'Logged Out' &&
      e.firstName === null &&
      e.lastName === null &&
      e.gender === null &&
      e.location === null &&
      e.userAgent === null &&
      e.registration === null,
  );
}

function catalogueByPair(ds: Dataset) {
  return groupBy(ds.songs, (s) => pair(s.record.title, s.record.artist_name));
}

export function unmatchedPlays(ds: Dataset): Event[] {
  const byPair = catalogueByPair(ds);
  return ds.events.filter((e) => e.page === 'NextSong' && !byPair.has(pair(e.song, e.artist)));
}

/** Plays that match catalogue songs on title and artist name, but none of them on duration. */
export function lengthMismatches(ds: Dataset): Event[] {
  const byPair = catalogueByPair(ds);
  return ds.events.filter((e) => {
    const songs = e.page === 'NextSong' ? byPair.get(pair(e.song, e.artist)) : undefined;
    return songs !== undefined && !songs.some((s) => s.record.duration === e.length);
  });
}

/** Catalogue groups of one title and artist name with several song_ids and durations. */
export function duplicateTitles(ds: Dataset): string[][] {
  return [...catalogueByPair(ds).values()]
    .filter(
      (g) =>
        new Set(g.map((s) => s.record.song_id)).size > 1 && new Set(g.map((s) => s.record.duration)).size > 1,
    )
    .map((g) => g.map((s) => s.record.song_id));
}

/** Plays of a title and artist that several catalogue songs share. */
export function playsOfDuplicates(ds: Dataset): Event[] {
  const byPair = catalogueByPair(ds);
  return ds.events.filter(
    (e) => e.page === 'NextSong' && (byPair.get(pair(e.song, e.artist))?.length ?? 0) > 1,
  );
}

/** Titles held by more than one artist name. */
export function sharedTitles(ds: Dataset): string[] {
  return [...groupBy(ds.songs, (s) => s.record.title).entries()]
    .filter(([, g]) => new Set(g.map((s) => s.record.artist_name)).size > 1)
    .map(([title]) => title);
}

/** artist_ids whose songs disagree: one with location and coordinates, one with '' and nulls. */
export function disagreeingArtists(ds: Dataset): string[] {
  return [...groupBy(ds.songs, (s) => s.record.artist_id).entries()]
    .filter(
      ([, g]) =>
        g.some((s) => s.record.artist_location !== '' && s.record.artist_latitude !== null) &&
        g.some((s) => s.record.artist_location === '' && s.record.artist_latitude === null),
    )
    .map(([id]) => id);
}

/** Pairs of events of one (logged-in) user with the same ts. */
export function sameTsPairs(ds: Dataset): [Event, Event][] {
  const out: [Event, Event][] = [];
  for (const g of groupBy(
    ds.events.filter((e) => e.userId !== ''),
    (e) => `${e.userId}/${e.ts}`,
  ).values())
    if (g.length > 1) out.push([g[0] as Event, g[1] as Event]);
  return out;
}

/** userId → number of day files with its events. */
export function daysPerUser(ds: Dataset): Map<string, number> {
  const m = new Map<string, number>();
  for (const [user, g] of groupBy(
    ds.events.filter((e) => e.userId !== ''),
    (e) => e.userId,
  ))
    m.set(user, new Set(g.map((e) => e.file)).size);
  return m;
}

/** Users whose level differs between their first and their last day file. */
export function levelAcrossDays(ds: Dataset): string[] {
  const out: string[] = [];
  for (const [user, g] of groupBy(
    ds.events.filter((e) => e.userId !== ''),
    (e) => e.userId,
  )) {
    const files = [...new Set(g.map((e) => e.file))].sort();
    if (files.length < 2) continue;
    const first = g.find((e) => e.file === files[0]);
    const last = g.filter((e) => e.file === files[files.length - 1]).pop();
    if (first && last && first.level !== last.level) out.push(user);
  }
  return out;
}

/** Sessions with events in more than one day file. */
export function sessionsAcrossMidnight(ds: Dataset): string[] {
  return [...sessions(ds).entries()]
    .filter(([, g]) => new Set(g.map((e) => e.file)).size > 1)
    .map(([id]) => id);
}
