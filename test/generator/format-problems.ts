// Checks a data set read from disk against the bucket's formats; returns the problems found (at most
// a few per kind, so that a failure stays readable).
import { formatLogEvent, formatSongRecord, LOG_EVENT_KEYS, SONG_KEYS } from '../../local/generator';
import { groupBy, type Dataset } from './read-dataset';

const PAGES_WITH_METHOD: Record<string, [string, number]> = {
  NextSong: ['PUT', 200],
  Home: ['GET', 200],
  Login: ['PUT', 307],
  Logout: ['PUT', 307],
  Settings: ['GET', 200],
  'Save Settings': ['PUT', 307],
  Help: ['GET', 200],
  About: ['GET', 200],
  Error: ['GET', 404],
  Upgrade: ['GET', 200],
  'Submit Upgrade': ['PUT', 307],
  Downgrade: ['GET', 200],
  'Submit Downgrade': ['PUT', 307],
  'Thumbs Up': ['PUT', 307],
  'Thumbs Down': ['PUT', 307],
  'Add to Playlist': ['PUT', 200],
};

const DAY_MS = 86_400_000;

export function formatProblems(ds: Dataset): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const problem = (kind: string, detail: string) => {
    const n = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, n);
    if (n <= 3) problems.push(`${kind}: ${detail}`);
  };

  for (const { key, text, record } of ds.songs) {
    const m = /^song_data\/([A-Z0-9])\/([A-Z0-9])\/([A-Z0-9])\/(TR[A-Z0-9]{16})\.json$/.exec(key);
    if (!m) problem('song key', key);
    else if (m[4]?.[2] !== m[1] || m[4]?.[3] !== m[2] || m[4]?.[4] !== m[3]) problem('song folders', key);
    if (text.endsWith('\n') || text.includes('\n')) problem('song newline', key);
    if (Object.keys(record).join() !== SONG_KEYS.join()) problem('song keys', key);
    if (formatSongRecord(record as never) !== text) problem('song serialisation', key);
    if (!/^SO[A-Z0-9]{16}$/.test(record.song_id)) problem('song_id', record.song_id);
    if (!/^AR[A-Z0-9]{16}$/.test(record.artist_id)) problem('artist_id', record.artist_id);
    if (record.num_songs !== 1) problem('num_songs', key);
    if ((record.artist_latitude === null) !== (record.artist_longitude === null)) problem('coordinates', key);
    if (!(typeof record.year === 'number' && Number.isInteger(record.year))) problem('year', key);
    if (!(record.duration > 0)) problem('duration', key);
  }
  if (new Set(ds.songs.map((s) => s.record.song_id)).size !== ds.songs.length)
    problem('song_id', 'not unique');

  let previousDay = '';
  for (const { key, text, lines, events } of ds.logs) {
    const m = /^log_data\/(\d{4})\/(\d{2})\/(\d{4})-(\d{2})-(\d{2})-events\.json$/.exec(key);
    if (!m || m[1] !== m[3] || m[2] !== m[4]) {
      problem('log key', key);
      continue;
    }
    const day = `${m[3]}-${m[4]}-${m[5]}`;
    if (day <= previousDay) problem('log days', key);
    previousDay = day;
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    if (text.endsWith('\n') || text === '') problem('log trailing newline', key);
    events.forEach((e, i) => {
      const line = lines[i] as string;
      if (Object.keys(e).join() !== LOG_EVENT_KEYS.join()) problem('event keys', line);
      if (formatLogEvent(e as never) !== line) problem('event serialisation', line);
      if (!(e.ts >= dayStart && e.ts < dayStart + DAY_MS)) problem('ts outside its day', `${key}: ${line}`);
      if (i > 0 && e.ts < (events[i - 1]?.ts as number)) problem('ts order in file', `${key}: ${line}`);
      if (typeof e.userId !== 'string') problem('userId type', line);
      const expected = PAGES_WITH_METHOD[e.page];
      if (!expected || e.method !== expected[0] || e.status !== expected[1])
        problem('page/method/status', line);
      const isPlay = e.page === 'NextSong';
      if (
        isPlay !==
        (typeof e.artist === 'string' && typeof e.song === 'string' && typeof e.length === 'number')
      )
        problem('artist/song/length', line);
      if (!isPlay && (e.artist !== null || e.song !== null || e.length !== null))
        problem('non-play song', line);
      if (e.level !== 'free' && e.level !== 'paid') problem('level', line);
      if (e.auth === 'Logged In') {
        if (e.userId === '' || typeof e.registration !== 'number' || typeof e.firstName !== 'string')
          problem('logged-in user fields', line);
      } else if (e.auth === 'Logged Out') {
        const nulls = [e.firstName, e.lastName, e.gender, e.location, e.userAgent, e.registration];
        if (e.userId !== '' || nulls.some((v) => v !== null)) problem('logged-out user fields', line);
      } else problem('auth', line);
    });
  }

  // Sessions: one user (plus guest events), items 0..n-1, ts never decreasing along the items.
  const owners = new Map<number, string>();
  for (const [id, list] of groupBy(ds.events, (e) => String(e.sessionId))) {
    list.sort((a, b) => a.itemInSession - b.itemInSession);
    list.forEach((e, i) => {
      if (e.itemInSession !== i) problem('itemInSession', `session ${id}`);
      if (i > 0 && e.ts < (list[i - 1]?.ts as number)) problem('ts within session', `session ${id}`);
    });
    const users = new Set(list.map((e) => e.userId).filter((u) => u !== ''));
    if (users.size > 1) problem('session users', `session ${id}: ${[...users].join(', ')}`);
    for (const u of users) owners.set(Number(id), u);
  }
  return problems;
}
