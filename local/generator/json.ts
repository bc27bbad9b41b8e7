// The serialisation of the Sparkify bucket's objects, which is not JSON.stringify's: both the song files
// and the event logs escape '/' as '\/' and every non-ASCII UTF-16 unit as a lowercase '\uXXXX', and the
// logs print `registration` as a float ("1541044398796.0"). Keys are always in the same order.

const NON_ASCII = /[\u0080-\uffff]/g;

function escapeUnit(c: string): string {
  return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

/** A string as a JSON literal in the bucket's style. */
export function jsonString(s: string): string {
  return JSON.stringify(s).replace(/\//g, '\\/').replace(NON_ASCII, escapeUnit);
}

export function jsonStringOrNull(s: string | null): string {
  return s === null ? 'null' : jsonString(s);
}

/** A finite number the way the bucket prints doubles (shortest round-trip form, as JavaScript does). */
export function jsonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(n);
}

export function jsonNumberOrNull(n: number | null): string {
  return n === null ? 'null' : jsonNumber(n);
}

/** A double that holds an integer, printed as the logs print `registration`: "1541044398796.0". */
export function jsonFloat(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : jsonNumber(n);
}

/** One object of song_data/…/TR….json: keys in alphabetical order, compact. */
export interface SongRecord {
  artist_id: string;
  artist_latitude: number | null;
  artist_location: string;
  artist_longitude: number | null;
  artist_name: string;
  duration: number;
  num_songs: number;
  song_id: string;
  title: string;
  year: number;
}

/** The exact bytes of a song file (no trailing newline). */
export function formatSongRecord(r: SongRecord): string {
  return (
    `{"artist_id":${jsonString(r.artist_id)},"artist_latitude":${jsonNumberOrNull(r.artist_latitude)},` +
    `"artist_location":${jsonString(r.artist_location)},"artist_longitude":${jsonNumberOrNull(r.artist_longitude)},` +
    `"artist_name":${jsonString(r.artist_name)},"duration":${jsonNumber(r.duration)},` +
    `"num_songs":${jsonNumber(r.num_songs)},"song_id":${jsonString(r.song_id)},"title":${jsonString(r.title)},` +
    `"year":${jsonNumber(r.year)}}`
  );
}

/** One line of log_data/YYYY/MM/YYYY-MM-DD-events.json, keys in the logs' own order. */
export interface LogEvent {
  artist: string | null;
  auth: string;
  firstName: string | null;
  gender: string | null;
  itemInSession: number;
  lastName: string | null;
  length: number | null;
  level: string;
  location: string | null;
  method: string;
  page: string;
  registration: number | null;
  sessionId: number;
  song: string | null;
  status: number;
  ts: number;
  userAgent: string | null;
  userId: string;
}

export const LOG_EVENT_KEYS = [
  'artist',
  'auth',
  'firstName',
  'gender',
  'itemInSession',
  'lastName',
  'length',
  'level',
  'location',
  'method',
  'page',
  'registration',
  'sessionId',
  'song',
  'status',
  'ts',
  'userAgent',
  'userId',
] as const;

export const SONG_KEYS = [
  'artist_id',
  'artist_latitude',
  'artist_location',
  'artist_longitude',
  'artist_name',
  'duration',
  'num_songs',
  'song_id',
  'title',
  'year',
] as const;

/**
 * One log line (no newline). The generator builds its lines from pre-serialised pieces for speed; this
 * general form is the reference that those pieces must agree with.
 */
export function formatLogEvent(e: LogEvent): string {
  return (
    `{"artist":${jsonStringOrNull(e.artist)},"auth":${jsonString(e.auth)},` +
    `"firstName":${jsonStringOrNull(e.firstName)},"gender":${jsonStringOrNull(e.gender)},` +
    `"itemInSession":${jsonNumber(e.itemInSession)},"lastName":${jsonStringOrNull(e.lastName)},` +
    `"length":${jsonNumberOrNull(e.length)},"level":${jsonString(e.level)},` +
    `"location":${jsonStringOrNull(e.location)},"method":${jsonString(e.method)},"page":${jsonString(e.page)},` +
    `"registration":${e.registration === null ? 'null' : jsonFloat(e.registration)},` +
    `"sessionId":${jsonNumber(e.sessionId)},"song":${jsonStringOrNull(e.song)},"status":${jsonNumber(e.status)},` +
    `"ts":${jsonNumber(e.ts)},"userAgent":${jsonStringOrNull(e.userAgent)},"userId":${jsonString(e.userId)}}`
  );
}

/** log_json_path.json: the Redshift COPY JSONPaths file, byte for byte as the bucket has it. */
export function formatLogJsonPaths(): string {
  return JSON.stringify({ jsonpaths: LOG_EVENT_KEYS.map((k) => `$['${k}']`) }, null, 4);
}
