/** The day a test loads first, and the day whose run it then examines. */
export const FIRST_DAY = '2018-11-01';
export const DAY = '2018-11-02';

/** DAY's plays: user 1's one play, and user 2's session of two, an hour apart each. */
export const DAY_PLAYS = [
  { userId: '1', sessionId: 11, itemInSession: 1, ts: Date.UTC(2018, 10, 2, 12) },
  { userId: '2', sessionId: 20, itemInSession: 1, ts: Date.UTC(2018, 10, 2, 13) },
  { userId: '2', sessionId: 20, itemInSession: 2, ts: Date.UTC(2018, 10, 2, 14) },
] as const;
