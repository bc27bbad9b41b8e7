import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, resolvePath } from '../../local/cli/arguments';
import {
  DEFAULTS,
  generateDataset,
  parseGenerateArgs,
  resolveOptions,
  runGenerateCli,
} from '../../local/generator';
import { listKeys, tempDir } from './read-dataset';

const REPO = join(__dirname, '..', '..');

function captured() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) } };
}

describe('command-line arguments', () => {
  test('defaults fill in what is not given', () => {
    expect(parseGenerateArgs(['--out', 'x'])).toEqual({
      help: false,
      json: false,
      options: {
        outDir: resolvePath('x'),
        ...DEFAULTS,
        startSec: Date.UTC(2018, 10, 1) / 1000,
        overwrite: false,
      },
    });
    expect(
      parseGenerateArgs([
        '--out=d',
        '--events=5',
        '--songs',
        '7',
        '--days',
        '2',
        '--seed',
        '0',
        '--start',
        '2020-02-29',
        '--force',
        '--json',
      ]),
    ).toMatchObject({
      json: true,
      options: {
        outDir: resolvePath('d'),
        events: 5,
        songs: 7,
        days: 2,
        seed: 0,
        start: '2020-02-29',
        overwrite: true,
      },
    });
    expect(parseGenerateArgs(['--help']).help).toBe(true);
  });

  test.each([
    [['--events', 'x'], '--events must be a positive integer, got "x"'],
    [['--events', '0'], '--events must be a positive integer, got "0"'],
    [['--events=-3'], '--events must be a positive integer, got "-3"'],
    [['--events', '1.5'], '--events must be a positive integer, got "1.5"'],
    [['--events', '1e3'], '--events must be a positive integer, got "1e3"'],
    [['--events', ' 5'], '--events must be a positive integer, got " 5"'],
    [['--events', '2000000000'], '--events must be at most 1000000000, got "2000000000"'],
    [['--songs', ''], '--songs must be a positive integer, got ""'],
    [['--days', '0x10'], '--days must be a positive integer, got "0x10"'],
    [['--days', '4000'], '--days must be at most 3660, got "4000"'],
    [['--seed', '-1'], '--seed must be a non-negative integer, got "-1"'],
    [['--seed=-1'], '--seed must be a non-negative integer, got "-1"'],
    [['--seed', '4294967296'], '--seed must be at most 4294967295, got "4294967296"'],
    [['--start', '2018-02-30'], '--start must be a date YYYY-MM-DD, got "2018-02-30"'],
    [['--start', '2018-1-5'], '--start must be a date YYYY-MM-DD, got "2018-1-5"'],
    [
      ['--start', '1970-01-01'],
      '--start must be from 1971-01-01 on, with the last day before year 10000, got "1970-01-01"',
    ],
    [['--evnts', '5'], 'unknown option --evnts; did you mean --events?'],
    [['extra'], 'unexpected argument "extra"'],
    [['--events'], '--events needs a value: --events N'],
  ])('%j is refused: %s', (args, message) => {
    const parse = () => parseGenerateArgs(['--out', 'x', ...args]);
    expect(parse).toThrow(ArgumentError);
    expect(parse).toThrow(message);
  });

  test('--out is required', () => {
    expect(() => parseGenerateArgs(['--events', '5'])).toThrow('--out is required');
    expect(() => parseGenerateArgs(['--out', ''])).toThrow('--out must be a path, got ""');
  });
});

describe('library options', () => {
  test('are checked with the same rules, named as in the API', () => {
    expect(() => resolveOptions({ outDir: 'x', events: 0 })).toThrow(
      'events must be a positive integer, got 0',
    );
    expect(() => resolveOptions({ outDir: 'x', songs: 2.5 })).toThrow(
      'songs must be a positive integer, got 2.5',
    );
    expect(() => resolveOptions({ outDir: 'x', days: '3' as unknown as number })).toThrow(
      'days must be a positive integer, got "3"',
    );
    expect(() => resolveOptions({ outDir: 'x', seed: Number.NaN })).toThrow(
      'seed must be a non-negative integer, got NaN',
    );
    expect(() => resolveOptions({ outDir: 'x', start: '2018/11/01' })).toThrow(
      'start must be a date YYYY-MM-DD, got "2018/11/01"',
    );
    expect(() => resolveOptions({} as never)).toThrow('outDir is required');
    expect(resolveOptions({ outDir: 'x', seed: 0 }).seed).toBe(0);
  });

  test('refuse a non-empty directory unless asked to overwrite, and then replace only the data set', () => {
    const tmp = tempDir();
    try {
      writeFileSync(join(tmp.dir, 'notes.txt'), 'keep me');
      expect(() => generateDataset({ outDir: tmp.dir, events: 5, songs: 2, days: 1 })).toThrow(
        /is not empty/,
      );
      expect(readdirSync(tmp.dir)).toEqual(['notes.txt']);
      generateDataset({ outDir: tmp.dir, events: 50, songs: 5, days: 3, overwrite: true });
      generateDataset({ outDir: tmp.dir, events: 5, songs: 2, days: 1, overwrite: true });
      const keys = listKeys(tmp.dir);
      expect(keys.filter((k) => k.startsWith('song_data/'))).toHaveLength(2);
      expect(keys.filter((k) => k.startsWith('log_data/'))).toEqual([
        'log_data/2018/11/2018-11-01-events.json',
      ]);
      expect(keys).toContain('notes.txt');
      mkdirSync(join(tmp.dir, 'file-not-dir'));
      writeFileSync(join(tmp.dir, 'plain'), '');
      expect(() => generateDataset({ outDir: join(tmp.dir, 'plain') })).toThrow(/not a directory/);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('the generate command', () => {
  test('prints a summary, or the summary as JSON', () => {
    const tmp = tempDir();
    try {
      const text = captured();
      expect(
        runGenerateCli(
          ['--out', join(tmp.dir, 'a'), '--events', '40', '--songs', '6', '--days', '2'],
          text.io,
        ),
      ).toBe(0);
      expect(text.out.join('\n')).toMatch(/40 events, \d+ NextSong, \d+ users/);
      expect(text.out.join('\n')).toContain('2018-11-01 … 2018-11-02');
      const json = captured();
      expect(
        runGenerateCli(
          ['--out', join(tmp.dir, 'b'), '--events', '40', '--songs', '6', '--days', '2', '--json'],
          json.io,
        ),
      ).toBe(0);
      expect(JSON.parse(json.out.join('\n'))).toMatchObject({
        events: 40,
        songs: 6,
        files: { songs: 6, logs: 2, total: 9 },
      });
    } finally {
      tmp.cleanup();
    }
  });

  test('exits 2 with the message and the usage on bad arguments', () => {
    const text = captured();
    expect(runGenerateCli(['--out', 'x', '--events', 'x'], text.io)).toBe(2);
    expect(text.err.join('\n')).toBe(
      '✗ --events must be a positive integer, got "x"\n  (npm run generate -- --help lists the options)',
    );
    expect(text.out).toEqual([]);
  });

  test('runs as `node scripts/run.mjs local/cli/generate.ts` (the npm run generate entry point)', () => {
    const tmp = tempDir();
    try {
      const ok = spawnSync(
        process.execPath,
        [
          'scripts/run.mjs',
          'local/cli/generate.ts',
          '--out',
          tmp.dir,
          '--events',
          '30',
          '--songs',
          '3',
          '--days',
          '2',
          '--json',
        ],
        { cwd: REPO, encoding: 'utf8' },
      );
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ events: 30, files: { total: 6 } });
      const bad = spawnSync(
        process.execPath,
        ['scripts/run.mjs', 'local/cli/generate.ts', '--days', 'many'],
        {
          cwd: REPO,
          encoding: 'utf8',
        },
      );
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('✗ --out is required');
    } finally {
      tmp.cleanup();
    }
  });
});
