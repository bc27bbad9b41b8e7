import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { chromium, type Browser } from 'playwright-core';
import { QUERIES } from '../../analytics/queries';
import { runQuery } from '../../analytics/query-runner';
import { catalogueNotes } from '../../analytics/sections';
import { WarehouseClient } from '../../lambda/shared/redshift-data';
import { startDataApiServer, type DataApiServer } from '../../local/data-api/server';
import { generateDataset } from '../../local/generator';
import { hasSharedData, SHARED_BUCKET } from '../support/shared-data';
import { PipelineHarness, runFull } from '../support/warehouse-harness';
import { expectedAnswers } from './expected-answers';

const ROOT = resolve(__dirname, '..', '..');
/** Debian's chromium, as .ci/run installs it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

type Value = string | number | boolean | null;
type Row = Record<string, Value>;

const harness = new PipelineHarness();
const work = mkdtempSync(join(tmpdir(), 'sparkify-analytics-test-'));
const dataDir = join(work, 'data');
let server: DataApiServer;
let runId: string;
let answers: Record<string, Row[]>;
let stdout: string;
let browser: Browser;

/** A table cell as a person reads it: numbers grouped in thousands, NULL as a dash. */
const cellText = (value: Value) =>
  value === null ? '—' : typeof value === 'number' ? value.toLocaleString('en-US') : String(value);

beforeAll(async () => {
  // Small, but with every trap of the generator: unmatched plays, level changes, shared titles.
  generateDataset({ outDir: dataDir, events: 1500, songs: 300, days: 7, seed: 11 });
  const pipeline = await harness.pipeline(dataDir);
  const outcome = await runFull(pipeline);
  runId = outcome.states
    .map((state) => (state.result as { runId?: unknown } | undefined)?.runId)
    .find((id): id is string => typeof id === 'string')!;
  server = await startDataApiServer({ warehouse: pipeline.warehouse });
  // The deployed-warehouse path, pointed at the local endpoint as the Lambdas are: the SDK's default
  // credential chain and region, and AWS_ENDPOINT_URL_REDSHIFT_DATA.
  const { stdout: out } = await promisify(execFile)(
    process.execPath,
    [
      'scripts/run.mjs',
      'analytics/cli.ts',
      '--workgroup',
      'local',
      '--secret-arn',
      'arn:aws:secretsmanager:us-west-2:000000000000:secret:admin',
      '--database-name',
      'dev',
      '--out',
      'report/analytics.html',
      '--json',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        INIT_CWD: work,
        AWS_ENDPOINT_URL_REDSHIFT_DATA: server.endpoint,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_SESSION_TOKEN: '',
        AWS_REGION: 'us-west-2',
        AWS_PROFILE: '',
      },
    },
  );
  stdout = out;
  answers = JSON.parse(out.trimEnd().split('\n').at(-1)!) as Record<string, Row[]>;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await harness.close();
  rmSync(work, { recursive: true, force: true });
});

test("each answer, through the Data API client on the deployed-warehouse path, equals what the data set's files say", () => {
  const expected = expectedAnswers(dataDir);
  for (const [query, rows] of Object.entries(expected))
    expect({ query, rows: answers[query] }).toEqual({ query, rows });
  expect(answers.last_run).toEqual([
    {
      run_id: runId,
      mode: 'full',
      range_from: null,
      range_to: null,
      songs_reloaded: true,
      status: 'SUCCEEDED',
      finished_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/),
    },
  ]);
  // The data set has what the report must show: unmatched plays and users who changed level.
  expect(answers.top_unmatched?.length).toBeGreaterThan(0);
  expect(answers.level_changes?.[0]?.free_to_paid).toBeGreaterThan(0);
  // The terminal shows each answer as a table too.
  expect(stdout).toMatch(/top_locations\n location +│ plays\n/);
});

test('the report opens in Chromium with no console error and no request, each chart drawn and its table equal to the answer', async () => {
  const file = join(work, 'report', 'analytics.html');
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/*', async (route) => {
    requests.push(route.request().url());
    if (route.request().url().startsWith('file://')) await route.continue();
    else await route.abort();
  });
  await page.goto(`file://${file}`, { waitUntil: 'load' });

  expect(requests).toEqual([`file://${file}`]);
  expect(errors).toEqual([]);

  const charts = await page.locator('figure[data-chart] .chart svg').all();
  const charted = await page
    .locator('figure[data-chart]')
    .evaluateAll((figures) => figures.map((figure) => figure.getAttribute('data-chart')));
  expect(charted).toEqual([
    'plays_by_hour',
    'plays_by_weekday',
    'daily_plays',
    'top_songs',
    'top_artists',
    'top_locations',
    'users_by_level',
    'catalogue_match',
    'top_unmatched',
  ]);
  expect(charts.length).toBe(charted.length);
  for (const chart of charts) {
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect(box?.height).toBeGreaterThan(50);
    // Drawn, not just sized: marks are in it.
    expect(
      await chart.locator('.mark-rect path, .mark-line path, .mark-symbol path').count(),
    ).toBeGreaterThan(0);
  }

  for (const [query, rows] of Object.entries(answers)) {
    const table = page.locator(`table[data-query="${query}"]`);
    const header = await table.locator('thead th').allInnerTexts();
    const body = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
    const columns = Object.keys(rows[0] ?? {});
    expect({ query, header }).toEqual({ query, header: columns });
    expect({ query, body }).toEqual({
      query,
      body: rows.map((row) => columns.map((c) => cellText(row[c] ?? null))),
    });
  }
  // Section 8 says how many plays match, in words.
  const match = answers.catalogue_match![0]!;
  await expect(page.locator('#catalogue').innerText()).resolves.toContain(
    `${cellText(match.matched_plays!)} of ${cellText(match.plays!)} plays`,
  );
  await page.close();
});

test('the page follows a dark colour scheme, and prints dark on white whatever the scheme', async () => {
  const page = await browser.newPage({ colorScheme: 'dark' });
  await page.goto(`file://${join(work, 'report', 'analytics.html')}`);
  // A string, run in the page: this project's TypeScript has no DOM library.
  const colours = async () =>
    (await page.evaluate(`({
      body: getComputedStyle(document.body).backgroundColor,
      axis: getComputedStyle(document.querySelector('.chart svg text')).fill,
    })`)) as { body: string; axis: string };
  const brightness = (rgb: string) =>
    (rgb.match(/\d+/g) ?? []).slice(0, 3).reduce((sum, n) => sum + Number(n), 0);
  const screen = await colours();
  expect(brightness(screen.body)).toBeLessThan(200);
  expect(brightness(screen.axis)).toBeGreaterThan(500);
  await page.emulateMedia({ media: 'print' });
  const paper = await colours();
  expect(brightness(paper.body)).toBe(765);
  expect(brightness(paper.axis)).toBe(0);
  await page.close();
});

test('a local warehouse the pipeline never filled is refused with the missing table and what to do', async () => {
  const run = promisify(execFile)(
    process.execPath,
    ['scripts/run.mjs', 'analytics/cli.ts', '--database', 'pglite:empty'],
    {
      cwd: ROOT,
      env: { ...process.env, INIT_CWD: work },
    },
  );
  await expect(run).rejects.toMatchObject({
    code: 1,
    stdout: expect.stringContaining(`engine    PGlite`),
    stderr: expect.stringMatching(
      /✗ \w+ FAILED: ERROR: relation "\w+" does not exist\n {2}The warehouse lacks the pipeline's tables/,
    ),
  });
});

const testWithData = hasSharedData(SHARED_BUCKET) ? test : test.skip;

testWithData('on the real data, section 8 says plainly that few plays match the catalogue', async () => {
  await runFull(await harness.pipeline(SHARED_BUCKET));
  const sdk = new RedshiftDataClient({
    endpoint: server.endpoint,
    region: 'us-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const client = new WarehouseClient(
    { target: { kind: 'serverless', workgroupName: 'local' }, database: 'dev', secretArn: 'local' },
    sdk,
  );
  const match = await runQuery(client, 'catalogue_match', QUERIES.catalogue_match);
  sdk.destroy();
  expect(match.rows).toEqual([
    { plays: 6820, matched_plays: 41, unmatched_plays: 6779, catalogue_songs: 1943 },
  ]);
  expect(catalogueNotes(match)).toEqual([
    'Only 41 of 6,820 plays (0.6 %) match a song in the catalogue of 1,943 songs.',
    expect.stringContaining('The catalogue is a subset of the Million Song Dataset'),
    expect.stringContaining('read from the events the last run staged'),
  ]);
});
