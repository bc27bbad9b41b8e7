import { join } from 'node:path';
import { hasSharedData } from './shared-data';

describe('hasSharedData', () => {
  const missing = join(__dirname, 'no-such-shared-data');
  const saved = process.env.CI;
  afterEach(() => {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
  });

  test('GIVEN a clone without the shared data WHEN not on CI THEN its tests are skipped', () => {
    delete process.env.CI;

    expect(hasSharedData(__dirname, missing)).toBe(false);
  });

  test('GIVEN CI=true WHEN the shared data is missing THEN the test file fails, naming what is missing', () => {
    process.env.CI = 'true';

    expect(() => hasSharedData(__dirname, missing)).toThrow(
      `CI=true, but the shared data these tests need is missing: ${missing}`,
    );
  });

  test('GIVEN the paths exist WHEN asked THEN the tests run, on CI or not', () => {
    process.env.CI = 'true';

    expect(hasSharedData(__dirname)).toBe(true);
  });
});
