import checkQuality from '../../sql/check_quality.sql';
import copyStagingEvents from '../../sql/copy_staging_events.sql';
import copyStagingSongs from '../../sql/copy_staging_songs.sql';
import createStagingTables from '../../sql/create_staging_tables.sql';
import createStarTables from '../../sql/create_star_tables.sql';
import insertArtists from '../../sql/insert_artists.sql';
import insertSongplays from '../../sql/insert_songplays.sql';
import insertSongs from '../../sql/insert_songs.sql';
import insertTime from '../../sql/insert_time.sql';
import insertUsers from '../../sql/insert_users.sql';
import type { RunPlan } from './run-plan';

export interface SqlFile {
  readonly name: string;
  readonly text: string;
}

export interface SqlStep {
  /** The files whose statements run, in order, as one transaction. */
  files(plan: RunPlan): readonly SqlFile[];
  /** A gate's statement returns (check_name, failing_rows) rows; any non-zero count fails the run. */
  readonly gate?: true;
}

const file = (name: string, text: string): SqlFile => ({ name, text });

/**
 * The pipeline's SQL steps, in execution order. The state machine, the local runner and the
 * submit handler all take the step list from here, so a step cannot run SQL the others don't know.
 */
export const SQL_STEPS = {
  create_tables: {
    files: () => [
      file('create_staging_tables.sql', createStagingTables),
      file('create_star_tables.sql', createStarTables),
    ],
  },
  stage_events: { files: () => [file('copy_staging_events.sql', copyStagingEvents)] },
  stage_songs: { files: () => [file('copy_staging_songs.sql', copyStagingSongs)] },
  load_dimensions: {
    files: () => [
      file('insert_users.sql', insertUsers),
      file('insert_songs.sql', insertSongs),
      file('insert_artists.sql', insertArtists),
    ],
  },
  load_songplays: {
    files: () => [file('insert_songplays.sql', insertSongplays), file('insert_time.sql', insertTime)],
  },
  check_quality: { files: () => [file('check_quality.sql', checkQuality)], gate: true },
} as const satisfies Record<string, SqlStep>;

export type StepName = keyof typeof SQL_STEPS;

export const STEP_NAMES = Object.keys(SQL_STEPS) as StepName[];

export function isStepName(value: unknown): value is StepName {
  return typeof value === 'string' && Object.hasOwn(SQL_STEPS, value);
}
