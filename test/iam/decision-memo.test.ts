import type { LocalRole } from '../../local/cloud/local-deployment';
import { COPY_SESSION_NAME } from '../../local/iam/copy-authorizer';
import { memoizedEvaluator } from '../../local/iam/decision-memo';
import { evaluate, type AuthorizationRequest } from '../../local/iam/evaluator';
import { rolePrincipal } from '../../local/iam/sts';
import { deployed, KINDS } from './support';

const ACCOUNT = '123456789012';

function roleWith(statements: unknown[]): LocalRole {
  return {
    logicalId: 'CopyRole',
    name: 'copy-role',
    arn: `arn:aws:iam::${ACCOUNT}:role/copy-role`,
    roleId: 'AROAEXAMPLEEXAMPLE01',
    trustPolicy: { Statement: [] },
    policies: [
      { name: 'reads', document: { Version: '2012-10-17', Statement: statements }, source: 'inline' },
    ],
    awsManagedPolicyArns: [],
  };
}

/** The simulator's own decisions, counted, so a test sees how many the memo asked for. */
function countedSimulator() {
  const counter = { calls: 0 };
  const decide = (role: LocalRole, request: AuthorizationRequest) => {
    counter.calls += 1;
    return evaluate(role, request).decision;
  };
  return { counter, decide };
}

// Keys on both sides of every pattern's edge: the prefix's own end, a case variant, a longer
// neighbour of an exact key, a denied sub-prefix.
const KEYS = [
  'song_data/A/B/C/TRABC001.json',
  'song_data/A/B/C/TRABC002.json',
  'song_data/Z/Z/Z/TRZZZ999.json',
  'song_data',
  'song_data_old/A.json',
  'Song_data/A/B/C/TRABC001.json',
  'SONG_DATA/X.json',
  'song_data/secret/key.json',
  'song_data/secretive.json',
  'song_data/Secret/key.json',
  'log_json_path.json',
  'log_json_path.jsonx',
  'LOG_JSON_PATH.json',
  'log_data/2018/11/2018-11-01-events.json',
  'log_data/2018/11/2018-11-02-events.json',
  'other/key.json',
  'song_data/ünïcode.json',
];

function requestsFor(
  role: LocalRole,
  keys: readonly string[],
  bucket = 'udacity-dend',
): AuthorizationRequest[] {
  const principal = rolePrincipal(role, COPY_SESSION_NAME, ACCOUNT);
  return keys.map((key) => ({
    principal,
    action: 's3:GetObject',
    resource: `arn:aws:s3:::${bucket}/${key}`,
    context: {},
  }));
}

test('decisions equal the simulator’s for every key, across prefix, case and exact-key edges, with fewer evaluations', () => {
  const role = roleWith([
    {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: ['arn:aws:s3:::udacity-dend/song_data/*', 'arn:aws:s3:::udacity-dend/log_json_path.json'],
    },
    { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::udacity-dend/song_data/secret*' },
    { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::udacity-dend/song_data*' },
  ]);
  const { counter, decide } = countedSimulator();
  const memoized = memoizedEvaluator(decide);
  const requests = requestsFor(role, [...KEYS, ...KEYS]);

  const decisions = requests.map((request) => memoized(role, request));

  expect(decisions).toEqual(requests.map((request) => evaluate(role, request).decision));
  expect(new Set(decisions)).toEqual(new Set(['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied']));
  expect(counter.calls).toBeLessThan(KEYS.length);
});

test('a pattern with an inner wildcard or a policy variable turns the memo off: every request is evaluated', () => {
  for (const resource of [
    'arn:aws:s3:::udacity-dend/song_data/*/TRA*.json',
    'arn:aws:s3:::udacity-dend/song_data/?/*',
    'arn:aws:s3:::udacity-dend/${aws:username}/*',
    'arn:aws:s3:*',
  ]) {
    const role = roleWith([{ Effect: 'Allow', Action: 's3:GetObject', Resource: resource }]);
    const { counter, decide } = countedSimulator();
    const memoized = memoizedEvaluator(decide);
    const requests = requestsFor(role, KEYS);
    const decisions = requests.map((request) => memoized(role, request));
    expect(decisions).toEqual(requests.map((request) => evaluate(role, request).decision));
    expect(counter.calls).toBe(KEYS.length);
  }
});

test('another action, context or bucket is decided on its own', () => {
  const role = roleWith([
    {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::udacity-dend',
      Condition: { StringLike: { 's3:prefix': ['song_data*'] } },
    },
    { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::udacity-dend/*' },
  ]);
  const { decide } = countedSimulator();
  const memoized = memoizedEvaluator(decide);
  const principal = rolePrincipal(role, COPY_SESSION_NAME, ACCOUNT);
  const list = (prefix: string) =>
    memoized(role, {
      principal,
      action: 's3:ListBucket',
      resource: 'arn:aws:s3:::udacity-dend',
      context: { 's3:prefix': prefix },
    });

  expect([list('song_data/'), list('log_data/'), list('song_data/A/')]).toEqual([
    'Allowed',
    'ImplicitlyDenied',
    'Allowed',
  ]);
  const [inBucket, elsewhere] = [
    ...requestsFor(role, ['song_data/x.json']),
    ...requestsFor(role, ['song_data/x.json'], 'udacity-dend-copy'),
  ];
  expect([memoized(role, inBucket!), memoized(role, elsewhere!)]).toEqual(['Allowed', 'ImplicitlyDenied']);
});

test('the synthesized COPY role’s policies are memoized: 200 song files cost a handful of evaluations', () => {
  const deployment = deployed(KINDS[0]);
  const copyRole = deployment.roles.get(deployment.warehouse.defaultIamRoleArn!)!;
  const { counter, decide } = countedSimulator();
  const memoized = memoizedEvaluator(decide);
  const songs = Array.from(
    { length: 200 },
    (_, i) => `song_data/A/B/${String.fromCharCode(65 + (i % 26))}/TR${i}.json`,
  );
  const requests = requestsFor(copyRole, songs);

  const decisions = requests.map((request) => memoized(copyRole, request));

  expect(new Set(decisions)).toEqual(new Set(['Allowed']));
  expect(counter.calls).toBeLessThanOrEqual(2);
});
