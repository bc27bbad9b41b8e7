import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bucketPerTest, TestBucket, play } from '../support/dataset';

// `npm run local` as a person runs it, spawned through scripts/run.mjs: each test starts a process
// with a pipeline of its own, so these run apart from the in-process pipeline tests
// (test/local/local-pipeline.test.ts) and the two files can take both cores.

let bucket: TestBucket;
bucketPerTest(
  (fresh) =>
    (bucket = fresh.unplayedSong().events('2018-11-01', [play({ userId: '1' }), play({ userId: '2' })])),
);

describe('npm run local', () => {
  const run = promisify(execFile);
  const cli = (...args: string[]) =>
    run(process.execPath, ['scripts/run.mjs', 'local/cli/local.ts', ...args], {
      cwd: join(__dirname, '..', '..'),
    });

  test('runs on a generated data set by default and ends with a JSON summary', async () => {
    const { stdout } = await cli('--json');
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      status: string;
      counts: Record<string, number>;
      states: { name: string }[];
    };
    expect(summary.status).toBe('SUCCEEDED');
    expect(summary.counts.staging_events).toBe(8000);
    expect(summary.counts.songplays).toBeGreaterThan(0);
    expect(summary.states.map((state) => state.name)).toContain('publish: poll');
    expect(stdout).toMatch(
      /✓ publish .* merged users \d+ · songs 2,000 · artists [\d,]+ · songplays [\d,]+ · time [\d,]+; \d+ checks passed\n/,
    );
  });

  test('prints each row the COPYs rejected as key:line field: reason, and lists them in --json', async () => {
    bucket.events('2018-11-02', [play({ userId: '3' }), play({ userId: '4', sessionId: 'late' })]);
    const { stdout } = await cli(
      '--data',
      bucket.dir,
      '--input',
      '{"mode": "full", "maxErrors": 1}',
      '--json',
    );
    const source = 's3://udacity-dend/log_data/2018/11/2018-11-02-events.json';
    expect(stdout).toMatch(/✓ stage_events .* staged \d+ rows into staging_events; 1 rejected\n/);
    expect(stdout).toContain(
      `1 row(s) rejected, kept in etl_load_errors:\n  ${source}:2 session_id: expected a number for integer, got "late"\n`,
    );
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { status: string; rejected: unknown };
    expect(summary.status).toBe('SUCCEEDED');
    expect(summary.rejected).toEqual([
      {
        table: 'staging_events',
        source,
        line: 2,
        column: 'session_id',
        reason: 'expected a number for integer, got "late"',
      },
    ]);
  });

  test('a failed execution exits non-zero with the error and its cause', async () => {
    const failure = cli('--data', bucket.dir, '--input', '{"mode": "nightly"}');
    await expect(failure).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /execution FAILED: InvalidInput\n\s+"mode" must be "full" or "incremental"/,
      ),
    });
  });
});
