import { jsonFloat, jsonString } from './json';
import type { Rng } from './rng';
import { FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES, USER_AGENTS, USER_LOCATIONS } from './vocabulary';

/** The user columns of a log line, pre-serialised; a logged-out event uses GUEST. */
export interface UserFields {
  readonly firstNameJson: string;
  readonly genderJson: string;
  readonly lastNameJson: string;
  readonly locationJson: string;
  readonly registrationText: string;
  readonly userAgentJson: string;
  readonly userIdJson: string;
}

export const GUEST: UserFields = {
  firstNameJson: 'null',
  genderJson: 'null',
  lastNameJson: 'null',
  locationJson: 'null',
  registrationText: 'null',
  userAgentJson: 'null',
  userIdJson: '""',
};

export interface User extends UserFields {
  readonly index: number;
  /** Current subscription level; Submit Upgrade / Submit Downgrade change it. */
  paid: boolean;
  /** End (epoch seconds) of the user's latest session: a user never has two sessions at once. */
  busyUntil: number;
  /** Trap sessions still to come for this user: until then no random session picks it. */
  pendingTraps: number;
  /** Whether any event of the user was written (for the summary). */
  seen: boolean;
}

/** How many users a data set of `events` events has: one per 80 events, and at least min(events, 10). */
export function userCount(events: number): number {
  return Math.max(Math.round(events / 80), Math.min(events, 10));
}

/**
 * The users, most active first (the session planner picks low indexes more often). User 0 starts
 * free and user 1 paid: they carry the level-change traps. Every user registered in the two weeks
 * before `startSec`; timestamps end in 796 ms like the real logs'.
 */
export function buildUsers(rng: Rng, count: number, startSec: number): User[] {
  const users: User[] = [];
  for (let index = 0; index < count; index++) {
    const female = rng.chance(0.6);
    const paid = index === 0 ? false : index === 1 ? true : rng.chance(index < count / 5 ? 0.8 : 0.55);
    const registration = (startSec - rng.int(3600, 14 * 86400)) * 1000 + 796;
    users.push({
      index,
      firstNameJson: jsonString(rng.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES)),
      genderJson: female ? '"F"' : '"M"',
      lastNameJson: jsonString(rng.pick(LAST_NAMES)),
      locationJson: jsonString(rng.pick(USER_LOCATIONS)),
      registrationText: jsonFloat(registration),
      userAgentJson: jsonString(rng.pick(USER_AGENTS)),
      userIdJson: `"${index + 1}"`,
      paid,
      busyUntil: 0,
      pendingTraps: 0,
      seen: false,
    });
  }
  return users;
}
