import { performance } from 'node:perf_hooks';
import type { DataLocations } from '../contract/environment';
import { planRun } from '../contract/run-plan';
import { SQL_STEPS, stepParameters } from '../lambda/shared/sql-steps';
import { renderStatements } from '../lambda/shared/sql-template';
import { readJsonObjects } from '../local/copy/json-objects';
import { LocalS3 } from '../local/copy/local-s3';
import type { Engine } from '../local/engine/engine';
import { LocalWarehouse } from '../local/warehouse/local-warehouse';

// The loader against its floor: reading and JSON.parse-ing the event files, the way the loader
// reads them, in this process. Staging runs the pipeline's own stage steps (sql/copy_staging_*.sql)
// through the local warehouse, COPY and all, on the engine given.

export interface StagingMeasurement {
  /** Reading and parsing every event file, and nothing else. */
  readonly parseOnlyMs: number;
  /** The stage_events step: DELETE, COPY of every event file, the rejected rows' INSERT. */
  readonly stageEventsMs: number;
  /** The stage_songs step: the same for the song catalogue, one object per file. */
  readonly stageSongsMs: number;
  readonly events: number;
  readonly songs: number;
}

const BUCKET = 'sparkify-bench';
const LOCATIONS: DataLocations = {
  song_data_uri: `s3://${BUCKET}/song_data`,
  log_data_uri: `s3://${BUCKET}/log_data`,
  log_jsonpath_uri: `s3://${BUCKET}/log_json_path.json`,
  data_region: 'us-west-2',
  iam_role: 'arn:aws:iam::123456789012:role/bench-copy',
};

/** `dataDir` is a data set as `npm run generate` writes it; the engine's public schema is used. */
export async function measureStaging({
  engine,
  dataDir,
}: {
  readonly engine: Engine;
  readonly dataDir: string;
}): Promise<StagingMeasurement> {
  const s3 = new LocalS3({ [BUCKET]: dataDir });
  const warehouse = new LocalWarehouse(engine, s3);
  const plan = planRun({ mode: 'full' }, 'bench-staging');
  const parameters = stepParameters(LOCATIONS, plan);
  const runStep = async (step: 'create_tables' | 'stage_events' | 'stage_songs') => {
    const started = performance.now();
    const outcomes = await warehouse.run(renderStatements(SQL_STEPS[step].files(plan), parameters));
    const rowsLoaded = outcomes.reduce((sum, outcome) => sum + (outcome.copy?.rowsLoaded ?? 0), 0);
    return { ms: performance.now() - started, rowsLoaded };
  };

  await runStep('create_tables');
  const started = performance.now();
  let parsed = 0;
  for (const object of await s3.list(`${LOCATIONS.log_data_uri}/`)) {
    for (const records of readJsonObjects(object.path)) parsed += records.length;
  }
  const parseOnlyMs = performance.now() - started;
  const events = await runStep('stage_events');
  const songs = await runStep('stage_songs');
  if (events.rowsLoaded !== parsed) {
    throw new Error(`staged ${events.rowsLoaded} events but the files hold ${parsed} objects`);
  }
  return {
    parseOnlyMs,
    stageEventsMs: events.ms,
    stageSongsMs: songs.ms,
    events: events.rowsLoaded,
    songs: songs.rowsLoaded,
  };
}
