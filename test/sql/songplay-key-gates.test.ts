import { bucketPerTest, play, TestBucket } from '../support/dataset';
import { DAY, DAY_PLAYS, FIRST_DAY } from '../support/two-days';
import { PipelineHarness, execute, onEngine, playTables } from '../support/warehouse-harness';

// The songplays gates of check_quality.sql count a duplicate play key only among the keys of the
// rows whose songplay_id is carried twice, or by a row that is not the run's play; any other row is
// the run's play alone with its id, the MD5 of its key. These faults make the songplays merge write
// a play twice (under its own id, or under another play's), and each gate must count exactly what a
// gate grouping every row by key and by id would. A fault is a trigger or a rule set on the engine
// directly (the Redshift bridge would rightly refuse either).

const harness = new PipelineHarness();
afterAll(() => harness.close());

let bucket: TestBucket;
bucketPerTest((fresh) => (bucket = fresh));

/** Inserts a copy of play 2-20-1 beside it, under the id `id` gives it (once: not for the copy). */
const copyOfPlay = (id: string) => [
  `CREATE FUNCTION copy_a_play() RETURNS trigger AS $$
   BEGIN
       INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id,
                              session_id, item_in_session, location, user_agent)
       VALUES (${id}, NEW.start_time, NEW.user_id, NEW.level, NEW.song_id, NEW.artist_id,
               NEW.session_id, NEW.item_in_session, NEW.location, NEW.user_agent);
       RETURN NULL;
   END $$ LANGUAGE plpgsql`,
  `CREATE TRIGGER copy_a_play AFTER INSERT ON songplays FOR EACH ROW
   WHEN (pg_trigger_depth() < 1 AND NEW.user_id = 2 AND NEW.session_id = 20 AND NEW.item_in_session = 1)
   EXECUTE FUNCTION copy_a_play()`,
];

test.each([
  {
    fault: 'the merge writes a play twice under its own id',
    id: 'NEW.songplay_id',
    failed: ['songplays: duplicate play key: 1 row(s)', 'songplays: duplicate songplay_id: 1 row(s)'],
  },
  {
    fault: 'the merge writes a play again under another play’s id',
    id: "MD5('1-11-1')",
    failed: ['songplays: duplicate play key: 1 row(s)', 'songplays: duplicate songplay_id: 1 row(s)'],
  },
  {
    fault: 'the merge writes a play under another play’s id, and not that play',
    id: "MD5('2-20-2')",
    rule: `CREATE RULE lose_a_play AS ON INSERT TO songplays
           WHERE NEW.user_id = 2 AND NEW.item_in_session = 2 DO INSTEAD NOTHING`,
    failed: [
      'songplays: duplicate play key: 1 row(s)',
      'staged NextSong events missing from songplays: 1 row(s)',
    ],
  },
])('$fault: the gates count it', async ({ id, rule, failed }) => {
  bucket
    .unplayedSong()
    .events(FIRST_DAY, [play({ userId: '3', sessionId: 30, itemInSession: 1 })])
    .events(DAY, DAY_PLAYS.map(play));
  const pipeline = await harness.pipeline(bucket.dir);
  await execute(pipeline, { mode: 'incremental', date: FIRST_DAY, songs: true });
  const before = await playTables(pipeline);
  await onEngine(pipeline, ...copyOfPlay(id), ...(rule ? [rule] : []));
  const run = execute(pipeline, { mode: 'incremental', date: DAY });
  await expect(run).rejects.toMatchObject({ name: 'DataQualityCheckFailed' });
  const message = await run.catch((error: Error) => error.message);
  const failing = String(message)
    .split('\n')
    .filter((line) => line.startsWith('  - '))
    .map((line) => line.slice(4));
  expect(failing).toEqual([...failed].sort());
  expect(await playTables(pipeline)).toEqual(before);
});
