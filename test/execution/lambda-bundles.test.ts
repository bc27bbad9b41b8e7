import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceHashes, sourcesUnchanged } from '../../scripts/build-cache.mjs';

// Bundles kept on disk are reused only while every file that went into them is unchanged.

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sparkify-bundle-sources-'));
  writeFileSync(join(root, 'handler.ts'), 'export const handler = () => 1;');
  writeFileSync(join(root, 'step.sql'), 'SELECT 1;');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('GIVEN the sources of a build WHEN none changed THEN the build is reused', () => {
  const sources = sourceHashes(root, ['handler.ts', 'step.sql']);

  expect(sourcesUnchanged(root, sources)).toBe(true);
});

test('GIVEN the sources of a build WHEN one file changed, even to the same length, THEN it is rebuilt', () => {
  const sources = sourceHashes(root, ['handler.ts', 'step.sql']);
  writeFileSync(join(root, 'step.sql'), 'SELECT 2;');

  expect(sourcesUnchanged(root, sources)).toBe(false);
});

test('GIVEN the sources of a build WHEN one file is gone THEN it is rebuilt', () => {
  const sources = sourceHashes(root, ['handler.ts', 'step.sql']);
  rmSync(join(root, 'handler.ts'));

  expect(sourcesUnchanged(root, sources)).toBe(false);
});
