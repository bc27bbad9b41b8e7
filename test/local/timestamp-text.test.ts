import { epochMsFormatter } from '../../local/copy/timestamp-text';

// The loader's own TIMESTAMP text must be Date's, character for character, wherever a Date exists.

const dateText = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

test('matches Date across days, around 1970, at fractions and at the ends of its range', () => {
  const format = epochMsFormatter();
  const edges = [0, -0, 1.5, -1.5, -1, 86_399_999, 86_400_000, -86_400_000, -86_400_001, 8.64e15, -8.64e15];
  // Steps of a prime number of milliseconds visit every field's carry, in and out of cached days.
  const walk = Array.from({ length: 20_000 }, (_, i) => 1_541_030_400_000 - 5e11 + i * 2_499_999_937);
  const differing = [...edges, ...walk].filter((ms) => format(ms) !== dateText(ms));
  expect(differing.map((ms) => [ms, format(ms), dateText(ms)])).toEqual([]);
});

test('is undefined where no Date can hold the time', () => {
  const format = epochMsFormatter();
  for (const ms of [8.64e15 + 1, -8.64e15 - 1, Number.NaN, Infinity]) expect(format(ms)).toBeUndefined();
});
