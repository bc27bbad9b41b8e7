// Records how long each test file took in a whole jest run, for the sequencer that starts the
// slowest files first on a clean clone (test/support/jest/sequencer.cjs):
//   npm run jest -- --json --outputFile=/tmp/jest.json && node scripts/record-test-durations.mjs /tmp/jest.json
// Take them from a run of the whole suite as CI runs it (SPARKIFY_TEST_DATABASE_URL set): a file's
// duration depends on what runs beside it.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'test', 'support', 'jest', 'test-durations.json');
const [report] = process.argv.slice(2);
if (!report) {
  console.error('usage: node scripts/record-test-durations.mjs <jest --json output file>');
  process.exit(2);
}

const { testResults } = JSON.parse(readFileSync(report, 'utf8'));
const seconds = testResults
  .map((file) => [relative(root, file.name), Math.round((file.endTime - file.startTime) / 100) / 10])
  .sort(([pathA, a], [pathB, b]) => b - a || pathA.localeCompare(pathB));
writeFileSync(output, `${JSON.stringify(Object.fromEntries(seconds), null, 2)}\n`);
console.log(`${seconds.length} test files' durations written to ${relative(process.cwd(), output)}`);
