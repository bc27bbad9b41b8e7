import { parseOptions, USAGE, UsageError } from '../../analytics/options';

const BASE = '/home/analyst/reports';
const SECRET = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:admin-AbCdEf';

test('--help lists every option the command accepts', () => {
  const listed = [...USAGE.matchAll(/^ {2}(?:-h, )?(--[a-z-]+)/gm)].map((match) => match[1]!);
  expect(listed.sort()).toEqual(
    [
      '--data',
      '--database',
      '--workgroup',
      '--cluster-identifier',
      '--secret-arn',
      '--database-name',
      '--region',
      '--out',
      '--json',
      '--help',
    ].sort(),
  );
  // Each listed option parses (a value where it takes one), so the help cannot list a stale name.
  for (const option of listed) {
    const args = option === '--json' || option === '--help' ? [option] : [option, 'x'];
    expect(() => parseOptions(args, BASE)).not.toThrow(/Unknown option/);
  }
  expect(parseOptions(['-h'], BASE).help).toBe(true);
});

test('no target runs the local pipeline on generated data; relative paths start where npm was run', () => {
  expect(parseOptions([], BASE)).toEqual({
    help: false,
    json: false,
    out: '/home/analyst/reports/analytics-report.html',
    target: { kind: 'pipeline' },
  });
  expect(parseOptions(['--data', '../udacity-dend', '--out', 'out/r.html', '--json'], BASE)).toEqual({
    help: false,
    json: true,
    out: '/home/analyst/reports/out/r.html',
    target: { kind: 'pipeline', dataDir: '/home/analyst/udacity-dend' },
  });
});

test('--database alone reads a local warehouse as it is; with --data, loads it first', () => {
  expect(parseOptions(['--database', 'pglite:wh'], BASE).target).toEqual({
    kind: 'local',
    database: 'pglite:/home/analyst/reports/wh',
  });
  expect(parseOptions(['--database', 'postgres://u@127.0.0.1:5432/db', '--data', '/d'], BASE).target).toEqual(
    {
      kind: 'pipeline',
      dataDir: '/d',
      database: 'postgres://u@127.0.0.1:5432/db',
    },
  );
});

test('--workgroup or --cluster-identifier with --secret-arn names the deployed warehouse', () => {
  expect(parseOptions(['--workgroup', 'sparkify', '--secret-arn', SECRET], BASE).target).toEqual({
    kind: 'deployed',
    warehouse: {
      target: { kind: 'serverless', workgroupName: 'sparkify' },
      database: 'sparkify',
      secretArn: SECRET,
    },
  });
  expect(
    parseOptions(
      [
        '--cluster-identifier',
        'c1',
        '--secret-arn',
        SECRET,
        '--database-name',
        'dev',
        '--region',
        'eu-west-1',
      ],
      BASE,
    ).target,
  ).toEqual({
    kind: 'deployed',
    warehouse: {
      target: { kind: 'provisioned', clusterIdentifier: 'c1' },
      database: 'dev',
      secretArn: SECRET,
    },
    region: 'eu-west-1',
  });
});

test.each([
  [['--bogus'], /Unknown option '--bogus'/],
  [['report.html'], /Unexpected argument 'report.html'/],
  [['--out'], /Option '--out <value>' argument missing/],
  [
    ['--database', 'mysql://x'],
    /--database must be pglite:DIR or postgres:\/\/user@host:port\/db, got "mysql:\/\/x"/,
  ],
  [['--workgroup', 'w', '--cluster-identifier', 'c', '--secret-arn', SECRET], /give one, not both/],
  [['--workgroup', 'w'], /--secret-arn is required/],
  [
    ['--workgroup', 'w', '--secret-arn', 'admin'],
    /--secret-arn must be a Secrets Manager secret ARN, got "admin"/,
  ],
  [['--workgroup', 'w', '--secret-arn', SECRET, '--region', 'west'], /--region must be an AWS region/],
  [
    ['--workgroup', 'w', '--secret-arn', SECRET, '--database', 'pglite:x'],
    /--database is for a local warehouse/,
  ],
  [['--secret-arn', SECRET], /--secret-arn is for the deployed warehouse/],
  [['--region', 'us-west-2'], /--region is for the deployed warehouse/],
])('%j is refused by name', (args, message) => {
  expect(() => parseOptions(args, BASE)).toThrow(UsageError);
  expect(() => parseOptions(args, BASE)).toThrow(message);
});
