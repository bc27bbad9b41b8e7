import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The real data sets, kept beside the repository (never in it): `../shared/data`. */
export const SHARED_DATA = join(__dirname, '..', '..', '..', 'shared', 'data');

/** The copy of the `udacity-dend` bucket. */
export const SHARED_BUCKET = join(SHARED_DATA, 'udacity-dend');

/**
 * Whether the tests on shared data can run. A clone without `../shared` skips them; CI has it, so
 * with `CI=true` a missing path fails the test file instead of letting it pass by skipping.
 */
export function hasSharedData(...paths: string[]): boolean {
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length === 0) return true;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true, but the shared data these tests need is missing: ${missing.join(', ')}`);
  }
  return false;
}
