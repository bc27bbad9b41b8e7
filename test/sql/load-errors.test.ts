import { bucketPerTest, play, TestBucket } from '../support/dataset';
import { ExecutionFailed, PipelineHarness, execute, runFull, select } from '../support/warehouse-harness';

// Rows a COPY rejects: up to the run's maxErrors are skipped and the run goes on; each lands in
// etl_load_errors and is counted in etl_runs.rows_rejected; one more fails the step, naming them.

const harness = new PipelineHarness();
afterAll(() => harness.close());

let bucket: TestBucket;
bucketPerTest((fresh) => (bucket = fresh));

// The deployment's data bucket, which the pipeline harness serves from the test's directory.
const BUCKET = 's3://udacity-dend';
const SONG = { song_id: 'SOA', title: 'Song', artist_id: 'ARA', artist_name: 'Artist' };

/** Two plays with a session id that is not a number (lines 2 and 4) and a song without a title. */
function bucketWithThreeBadRows(): TestBucket {
  return bucket
    .song('TRAAAAA0000000001', SONG)
    .song('TRAAAAB0000000002', { ...SONG, song_id: 'SOB', title: null as unknown as string })
    .events('2018-11-01', [
      play({ userId: '1' }),
      play({ userId: '2', sessionId: 'morning' }),
      play({ userId: '3' }),
      play({ userId: '4', sessionId: 'evening' }),
    ]);
}

const loadErrors = (pipeline: Parameters<typeof select>[0]) =>
  select(
    pipeline,
    `SELECT run_id, table_name, source_uri, line_number, column_name, reason
       FROM etl_load_errors ORDER BY table_name, source_uri, line_number`,
  );

test('up to maxErrors bad rows are skipped, each kept in etl_load_errors and counted in the run', async () => {
  const pipeline = await harness.pipeline(bucketWithThreeBadRows().dir);
  const outcome = await execute(pipeline, { mode: 'full', maxErrors: 2 });
  if (outcome.status !== 'SUCCEEDED') throw new Error('unreachable');
  const [run] = await select(
    pipeline,
    'SELECT run_id, rows_rejected, events_staged, songs_staged FROM etl_runs',
  );
  expect(run).toMatchObject({ rows_rejected: 3, events_staged: 2, songs_staged: 1 });
  const runId = run!.run_id;
  const events = `${BUCKET}/log_data/2018/11/2018-11-01-events.json`;
  await expect(loadErrors(pipeline)).resolves.toEqual([
    {
      run_id: runId,
      table_name: 'staging_events',
      source_uri: events,
      line_number: 2,
      column_name: 'session_id',
      reason: 'expected a number for integer, got "morning"',
    },
    {
      run_id: runId,
      table_name: 'staging_events',
      source_uri: events,
      line_number: 4,
      column_name: 'session_id',
      reason: 'expected a number for integer, got "evening"',
    },
    {
      run_id: runId,
      table_name: 'staging_songs',
      source_uri: `${BUCKET}/song_data/A/A/A/TRAAAAB0000000002.json`,
      line_number: 1,
      column_name: 'title',
      reason: 'missing data for not-null field',
    },
  ]);
  // The staging steps' own tables are emptied once their rows are in the audit.
  await expect(
    select(
      pipeline,
      `SELECT (SELECT COUNT(*) FROM staging_events_load_errors) + (SELECT COUNT(*) FROM staging_songs_load_errors) AS n`,
    ),
  ).resolves.toEqual([{ n: 0 }]);
  await expect(select(pipeline, 'SELECT user_id FROM users ORDER BY user_id')).resolves.toEqual([
    { user_id: 1 },
    { user_id: 3 },
  ]);
});

test('each run keeps its own rejections; a clean run records none', async () => {
  const pipeline = await harness.pipeline(bucketWithThreeBadRows().dir);
  await execute(pipeline, { mode: 'full', maxErrors: 5 });
  await execute(pipeline, { mode: 'incremental', date: '2018-11-01', maxErrors: 5 });
  bucket.events('2018-11-01', [play({ userId: '1' })]);
  await execute(pipeline, { mode: 'incremental', date: '2018-11-01' });
  await expect(
    select(
      pipeline,
      `SELECT r.mode, r.rows_rejected, COUNT(e.run_id) AS listed
         FROM etl_runs r LEFT JOIN etl_load_errors e ON e.run_id = r.run_id
        GROUP BY r.run_seq, r.mode, r.rows_rejected ORDER BY r.run_seq`,
    ),
  ).resolves.toEqual([
    { mode: 'full', rows_rejected: 3, listed: 3 },
    { mode: 'incremental', rows_rejected: 2, listed: 2 },
    { mode: 'incremental', rows_rejected: 0, listed: 0 },
  ]);
});

test('one bad row more than maxErrors fails the staging step, naming the rows; nothing is staged', async () => {
  const pipeline = await harness.pipeline(bucketWithThreeBadRows().dir);
  const failure = execute(pipeline, { mode: 'incremental', date: '2018-11-01', maxErrors: 1 });
  await expect(failure).rejects.toThrow(ExecutionFailed);
  await expect(failure).rejects.toThrow(
    /2 row\(s\) rejected, more than MAXERROR 1[\s\S]*2018-11-01-events\.json line 2[\s\S]*line 4/,
  );
  const [run] = await select(pipeline, 'SELECT status, rows_rejected FROM etl_runs');
  expect(run).toEqual({ status: 'FAILED', rows_rejected: 0 });
  await expect(loadErrors(pipeline)).resolves.toEqual([]);
});

test('by default, maxErrors is 0: the first bad row fails the run', async () => {
  const pipeline = await harness.pipeline(
    bucket.song('TRAAAAA0000000001', SONG).events('2018-11-01', [play({ sessionId: 'noon' })]).dir,
  );
  await expect(runFull(pipeline)).rejects.toThrow(/1 row\(s\) rejected, more than MAXERROR 0/);
});

test('a full run loads log_data/ and song_data/ only, never sibling keys such as log_data_old/', async () => {
  bucket
    .song('TRAAAAA0000000001', SONG)
    .events('2018-11-01', [play({ userId: '1' })])
    .write('log_data_old/2018/11/2018-11-01-events.json', JSON.stringify(play({ userId: '99' })))
    .write(
      'song_data_old/A/A/A/TRAAAAA0000000009.json',
      JSON.stringify({ ...SONG, song_id: 'SOOLD', duration: 1, year: 0, num_songs: 1 }),
    );
  const pipeline = await harness.pipeline(bucket.dir);
  await runFull(pipeline);
  await expect(select(pipeline, 'SELECT user_id FROM users')).resolves.toEqual([{ user_id: 1 }]);
  await expect(select(pipeline, 'SELECT song_id FROM songs')).resolves.toEqual([{ song_id: 'SOA' }]);
});
