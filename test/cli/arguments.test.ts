import { join } from 'node:path';
import { ArgumentError, helpText, parseArguments, resolvePath } from '../../local/cli/arguments';

const COMMAND = {
  command: 'npm run example --',
  summary: 'Does an example thing.',
  options: {
    data: { type: 'path', value: 'DIR', description: 'where the data is' },
    out: { type: 'path', value: 'FILE', default: 'report.html', description: 'where the report goes' },
    database: { type: 'database', value: 'URL', description: 'the warehouse' },
    events: { type: 'integer', value: 'N', default: 8000, max: 1000, description: 'events in all' },
    seed: { type: 'integer', value: 'S', min: 0, description: 'PRNG seed' },
    bucket: { type: 'string', value: 'NAME=DIR', multiple: true, description: 'a bucket\nrepeatable' },
    name: { type: 'string', value: 'NAME', required: true, description: 'a name' },
    json: { type: 'boolean', description: 'print JSON' },
  },
} as const;

const BASE = '/home/someone/work';

function parse(...argv: string[]) {
  return parseArguments(COMMAND, argv, BASE);
}

function refusal(...argv: string[]): string {
  try {
    parse(...argv);
  } catch (error) {
    expect(error).toBeInstanceOf(ArgumentError);
    return (error as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('parseArguments', () => {
  test('fills in defaults, resolves paths from the invocation directory, keeps the last of a repeat', () => {
    expect(parse('--name', 'x')).toEqual({
      help: false,
      values: {
        data: undefined,
        out: join(BASE, 'report.html'),
        database: undefined,
        events: 8000,
        seed: undefined,
        bucket: [],
        name: 'x',
        json: false,
      },
    });
    const parsed = parse(
      '--name=y',
      '--data',
      '../data',
      '--out',
      '/tmp/r.html',
      '--database',
      'pglite:wh',
      '--events=5',
      '--events',
      '7',
      '--seed',
      '0',
      '--bucket',
      'a=1',
      '--bucket=b=2',
      '--json',
    );
    expect(parsed).toEqual({
      help: false,
      values: {
        data: '/home/someone/data',
        out: '/tmp/r.html',
        database: `pglite:${BASE}/wh`,
        events: 7,
        seed: 0,
        bucket: ['a=1', 'b=2'],
        name: 'y',
        json: true,
      },
    });
  });

  test('a server URL is kept as given', () => {
    const parsed = parse('--name', 'x', '--database', 'postgres://u@h:1/db');
    expect(parsed.help === false && parsed.values.database).toBe('postgres://u@h:1/db');
  });

  test('--help and -h win over anything else, even a bad command line', () => {
    expect(parse('--help')).toEqual({ help: true });
    expect(parse('--events', 'abc', '-h')).toEqual({ help: true });
  });

  test.each([
    [['--events', 'abc'], '--events must be a positive integer, got "abc"'],
    [['--events', '0'], '--events must be a positive integer, got "0"'],
    [['--events=-3'], '--events must be a positive integer, got "-3"'],
    [['--events', '1e3'], '--events must be a positive integer, got "1e3"'],
    [['--events', ' 5'], '--events must be a positive integer, got " 5"'],
    [['--events', '1001'], '--events must be at most 1000, got "1001"'],
    [['--seed', '-1'], '--seed must be a non-negative integer, got "-1"'],
    [['--seed=-1'], '--seed must be a non-negative integer, got "-1"'],
    [['--evnts', '5'], 'unknown option --evnts; did you mean --events?'],
    [['-x'], 'unknown option -x'],
    [['--data'], '--data needs a value: --data DIR'],
    [['--data', '--json'], '--data needs a value: --data DIR'],
    [['--data', ''], '--data must be a path, got ""'],
    [['--json=yes'], '--json takes no value'],
    [['stray'], 'unexpected argument "stray"'],
    [
      ['--database', 'mysql://x'],
      '--database must be postgres://user:password@host:port/db or pglite:DIR, got "mysql://x"',
    ],
    [
      ['--database', 'pglite:'],
      '--database must be postgres://user:password@host:port/db or pglite:DIR, got "pglite:"',
    ],
  ])('%j is refused by name', (argv, message) => {
    expect(refusal('--name', 'x', ...argv)).toBe(message);
  });

  test('a required option left out is named', () => {
    expect(refusal()).toBe('--name is required: --name NAME');
  });
});

describe('helpText', () => {
  test('lists every option with its placeholder, description lines and default', () => {
    const text = helpText(COMMAND);
    expect(text.split('\n')[0]).toBe(
      'usage: npm run example -- [--data DIR] [--out FILE] [--database URL] [--events N] [--seed S] ' +
        '[--bucket NAME=DIR]… --name NAME [--json] [--help]',
    );
    expect(text).toContain('Does an example thing.');
    for (const name of [...Object.keys(COMMAND.options), 'help']) expect(text).toContain(`--${name}`);
    expect(text).toMatch(/ {6}--events N +events in all\n +default: 8000\n/);
    expect(text).toMatch(/--bucket NAME=DIR +a bucket\n +repeatable\n/);
    expect(text).toMatch(/-h, --help +print this help$/);
  });
});

describe('resolvePath', () => {
  test('keeps absolute paths and resolves relative ones from the base', () => {
    expect(resolvePath('/a/b', BASE)).toBe('/a/b');
    expect(resolvePath('c', BASE)).toBe(`${BASE}/c`);
  });
});
