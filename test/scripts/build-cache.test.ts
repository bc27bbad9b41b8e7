import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedBuild } from '../../scripts/build-cache.mjs';

// A kept build is found again by its key while its sources are unchanged, even after the project
// (and so its node_modules/.cache) has moved: its record names its files inside its own directory.

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'sparkify-build-cache-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function project(name: string): string {
  const root = join(scratch, name);
  mkdirSync(root);
  writeFileSync(join(root, 'source.txt'), 'v1');
  return root;
}

const buildFrom = (root: string, counter: { builds: number }) =>
  cachedBuild({
    root,
    name: 'test-builds',
    key: 'k',
    build: (outdir: string) => {
      counter.builds += 1;
      const file = join(outdir, 'out.txt');
      writeFileSync(file, readFileSync(join(root, 'source.txt')));
      return Promise.resolve({ output: { file }, sources: ['source.txt'] });
    },
  });

test('a moved project finds its kept build at the new place, and builds again once a source changes', async () => {
  const counter = { builds: 0 };
  const before = project('before');
  // A source saved during the build is not trusted: let the clock pass its modification time.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const first = await buildFrom(before, counter);
  expect(first.file.startsWith(before)).toBe(true);

  const after = join(scratch, 'after');
  renameSync(before, after);
  const moved = await buildFrom(after, counter);
  expect(counter.builds).toBe(1);
  expect(moved.file.startsWith(join(after, 'node_modules', '.cache', 'test-builds'))).toBe(true);
  expect(readFileSync(moved.file, 'utf8')).toBe('v1');

  writeFileSync(join(after, 'source.txt'), 'v2');
  const rebuilt = await buildFrom(after, counter);
  expect(counter.builds).toBe(2);
  expect(readFileSync(rebuilt.file, 'utf8')).toBe('v2');
});

test('builds of one key started at once build it once; the others wait and take that build', async () => {
  const root = project('concurrent');
  const counter = { builds: 0 };
  const slowBuild = () =>
    cachedBuild({
      root,
      name: 'test-builds',
      key: 'shared',
      build: async (outdir: string) => {
        counter.builds += 1;
        await new Promise((resolve) => setTimeout(resolve, 200));
        const file = join(outdir, 'out.txt');
        writeFileSync(file, 'built');
        return { output: { file }, sources: [] };
      },
    });
  const outputs = await Promise.all([slowBuild(), slowBuild(), slowBuild()]);
  expect(counter.builds).toBe(1);
  expect(new Set(outputs.map((output) => output.file)).size).toBe(1);
});

test('a lock left by a process that is gone does not hold a build up', async () => {
  const root = project('abandoned');
  const gone = spawnSync(process.execPath, ['-e', '']).pid;
  const cache = join(root, 'node_modules', '.cache', 'test-builds');
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, 'k.lock'), JSON.stringify({ pid: gone }));
  const counter = { builds: 0 };
  const started = Date.now();
  await buildFrom(root, counter);
  expect(counter.builds).toBe(1);
  expect(Date.now() - started).toBeLessThan(5000);
});

test('a lock older than a minute is taken over, even one its writer left empty', async () => {
  const root = project('stale');
  const cache = join(root, 'node_modules', '.cache', 'test-builds');
  mkdirSync(cache, { recursive: true });
  const lock = join(cache, 'k.lock');
  writeFileSync(lock, '');
  const twoMinutesAgo = new Date(Date.now() - 120_000);
  utimesSync(lock, twoMinutesAgo, twoMinutesAgo);
  const counter = { builds: 0 };
  await buildFrom(root, counter);
  expect(counter.builds).toBe(1);
});
