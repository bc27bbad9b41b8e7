import { ArgumentError } from '../../local/cli/arguments';
import { parseBenchArguments } from '../../bench/options';
import { README_END, README_START, spliceReadme } from '../../bench/report';
import { stepTimes } from '../../bench/step-times';

describe('npm run bench arguments', () => {
  test('defaults: a million events, a 300,000-event month for the nightly ratio, PGlite only', () => {
    expect(parseBenchArguments([])).toMatchObject({
      events: 1_000_000,
      songs: 20_000,
      days: 30,
      incrementalEvents: 300_000,
      repeat: 1,
      duckdb: false,
      writeReadme: false,
    });
    expect(parseBenchArguments([])).not.toHaveProperty('database');
  });

  test('the server comes from --database, else from SPARKIFY_BENCH_DATABASE_URL', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/postgres';
    expect(parseBenchArguments([], { SPARKIFY_BENCH_DATABASE_URL: url })).toMatchObject({ database: url });
    expect(parseBenchArguments(['--database', url], { SPARKIFY_BENCH_DATABASE_URL: 'x' })).toMatchObject({
      database: url,
    });
  });

  test.each([
    [['--events', '1e6'], /^--events must be a positive integer, got "1e6"$/],
    [['--events', '0'], /^--events must be a positive integer, got "0"$/],
    [['--events', '1000000000'], /^--events must be at most 100000000, got "1000000000"$/],
    [['--songs=-5'], /^--songs must be a positive integer, got "-5"$/],
    [['--days', ' 3'], /^--days must be a positive integer, got " 3"$/],
    [['--repeat', '1.5'], /^--repeat must be a positive integer/],
    [['--incremental-events', 'lots'], /^--incremental-events must be a non-negative integer/],
    [['--database', 'mysql://x'], /^--database must be a server URL/],
    [['--database', 'pglite:/tmp/x'], /^--database must be a server URL/],
    [['--eventz', '5'], /^unknown option --eventz; did you mean --events\?$/],
    [['stray'], /^unexpected argument "stray"$/],
  ])('%j is refused, naming the option', (args, message) => {
    expect(() => parseBenchArguments(args)).toThrow(ArgumentError);
    expect(() => parseBenchArguments(args)).toThrow(message);
  });

  test('a bad SPARKIFY_BENCH_DATABASE_URL is refused by that name', () => {
    expect(() => parseBenchArguments([], { SPARKIFY_BENCH_DATABASE_URL: 'pglite:/tmp/x' })).toThrow(
      /^SPARKIFY_BENCH_DATABASE_URL must be a server URL/,
    );
  });

  test('--help wins over everything else', () => {
    expect(parseBenchArguments(['--events', '5', '--help'])).toBe('help');
  });
});

describe('the README table', () => {
  const readme = `# T\n\nbefore\n${README_START}\nold table\n${README_END}\nafter\n`;

  test('only the text between the markers is replaced, and again on the next run', () => {
    const once = spliceReadme(readme, '| new |');
    expect(once).toBe(`# T\n\nbefore\n${README_START}\n| new |\n${README_END}\nafter\n`);
    expect(spliceReadme(once, '| newer |')).toBe(once.replace('| new |', '| newer |'));
  });

  test('a README without the markers is refused, not appended to', () => {
    expect(() => spliceReadme('# T\n', '| new |')).toThrow(/README.md has no <!-- bench:start -->/);
  });
});

describe('step times from an execution', () => {
  const poll = (step: string, result: unknown) => ({
    name: `${step}: poll`,
    type: 'Task',
    durationMs: 3,
    outcome: 'succeeded' as const,
    result,
  });

  test("each step's finished statement counts, not the polls before it or other states", () => {
    expect(
      stepTimes([
        poll('stage_events', { finished: false, status: 'STARTED' }),
        poll('stage_events', { finished: true, durationMs: 1200 }),
        poll('publish', { finished: true, durationMs: 800 }),
        { name: 'publish: wait', type: 'Wait', durationMs: 10, outcome: 'succeeded' },
        poll('not_a_step', { finished: true, durationMs: 5 }),
      ]),
    ).toEqual({ stage_events: 1200, publish: 800 });
  });

  test('a claim submitted again after waiting for the lock counts each statement', () => {
    const claim = poll('claim_run', { finished: true, durationMs: 20 });
    expect(stepTimes([claim, claim])).toEqual({ claim_run: 40 });
  });
});
