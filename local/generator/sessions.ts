import type { Catalogue, Play, Song } from './catalogue';
import { jsonNumber } from './json';
import type { Rng } from './rng';
import { GUEST, type User, type UserFields } from './users';

const DAY = 86400;

interface Page {
  readonly name: string;
  /** `"method":"…","page":"…"`, as it sits in the line. */
  readonly methodAndPage: string;
  readonly status: number;
}

function page(name: string, method: 'GET' | 'PUT', status: 200 | 307 | 404): Page {
  return { name, methodAndPage: `"method":"${method}","page":"${name}"`, status };
}

// Methods and statuses as eventsim gives them: NextSong is a PUT 200, form submissions are PUT 307
// (a redirect), pages viewed are GET 200, Error is GET 404.
const P = {
  NextSong: page('NextSong', 'PUT', 200),
  Home: page('Home', 'GET', 200),
  Login: page('Login', 'PUT', 307),
  Logout: page('Logout', 'PUT', 307),
  Settings: page('Settings', 'GET', 200),
  SaveSettings: page('Save Settings', 'PUT', 307),
  Help: page('Help', 'GET', 200),
  About: page('About', 'GET', 200),
  Error: page('Error', 'GET', 404),
  Upgrade: page('Upgrade', 'GET', 200),
  SubmitUpgrade: page('Submit Upgrade', 'PUT', 307),
  Downgrade: page('Downgrade', 'GET', 200),
  SubmitDowngrade: page('Submit Downgrade', 'PUT', 307),
  ThumbsUp: page('Thumbs Up', 'PUT', 307),
  ThumbsDown: page('Thumbs Down', 'PUT', 307),
  AddToPlaylist: page('Add to Playlist', 'PUT', 200),
} as const;

/** Logged-in pages with their weights; Upgrade only for free users, Downgrade only for paid ones. */
const LOGGED_IN_PAGES: readonly Page[] = [
  P.NextSong,
  P.Home,
  P.ThumbsUp,
  P.AddToPlaylist,
  P.ThumbsDown,
  P.Settings,
  P.Help,
  P.About,
  P.Error,
  P.Logout,
  P.Upgrade,
  P.Downgrade,
];
const FREE_WEIGHTS = [800, 50, 25, 15, 6, 8, 5, 4, 1.2, 9, 12, 0];
const PAID_WEIGHTS = [800, 50, 25, 15, 6, 8, 5, 4, 1.2, 9, 0, 9];
const FIRST_PAGES: readonly Page[] = [P.NextSong, P.Home, P.About, P.Help, P.Settings, P.Error];
const FIRST_WEIGHTS = [68, 29, 1, 1, 0.7, 0.3];
const LOGGED_OUT_PAGES: readonly Page[] = [P.Home, P.Login, P.About, P.Help];
const LOGGED_OUT_WEIGHTS = [60, 28, 6, 6];

/** Share of events per UTC hour (from the shape of the real November 2018 logs). */
const HOUR_WEIGHTS = [
  19, 20, 16, 13, 16, 21, 23, 22, 25, 31, 36, 39, 37, 42, 50, 58, 63, 57, 58, 43, 40, 33, 25, 22,
];

/**
 * The traps that sessions carry on purpose (see generate.ts for the list). Each floating trap takes
 * the first session that fits, in this order; a return visit is tied to its day and user.
 */
export type TrapKind = 'upgrade' | 'downgrade' | 'guest' | 'sameTs' | 'midnight' | 'returnVisit';

interface FloatingTrap {
  readonly kind: TrapKind;
  /** Events the trap session has when the day has room, and the fewest that still show the trap. */
  readonly length: number;
  readonly minLength: number;
}

const FLOATING_TRAPS: readonly FloatingTrap[] = [
  { kind: 'upgrade', length: 6, minLength: 3 },
  { kind: 'downgrade', length: 6, minLength: 3 },
  { kind: 'guest', length: 5, minLength: 1 },
  { kind: 'sameTs', length: 3, minLength: 2 },
  // Starts a minute before midnight and goes on into the next day: never on the last day.
  { kind: 'midnight', length: 4, minLength: 2 },
];
/** Events the first day keeps for the floating traps, if the data set has them to spare. */
const TRAP_EVENTS = FLOATING_TRAPS.reduce((n, t) => n + t.length, 0);

// The pages a trap session starts with; the rest of the session is drawn as usual.
const SCRIPTS: Partial<Record<TrapKind, readonly Page[]>> = {
  upgrade: [P.Home, P.Upgrade, P.SubmitUpgrade, P.Home, P.NextSong, P.NextSong],
  downgrade: [P.NextSong, P.Downgrade, P.SubmitDowngrade, P.Home, P.NextSong, P.NextSong],
  guest: [P.Home, P.Login, P.NextSong, P.Logout, P.Home],
  sameTs: [P.Home, P.NextSong],
};
const SHORT_SCRIPTS: Partial<Record<TrapKind, readonly Page[]>> = {
  upgrade: [P.Upgrade, P.SubmitUpgrade, P.Home],
  downgrade: [P.Downgrade, P.SubmitDowngrade, P.Home],
};

export interface SessionPlan {
  /** Planned start, epoch seconds; the session may start later if its user is still busy. */
  readonly start: number;
  readonly length: number;
  readonly trap: TrapKind | null;
  /** The user a trap or return visit needs; null: any free user. */
  readonly user: User | null;
  /** Position in the day's draft list: breaks ties between equal starts. */
  readonly order: number;
}

/** A built session: its events' timestamps (ms) and their lines, consumed in order by the writer. */
export interface BuiltSession {
  readonly ts: number[];
  line(index: number): string;
  readonly seq: number;
  pos: number;
}

export interface SimulationOptions {
  readonly events: number;
  readonly days: number;
  readonly startSec: number;
}

interface Chosen {
  readonly play: Play;
  readonly lengthText: string;
}

/**
 * Plans sessions day by day (each day's share of the events, split into sessions at random times,
 * the traps placed first) and builds them one at a time into log lines.
 */
export class Simulation {
  private readonly budgets: number[];
  private readonly endSec: number;
  private readonly pending: FloatingTrap[];
  private readonly returnVisits: { day: number; user: User }[] = [];
  private readonly forcedPlays: Chosen[] = [];
  private day = 0;
  private dayPlans: SessionPlan[] = [];
  private planIndex = 0;
  private nextSessionId: number;
  private seq = 0;
  private nextSongEvents = 0;

  constructor(
    private readonly o: SimulationOptions,
    private readonly catalogue: Catalogue,
    private readonly users: User[],
    private readonly planRng: Rng,
    private readonly rng: Rng,
  ) {
    this.endSec = o.startSec + o.days * DAY;
    this.budgets = this.dayBudgets();
    this.nextSessionId = planRng.int(1, 100);

    const upUser = users[0] as User;
    const downUser = (users[1] ?? users[0]) as User;
    upUser.pendingTraps++;
    downUser.pendingTraps++;
    this.pending = FLOATING_TRAPS.filter((t) => t.kind !== 'midnight' || o.days >= 2);
    // The upgrading user comes back on later days (as a paid user), and so does the downgrading one:
    // on the second, middle and last of the days after the first that have events.
    const laterDays = this.budgets.map((b, d) => (d > 0 && b > 0 ? d : -1)).filter((d) => d > 0);
    const visits = new Set<string>();
    const addVisit = (day: number | undefined, user: User) => {
      if (day === undefined || visits.has(`${day}/${user.index}`)) return;
      visits.add(`${day}/${user.index}`);
      this.returnVisits.push({ day, user });
    };
    addVisit(laterDays[0], upUser);
    addVisit(laterDays[Math.floor(laterDays.length / 2)], upUser);
    addVisit(laterDays[laterDays.length - 1], upUser);
    addVisit(laterDays[laterDays.length - 1], downUser);

    // The first plays of the data set hit the song traps, so that each is played at least once: a
    // duplicated title, an unlisted song, a length mismatch, then the other trap songs.
    const t = catalogue.traps;
    const trapSongs = new Set<Song | null>(Object.values(t));
    const plain = catalogue.songs.find((s) => !trapSongs.has(s)) ?? catalogue.songs[0];
    const unlisted = catalogue.unlisted[0];
    if (t.duplicateA) this.forcedPlays.push(exact(t.duplicateA));
    if (unlisted) this.forcedPlays.push(exact(unlisted));
    if (plain) this.forcedPlays.push(this.perturbed(plain));
    for (const song of [t.duplicateB, t.sameTitleOtherArtist, t.artistVariant])
      if (song) this.forcedPlays.push(exact(song));
  }

  get nextSongCount(): number {
    return this.nextSongEvents;
  }

  /** The next session to build, in planned-start order; null when every day is planned and built. */
  nextPlan(): SessionPlan | null {
    while (this.planIndex >= this.dayPlans.length) {
      if (this.day >= this.o.days) return null;
      this.dayPlans = this.planDay(this.day++);
      this.planIndex = 0;
    }
    return this.dayPlans[this.planIndex++] as SessionPlan;
  }

  /** Each day's share of the events: weekends quieter, every day at least one event if possible. */
  private dayBudgets(): number[] {
    const { days, events, startSec } = this.o;
    const weights: number[] = [];
    for (let d = 0; d < days; d++) {
      const weekday = new Date((startSec + d * DAY) * 1000).getUTCDay();
      weights.push((weekday === 6 ? 0.55 : weekday === 0 ? 0.5 : 1) * (0.6 + 0.8 * this.planRng.float()));
    }
    const base = events >= days ? 1 : 0;
    const rest = events - base * days;
    const total = weights.reduce((a, b) => a + b, 0);
    const exactShares = weights.map((w) => (rest * w) / total);
    const budgets = exactShares.map((x) => base + Math.floor(x));
    let left = events - budgets.reduce((a, b) => a + b, 0);
    const byRemainder = exactShares
      .map((x, d) => ({ d, r: x - Math.floor(x) }))
      .sort((a, b) => b.r - a.r || a.d - b.d);
    for (let i = 0; left > 0; i = (i + 1) % days, left--) {
      const d = (byRemainder[i] as { d: number }).d;
      budgets[d] = (budgets[d] as number) + 1;
    }
    // The first day takes the events its trap sessions need from the busiest other days, leaving
    // them one event each (or, with fewer events than days, half of the events between them).
    const want = Math.min(TRAP_EVENTS, events - (base === 1 ? days - 1 : Math.ceil(events / 2)));
    while ((budgets[0] as number) < want) {
      let from = 1;
      for (let d = 2; d < days; d++) if ((budgets[d] as number) > (budgets[from] as number)) from = d;
      budgets[from] = (budgets[from] as number) - 1;
      budgets[0] = (budgets[0] as number) + 1;
    }
    return budgets;
  }

  /** A session length: mostly short (median about 3), with a long tail, as in the real logs. */
  private sessionLength(): number {
    const r = this.planRng.float();
    if (r < 0.44) return this.planRng.int(1, 2);
    if (r < 0.88) return this.planRng.int(3, 10);
    return Math.min(300, 11 + Math.floor(-Math.log(1 - this.planRng.float()) * 30));
  }

  private planDay(day: number): SessionPlan[] {
    const rng = this.planRng;
    const dayStart = this.o.startSec + day * DAY;
    let remaining = this.budgets[day] as number;
    const drafts: { length: number; trap: TrapKind | null; user: User | null }[] = [];

    for (const visit of this.returnVisits) {
      if (visit.day !== day || remaining < 1) continue;
      const length = Math.min(remaining, Math.max(2, this.sessionLength()));
      drafts.push({ length, trap: 'returnVisit', user: visit.user });
      remaining -= length;
    }
    // Floating traps take the first sessions of the first days that have room for them (the first day
    // is given room, see dayBudgets), at their shortest if the day cannot hold them all. With a single
    // user, the downgrade waits for the upgrade (the user must be paid by then).
    const today = this.pending.filter((t) => t.kind !== 'midnight' || day < this.o.days - 1);
    const short = remaining < today.reduce((n, t) => n + t.length, 0);
    let midnight = -1;
    for (const trap of today) {
      const length = short ? trap.minLength : trap.length;
      const blocked =
        trap.kind === 'downgrade' && this.users.length === 1 && this.pending[0]?.kind === 'upgrade';
      if (remaining < length || blocked) continue;
      this.pending.splice(this.pending.indexOf(trap), 1);
      const user =
        trap.kind === 'upgrade'
          ? (this.users[0] as User)
          : trap.kind === 'downgrade'
            ? ((this.users[1] ?? this.users[0]) as User)
            : null;
      if (trap.kind === 'midnight') midnight = drafts.length;
      drafts.push({ length, trap: trap.kind, user });
      remaining -= length;
    }
    while (remaining > 0) {
      const length = Math.min(remaining, this.sessionLength());
      drafts.push({ length, trap: null, user: null });
      remaining -= length;
    }

    const starts = drafts.map((_, i) =>
      i === midnight
        ? dayStart + DAY - rng.int(30, 89)
        : dayStart + rng.weighted(HOUR_WEIGHTS) * 3600 + rng.int(0, 3599),
    );
    // The downgrade of user 1 (user 0 when there is only one) comes after the upgrade of user 0.
    const up = drafts.findIndex((d) => d.trap === 'upgrade');
    const down = drafts.findIndex((d) => d.trap === 'downgrade');
    if (up >= 0 && down >= 0 && (starts[down] as number) < (starts[up] as number)) {
      const t = starts[up] as number;
      starts[up] = starts[down] as number;
      starts[down] = t;
    }
    return drafts
      .map((d, i) => ({ ...d, start: starts[i] as number, order: i }))
      .sort((a, b) => a.start - b.start || a.order - b.order);
  }

  /** Picks the session's user (never one whose previous session is still going on) and builds it. */
  build(plan: SessionPlan): BuiltSession {
    const { user, start } = this.assignUser(plan);
    const session = this.buildFor(plan, user, start);
    if (plan.trap === 'upgrade' || plan.trap === 'downgrade') user.pendingTraps--;
    return session;
  }

  private assignUser(plan: SessionPlan): { user: User; start: number } {
    const rng = this.rng;
    const users = this.users;
    const fits = (u: User) => u.busyUntil < plan.start;
    // A busy user's session waits until a while after the previous one ends (if the period allows).
    const startFor = (u: User) => {
      if (fits(u)) return plan.start;
      const start = u.busyUntil + rng.int(60, 1800);
      return start < this.endSec - 2 ? start : plan.start;
    };
    if (plan.user) return { user: plan.user, start: startFor(plan.user) };
    for (let i = 0; i < 8; i++) {
      const u = users[rng.skewedIndex(users.length, 2.2)] as User;
      if (u.pendingTraps === 0 && fits(u)) return { user: u, start: plan.start };
    }
    const offset = rng.int(0, users.length - 1);
    let leastBusy: User | null = null;
    for (let i = 0; i < users.length; i++) {
      const u = users[(offset + i) % users.length] as User;
      if (u.pendingTraps > 0) continue;
      if (fits(u)) return { user: u, start: plan.start };
      if (!leastBusy || u.busyUntil < leastBusy.busyUntil) leastBusy = u;
    }
    // Every user is busy or kept for a trap (only in tiny data sets): take the one free soonest.
    const u = leastBusy ?? (users[offset] as User);
    return { user: u, start: startFor(u) };
  }

  private choosePlay(): Chosen {
    const forced = this.forcedPlays.shift();
    if (forced) return forced;
    const rng = this.rng;
    const { songs, unlisted } = this.catalogue;
    const r = rng.float();
    // 74% plays of catalogue songs, 4% of catalogue songs with a slightly different length, 22% of
    // songs that are not in the catalogue at all.
    if (r < 0.78) {
      const song = songs[rng.skewedIndex(songs.length, 1.5)] as Song;
      return r < 0.74 ? exact(song) : this.perturbed(song);
    }
    return exact(unlisted[rng.skewedIndex(unlisted.length, 1.3)] as Play);
  }

  /** The song with its length off by 0.00001 to 2 seconds, either way. */
  private perturbed(song: Play): Chosen {
    const delta = (this.rng.int(1, 200000) / 1e5) * (this.rng.chance(0.5) ? 1 : -1);
    let length = Math.round((song.duration + delta) * 1e5) / 1e5;
    if (length <= 1 || length === song.duration)
      length = Math.round((song.duration + Math.abs(delta) + 1e-5) * 1e5) / 1e5;
    return { play: song, lengthText: jsonNumber(length) };
  }

  private naturalPage(i: number, prev: Page | null, loggedIn: boolean, user: User, paid: boolean): Page {
    const rng = this.rng;
    if (!loggedIn) return LOGGED_OUT_PAGES[rng.weighted(LOGGED_OUT_WEIGHTS)] as Page;
    if (i === 0 || prev === P.Login) return FIRST_PAGES[rng.weighted(FIRST_WEIGHTS)] as Page;
    const mayChangeLevel = user.pendingTraps === 0;
    if (prev === P.Upgrade && !paid && mayChangeLevel && rng.chance(0.35)) return P.SubmitUpgrade;
    if (prev === P.Downgrade && paid && mayChangeLevel && rng.chance(0.08)) return P.SubmitDowngrade;
    if (prev === P.Settings && rng.chance(0.2)) return P.SaveSettings;
    return LOGGED_IN_PAGES[rng.weighted(paid ? PAID_WEIGHTS : FREE_WEIGHTS)] as Page;
  }

  /** Seconds between the previous event and this one. */
  private gap(prev: Page, prevPlay: Chosen | null, current: Page): number {
    const rng = this.rng;
    if (current === P.SubmitUpgrade || current === P.SubmitDowngrade || current === P.Logout) return 1;
    if (prev === P.Login) return rng.int(20, 120);
    if (prevPlay) {
      const length = Math.round(prevPlay.play.duration);
      if (current === P.ThumbsUp || current === P.ThumbsDown || current === P.AddToPlaylist)
        return rng.int(1, Math.max(1, Math.round(length * 0.9)));
      return rng.chance(0.85) ? length + rng.int(0, 3) : rng.int(5, Math.max(5, length));
    }
    if (current === P.SaveSettings) return rng.int(2, 40);
    return rng.chance(0.005) ? 0 : rng.int(1, 180);
  }

  private buildFor(plan: SessionPlan, user: User, start: number): BuiltSession {
    const rng = this.rng;
    const n = plan.length;
    const script = plan.trap
      ? ((n < 4 ? SHORT_SCRIPTS[plan.trap] : undefined) ?? SCRIPTS[plan.trap] ?? [])
      : [];
    let loggedIn = !(plan.trap === 'guest' || (plan.trap === null && n >= 2 && rng.chance(0.05)));
    let paid = user.paid;

    const pages: Page[] = [];
    const authIn: boolean[] = [];
    const paidAt: boolean[] = [];
    const plays: (Chosen | null)[] = [];
    const offsets: number[] = [];
    let prev: Page | null = null;
    let prevPlay: Chosen | null = null;
    let offset = 0;
    for (let i = 0; i < n; i++) {
      const current: Page = script[i] ?? this.naturalPage(i, prev, loggedIn, user, paid);
      const play = current === P.NextSong ? this.choosePlay() : null;
      if (prev) {
        if (i === 1 && plan.trap === 'sameTs') offset += 0;
        else if (i === 1 && plan.trap === 'midnight') offset += secondsToMidnight(start) + rng.int(1, 90);
        else offset += this.gap(prev, prevPlay, current);
      }
      pages.push(current);
      authIn.push(loggedIn);
      paidAt.push(paid);
      plays.push(play);
      offsets.push(offset);
      // State changes take effect from the next event on.
      if (current === P.Login) loggedIn = true;
      else if (current === P.Logout) loggedIn = false;
      else if (current === P.SubmitUpgrade) paid = true;
      else if (current === P.SubmitDowngrade) paid = false;
      prev = current;
      prevPlay = play;
    }
    // A session never runs past the end of the period: squeeze its gaps if it would.
    const room = this.endSec - 1 - start;
    if (offset > room) {
      const scale = Math.max(0, room) / offset;
      for (let i = 0; i < n; i++) offsets[i] = Math.floor((offsets[i] as number) * scale);
    }

    const sessionId = this.nextSessionId++;
    const ts: number[] = [];
    for (let i = 0; i < n; i++) {
      ts.push((start + (offsets[i] as number)) * 1000 + 796);
      if (plays[i]) this.nextSongEvents++;
      if (authIn[i]) user.seen = true;
    }
    user.paid = paid;
    user.busyUntil = start + (offsets[n - 1] as number);
    // Lines are rendered only when written: a session waiting in the merge holds no strings.
    const line = (i: number): string => {
      const loggedInNow = authIn[i] as boolean;
      return formatLine(
        plays[i] as Chosen | null,
        loggedInNow,
        loggedInNow ? user : GUEST,
        i,
        paidAt[i] as boolean,
        pages[i] as Page,
        sessionId,
        ts[i] as number,
      );
    };
    return { ts, line, seq: this.seq++, pos: 0 };
  }
}

function secondsToMidnight(epochSec: number): number {
  return DAY - (((epochSec % DAY) + DAY) % DAY);
}

function exact(play: Play): Chosen {
  return { play, lengthText: play.lengthText };
}

/** One log line from pre-serialised parts; formatLogEvent in json.ts is the reference form. */
function formatLine(
  chosen: Chosen | null,
  loggedIn: boolean,
  u: UserFields,
  item: number,
  paid: boolean,
  p: Page,
  sessionId: number,
  ts: number,
): string {
  return (
    '{"artist":' +
    (chosen ? chosen.play.artistJson : 'null') +
    (loggedIn ? ',"auth":"Logged In","firstName":' : ',"auth":"Logged Out","firstName":') +
    u.firstNameJson +
    ',"gender":' +
    u.genderJson +
    ',"itemInSession":' +
    item +
    ',"lastName":' +
    u.lastNameJson +
    ',"length":' +
    (chosen ? chosen.lengthText : 'null') +
    (paid ? ',"level":"paid","location":' : ',"level":"free","location":') +
    u.locationJson +
    ',' +
    p.methodAndPage +
    ',"registration":' +
    u.registrationText +
    ',"sessionId":' +
    sessionId +
    ',"song":' +
    (chosen ? chosen.play.titleJson : 'null') +
    ',"status":' +
    p.status +
    ',"ts":' +
    ts +
    ',"userAgent":' +
    u.userAgentJson +
    ',"userId":' +
    u.userIdJson +
    '}'
  );
}
