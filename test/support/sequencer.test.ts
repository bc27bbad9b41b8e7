import type { Test } from '@jest/test-result';
import { join } from 'node:path';
import RecordedDurationsSequencer from './jest/sequencer.cjs';
import recorded from './jest/test-durations.json';

// On a clean clone jest has no durations of its own and would order by file size; the recorded ones
// must start the slowest files first.

const ROOT = join(__dirname, '..', '..');

/** A test file as jest hands it to the sequencer, in a project with jest's cache turned off. */
const testFile = (path: string, bytes: number) =>
  ({
    path: join(ROOT, path),
    context: { config: { rootDir: ROOT, cache: false }, hasteFS: { getSize: () => bytes } },
  }) as unknown as Test;

test("GIVEN no durations of jest's own WHEN files are sorted THEN a new file comes first, then the recorded ones slowest first, whatever their size", async () => {
  const byDuration = Object.entries(recorded).sort(([, a], [, b]) => b - a);
  const [slowest] = byDuration[0]!;
  const [fastest] = byDuration.at(-1)!;
  const sequencer = new RecordedDurationsSequencer({ contexts: [], globalConfig: {} } as never);

  const sorted = await sequencer.sort([
    testFile(fastest, 50_000),
    testFile(slowest, 1_000),
    testFile('test/a-new.test.ts', 10),
  ]);

  expect(sorted.map((file) => file.path)).toEqual(
    ['test/a-new.test.ts', slowest, fastest].map((path) => join(ROOT, path)),
  );
});
