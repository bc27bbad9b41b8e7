import catalogueMatch from '../sql/analytics/catalogue_match.sql';
import dailyPlays from '../sql/analytics/daily_plays.sql';
import lastRun from '../sql/analytics/last_run.sql';
import levelChanges from '../sql/analytics/level_changes.sql';
import playsByHour from '../sql/analytics/plays_by_hour.sql';
import playsByWeekday from '../sql/analytics/plays_by_weekday.sql';
import rowCounts from '../sql/analytics/row_counts.sql';
import topArtists from '../sql/analytics/top_artists.sql';
import topLocations from '../sql/analytics/top_locations.sql';
import topSongs from '../sql/analytics/top_songs.sql';
import topUnmatched from '../sql/analytics/top_unmatched.sql';
import usersByLevel from '../sql/analytics/users_by_level.sql';
import type { Answer } from './query-runner';

/** The report's questions, each one file of Redshift SQL in sql/analytics/, named as the file. */
export const QUERIES = {
  row_counts: rowCounts,
  last_run: lastRun,
  plays_by_hour: playsByHour,
  plays_by_weekday: playsByWeekday,
  daily_plays: dailyPlays,
  top_songs: topSongs,
  top_artists: topArtists,
  top_locations: topLocations,
  users_by_level: usersByLevel,
  level_changes: levelChanges,
  catalogue_match: catalogueMatch,
  top_unmatched: topUnmatched,
} as const;

export type QueryName = keyof typeof QUERIES;
export type Answers = Readonly<Record<QueryName, Answer>>;

export const QUERY_NAMES = Object.keys(QUERIES) as QueryName[];
