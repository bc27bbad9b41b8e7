import checkQuality from '../../sql/check_quality.sql';
import copyStagingEvents from '../../sql/copy_staging_events.sql';
import copyStagingSongs from '../../sql/copy_staging_songs.sql';
import createAuditTables from '../../sql/create_audit_tables.sql';
import createStagingTables from '../../sql/create_staging_tables.sql';
import createStarTables from '../../sql/create_star_tables.sql';
import insertArtists from '../../sql/insert_artists.sql';
import lockRunAudit from '../../sql/lock_run_audit.sql';
import insertSongplays from '../../sql/insert_songplays.sql';
import insertSongs from '../../sql/insert_songs.sql';
import insertTime from '../../sql/insert_time.sql';
import insertUsers from '../../sql/insert_users.sql';
import recordFailure from '../../sql/record_failure.sql';
import recordMerge from '../../sql/record_merge.sql';
import claimRun from '../../sql/claim_run.sql';
import createQualityGate from '../../sql/create_quality_gate.sql';
import collectRunPlays from '../../sql/collect_run_plays.sql';
import collectRunUsers from '../../sql/collect_run_users.sql';
import type { DataLocations } from '../../contract/environment';
import type { RunPlan } from '../../contract/run-plan';
import { causeMessage } from '../../contract/errors';
import type { StepName } from '../../contract/steps';
import { truncateUtf8, type SqlFile, type SqlParameters } from './sql-template';

export interface SqlStep {
  /** The files whose statements run, in order, as one transaction; none means the step is skipped. */
  files(plan: RunPlan): readonly SqlFile[];
  /**
   * What the step's last statement returns for the poll handler to read: a gate's
   * (check_name, failing_rows) rows, or the run lock's (claimed, holder, acquired_at).
   */
  readonly result?: 'checks' | 'lock';
  /**
   * Submitted again on purpose (the run lock's claim, after each wait), so it takes no ClientToken,
   * which would hand back the first claim's answer; running a claim twice is harmless.
   */
  readonly resubmitted?: true;
}

const file = (name: string, text: string): SqlFile => ({ name, text });
/** First in every step that writes the run audit or the run lock (see the file). */
export const lockRunAuditFile = file('lock_run_audit.sql', lockRunAudit);

/**
 * The pipeline's SQL steps. The state machine, the local runner and the submit handler all take
 * the steps from here, so a step cannot run SQL the others don't know.
 */
export const SQL_STEPS = {
  create_tables: {
    files: () => [
      file('create_staging_tables.sql', createStagingTables),
      file('create_star_tables.sql', createStarTables),
      file('create_audit_tables.sql', createAuditTables),
      file('create_quality_gate.sql', createQualityGate),
    ],
  },
  claim_run: {
    files: () => [lockRunAuditFile, file('claim_run.sql', claimRun)],
    result: 'lock',
    resubmitted: true,
  },
  stage_events: { files: () => [file('copy_staging_events.sql', copyStagingEvents)] },
  stage_songs: {
    files: (plan) => (plan.reloadSongs ? [file('copy_staging_songs.sql', copyStagingSongs)] : []),
  },
  /** Merges and gates as one transaction: a run that fails a gate leaves the star schema as it was. */
  publish: {
    files: (plan) => [
      lockRunAuditFile,
      file('collect_run_users.sql', collectRunUsers),
      file('insert_users.sql', insertUsers),
      ...(plan.reloadSongs
        ? [file('insert_songs.sql', insertSongs), file('insert_artists.sql', insertArtists)]
        : []),
      file('collect_run_plays.sql', collectRunPlays),
      file('insert_songplays.sql', insertSongplays),
      file('insert_time.sql', insertTime),
      file('record_merge.sql', recordMerge),
      file('check_quality.sql', checkQuality),
    ],
    result: 'checks',
  },
  record_failure: { files: () => [lockRunAuditFile, file('record_failure.sql', recordFailure)] },
} as const satisfies Record<StepName, SqlStep>;

/** How a failed step is described to the audit: the state machine's caught error. */
export interface StepFailure {
  readonly Error?: string;
  readonly Cause?: string;
}

/** etl_runs.error is a VARCHAR(4096): bytes, not characters. */
export const MAX_ERROR_BYTES = 4096;

/**
 * How the audit names a caught error: its name and the readable part of its cause.
 */
export function describeFailure(failure: StepFailure): string {
  return `${failure.Error ?? 'Error'}: ${causeMessage(failure.Cause ?? '')}`;
}

/** The values of every parameter (`:'…'` or `:…`) the SQL files use, for one run. */
export function stepParameters(
  locations: DataLocations,
  plan: RunPlan,
  failure?: StepFailure,
): SqlParameters {
  const logRoot = withoutTrailingSlashes(locations.log_data_uri);
  const error = failure ? describeFailure(failure) : '';
  return {
    ...locations,
    log_data_uri: plan.logPrefixes.map((prefix) => `${logRoot}${prefix}`),
    // A key prefix, not a folder: without the slash, song_data_old/ would be loaded too.
    song_data_uri: `${withoutTrailingSlashes(locations.song_data_uri)}/`,
    max_errors: plan.maxErrors,
    run_id: plan.runId,
    mode: plan.mode,
    range_from: plan.from ?? '',
    range_to: plan.to ?? '',
    songs_reloaded: String(plan.reloadSongs),
    missing_days: plan.missingDays.join(','),
    error: truncateUtf8(error, MAX_ERROR_BYTES),
  };
}

const withoutTrailingSlashes = (uri: string) => uri.replace(/\/+$/, '');
