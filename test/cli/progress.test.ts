import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQL_STEPS } from '../../lambda/shared/sql-steps';
import { progressPrinter } from '../../local/cli/progress';
import { describeEffects, statementEffects } from '../../local/cli/step-summary';
import { generateDataset } from '../../local/generator';
import { PipelineHarness, select, TEST_LOCATIONS } from '../support/warehouse-harness';

// The per-step lines of `npm run local`, from a real run: every number they give must be the one
// the warehouse holds afterwards.

const harness = new PipelineHarness();
let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sparkify-progress-'));
  generateDataset({ outDir: dataDir, events: 400, songs: 40, days: 3 });
});
afterAll(async () => {
  await harness.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const count = async (pipeline: Parameters<typeof select>[0], table: string) =>
  Number((await select(pipeline, `SELECT COUNT(*) AS n FROM ${table}`))[0]?.n);

test('a full run says what each step staged, merged and checked, in numbers the warehouse confirms', async () => {
  const pipeline = await harness.pipeline(dataDir);
  const lines: string[] = [];
  const outcome = await pipeline.execute(
    { mode: 'full' },
    { onState: progressPrinter(pipeline, (line) => lines.push(line)) },
  );
  expect(outcome.status).toBe('SUCCEEDED');
  const detail = (step: string) => {
    const found = lines.find((line) => line.startsWith(`  ✓ ${step} `));
    if (found === undefined) throw new Error(`no line for ${step} in:\n${lines.join('\n')}`);
    return found.split(/ {3}/).at(-1);
  };
  const n = async (table: string) => (await count(pipeline, table)).toLocaleString('en-US');

  const procedures = SQL_STEPS.create_tables
    .files()
    .flatMap((file) => file.text.match(/^CREATE OR REPLACE PROCEDURE/gim) ?? []).length;
  expect(procedures).toBeGreaterThan(0);
  expect(detail('create_tables')).toMatch(new RegExp(`^\\d+ tables, ${procedures} procedures? in place$`));
  expect(detail('claim_run')).toBe('run lock claimed');
  expect(detail('stage_events')).toBe(
    `staged ${await n('staging_events')} rows into staging_events; 0 rejected`,
  );
  expect(detail('stage_songs')).toBe(
    `staged ${await n('staging_songs')} rows into staging_songs; 0 rejected`,
  );
  const checks = outcome.states
    .map((state) => (state.result as { checks?: unknown } | undefined)?.checks)
    .find(Array.isArray)?.length;
  expect(checks).toBeGreaterThan(0);
  expect(detail('publish')).toBe(
    `merged users ${await n('users')} · songs ${await n('songs')} · artists ${await n('artists')} · ` +
      `songplays ${await n('songplays')} · time ${await n('time')}; ${checks} checks passed`,
  );
});

test('an incremental run on an empty catalogue says it loads it, and its publish line names the songs merged', async () => {
  const pipeline = await harness.pipeline(dataDir);
  const lines: string[] = [];
  const outcome = await pipeline.execute(
    { mode: 'incremental', date: '2018-11-01' },
    { onState: progressPrinter(pipeline, (line) => lines.push(line)) },
  );
  expect(outcome.status).toBe('SUCCEEDED');
  expect(lines).toContainEqual(expect.stringMatching(/✓ song catalogue .* empty: this run loads it/));
  const publish = lines.find((line) => line.startsWith('  ✓ publish '));
  expect(publish).toContain(`songs ${(await count(pipeline, 'songs')).toLocaleString('en-US')} ·`);
  expect(await count(pipeline, 'songs')).toBeGreaterThan(0);
});

test('counts that do not line up with the step’s statements are not named at all', () => {
  const plan = {
    runId: 'r',
    mode: 'full',
    reloadSongs: true,
    logPrefixes: ['/', '/again/'],
    maxErrors: 0,
    missingDays: [],
  } as const;
  const effects = statementEffects('stage_events', plan, TEST_LOCATIONS, [0, 5, 7, 2]);
  // The DELETE that empties staging, one COPY per log prefix, the INSERT that keeps rejected rows.
  expect(effects && describeEffects(effects)).toBe('staged 12 rows into staging_events; 2 rejected');
  expect(statementEffects('stage_events', plan, TEST_LOCATIONS, [0, 5, 7])).toBeUndefined();
});
