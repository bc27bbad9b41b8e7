import {
  CONFIG_DEFAULTS,
  CONTEXT_KEYS,
  DEFAULT_SCHEDULE,
  isCdkContextKey,
  loadConfig,
} from '../../lib/config';
import { buildApp, cdkJsonContext } from '../../lib/app';

describe('loadConfig', () => {
  test('GIVEN no context WHEN loaded THEN the defaults describe a serverless warehouse on the public data', () => {
    // WHEN
    const config = loadConfig({});

    // THEN
    expect(config).toEqual({
      warehouse: { kind: 'serverless', baseCapacity: 8 },
      databaseName: 'sparkify',
      data: {
        songData: { uri: 's3://udacity-dend/song_data', bucket: 'udacity-dend', key: 'song_data' },
        logData: { uri: 's3://udacity-dend/log_data', bucket: 'udacity-dend', key: 'log_data' },
        logJsonPath: {
          uri: 's3://udacity-dend/log_json_path.json',
          bucket: 'udacity-dend',
          key: 'log_json_path.json',
        },
        region: 'us-west-2',
      },
      region: 'us-west-2',
      availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
      schedule: { expression: DEFAULT_SCHEDULE, enabled: false },
      removeDataOnDestroy: false,
      snapshotRetentionDays: 7,
      missingDays: 'fail',
    });
  });

  test('GIVEN missingDays WHEN loaded THEN skip is taken and anything else refused naming the choices', () => {
    expect(loadConfig({ missingDays: 'skip' }).missingDays).toBe('skip');
    expect(() => loadConfig({ missingDays: 'ignore' })).toThrow(
      /context key "missingDays" must be "fail" or "skip", got "ignore"/,
    );
  });

  test('GIVEN cdk.json WHEN its own keys are read THEN they are exactly the config defaults, valid for either kind', () => {
    // GIVEN
    const context = cdkJsonContext();

    // WHEN
    const own = Object.fromEntries(Object.entries(context).filter(([key]) => !isCdkContextKey(key)));

    // THEN
    expect(own).toEqual(CONFIG_DEFAULTS);
    expect(() => loadConfig({ ...context, warehouse: 'provisioned' })).not.toThrow();
    expect(() => loadConfig({ ...context, warehouse: 'serverless' })).not.toThrow();
  });

  test('GIVEN -c style string overrides WHEN loaded THEN they are parsed and typed', () => {
    // WHEN
    const config = loadConfig({
      warehouse: 'provisioned',
      nodeType: 'ra3.4xlarge',
      numberOfNodes: '4',
      databaseName: 'music',
      songDataUri: 's3://my-bucket/songs/',
      logDataUri: 's3://other.bucket/logs',
      logJsonPathUri: 's3://my-bucket/paths.json',
      dataRegion: 'eu-west-1',
      availabilityZones: 'eu-west-1b',
      schedule: 'rate(6 hours)',
      alarmEmail: 'ops@example.com',
      removeDataOnDestroy: 'true',
      snapshotRetentionDays: '35',
      stage: 'dev-2',
    });

    // THEN
    expect(config).toMatchObject({
      warehouse: { kind: 'provisioned', nodeType: 'ra3.4xlarge', numberOfNodes: 4 },
      databaseName: 'music',
      data: {
        songData: { bucket: 'my-bucket', key: 'songs/' },
        logData: { bucket: 'other.bucket', key: 'logs' },
        region: 'eu-west-1',
      },
      region: 'eu-west-1',
      availabilityZones: ['eu-west-1b'],
      schedule: { expression: 'rate(6 hours)', enabled: true },
      alarmEmail: 'ops@example.com',
      removeDataOnDestroy: true,
      snapshotRetentionDays: 35,
      stage: 'dev-2',
    });
  });

  test.each([4, 8, 96, 512, 544, 1024])(
    'GIVEN base capacity %s WHEN loaded THEN it is allowed',
    (baseCapacity) => {
      expect(loadConfig({ baseCapacity: String(baseCapacity) }).warehouse).toEqual({
        kind: 'serverless',
        baseCapacity,
      });
    },
  );

  test.each([['cron(0 3 * * ? *)'], ['cron(15 2 ? * MON-FRI *)'], ['rate(1 day)'], ['rate(30 minutes)']])(
    'GIVEN schedule %s WHEN loaded THEN it enables the schedule',
    (schedule) => {
      expect(loadConfig({ schedule }).schedule).toEqual({ expression: schedule, enabled: true });
    },
  );

  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      'unknown warehouse',
      { warehouse: 'x' },
      /context key "warehouse" must be "serverless" or "provisioned", got "x"/,
    ],
    [
      'dc2 node type',
      { warehouse: 'provisioned', nodeType: 'dc2.large' },
      /context key "nodeType" must be one of "ra3.large", "ra3.xlplus", "ra3.4xlarge", "ra3.16xlarge", got "dc2.large"/,
    ],
    [
      'too many nodes',
      { warehouse: 'provisioned', numberOfNodes: 129 },
      /context key "numberOfNodes" must be an integer from 1 to 128, got 129/,
    ],
    [
      'fractional nodes',
      { warehouse: 'provisioned', numberOfNodes: '2.5' },
      /context key "numberOfNodes" must be an integer from 1 to 128, got "2.5"/,
    ],
    [
      'single node of a large type',
      { warehouse: 'provisioned', nodeType: 'ra3.16xlarge', numberOfNodes: 1 },
      /context key "numberOfNodes" must be at least 2 for node type "ra3.16xlarge"/,
    ],
    [
      'capacity off the step',
      { baseCapacity: 12 },
      /context key "baseCapacity" must be 4, a multiple of 8 up to 512, or a multiple of 32 from 512 to 1024, got 12/,
    ],
    [
      'capacity off the large step',
      { baseCapacity: '520' },
      /context key "baseCapacity" must be 4, a multiple of 8 up to 512, or a multiple of 32 from 512 to 1024, got "520"/,
    ],
    [
      'capacity too large',
      { baseCapacity: '1056' },
      /context key "baseCapacity" must be an integer from 4 to 1024, got "1056"/,
    ],
    [
      'upper-case database',
      { databaseName: 'Sparkify' },
      /context key "databaseName" must be 1 to 64 lower-case/,
    ],
    [
      'not an S3 URI',
      { songDataUri: 'https://x/y' },
      /context key "songDataUri" must be s3:\/\/<bucket>\/<prefix>/,
    ],
    [
      'wildcard in a prefix',
      { logDataUri: 's3://bucket/log*' },
      /context key "logDataUri" must be s3:\/\/<bucket>\/<prefix>/,
    ],
    [
      'JSONPaths not an object',
      { logJsonPathUri: 's3://bucket/paths/' },
      /context key "logJsonPathUri" must name an object/,
    ],
    ['malformed region', { dataRegion: 'oregon' }, /context key "dataRegion" must be an AWS region/],
    [
      'region other than the data',
      { region: 'eu-west-1' },
      /context key "region" must equal "dataRegion" \("us-west-2"\).*S3 gateway endpoint/,
    ],
    [
      'two zones for serverless',
      { availabilityZones: 'us-west-2a,us-west-2b' },
      /context key "availabilityZones" must list at least 3 distinct zones of us-west-2.*Redshift Serverless/,
    ],
    [
      'a zone of another region',
      { availabilityZones: 'us-west-2a,us-west-2b,us-east-1a' },
      /context key "availabilityZones" must list at least 3 distinct zones of us-west-2/,
    ],
    [
      'cron with both day fields',
      { schedule: 'cron(0 3 * * * *)' },
      /context key "schedule" must be an EventBridge expression.*got "cron\(0 3 \* \* \* \*\)"/,
    ],
    [
      'plural rate of one',
      { schedule: 'rate(1 days)' },
      /context key "schedule" must be an EventBridge expression/,
    ],
    ['not an expression', { schedule: 'daily' }, /context key "schedule" must be an EventBridge expression/],
    [
      'malformed e-mail',
      { alarmEmail: 'ops' },
      /context key "alarmEmail" must be an e-mail address, got "ops"/,
    ],
    [
      'a misspelled key',
      { warehous: 'provisioned' },
      /unknown context key "warehous": did you mean "warehouse"\?/,
    ],
    [
      'a key of another case',
      { NodeType: 'ra3.xlplus' },
      /unknown context key "NodeType": did you mean "nodeType"\?/,
    ],
    [
      'nodes on the default serverless warehouse',
      { nodeType: 'ra3.xlplus', numberOfNodes: '2' },
      /context key "nodeType" applies only to warehouse=provisioned, and the warehouse is "serverless".*\n {2}- context key "numberOfNodes" applies only to warehouse=provisioned/,
    ],
    [
      'a bad node type on a serverless warehouse',
      { warehouse: 'serverless', nodeType: 'dc2.large' },
      /context key "nodeType" applies only to warehouse=provisioned, and the warehouse is "serverless": remove it, or set -c warehouse=provisioned/,
    ],
    [
      'base capacity on a provisioned warehouse',
      { warehouse: 'provisioned', baseCapacity: '8' },
      /context key "baseCapacity" applies only to warehouse=serverless, and the warehouse is "provisioned"/,
    ],
    [
      'no snapshot retention',
      { snapshotRetentionDays: '0' },
      /context key "snapshotRetentionDays" must be an integer from 1 to 35, got "0"/,
    ],
    [
      'snapshot retention past the automated maximum',
      { snapshotRetentionDays: 36 },
      /context key "snapshotRetentionDays" must be an integer from 1 to 35, got 36/,
    ],
    ['a stage with an underscore', { stage: 'my_dev' }, /context key "stage" must be 1 to 20 letters/],
    ['a stage from a digit', { stage: '2dev' }, /context key "stage" must be 1 to 20 letters/],
    ['a stage ending in a hyphen', { stage: 'dev-' }, /context key "stage" must be 1 to 20 letters/],
    ['an empty stage', { stage: '' }, /context key "stage" must be 1 to 20 letters/],
    [
      'a stage too long to keep whole in the warehouse names',
      { stage: 'a'.repeat(21) },
      /context key "stage" must be 1 to 20 letters/,
    ],
    [
      'yes for a flag',
      { removeDataOnDestroy: 'yes' },
      /context key "removeDataOnDestroy" must be true or false, got "yes"/,
    ],
  ])('GIVEN %s WHEN loaded THEN it fails naming the key and what is allowed', (_case, context, message) => {
    expect(() => loadConfig(context)).toThrow(message);
  });

  test('GIVEN several bad keys WHEN loaded THEN every problem is reported at once', () => {
    // WHEN
    const load = () => loadConfig({ warehouse: 'x', alarmEmail: 'ops', dataRegion: 'oregon' });

    // THEN
    expect(load).toThrow(
      /^invalid configuration:\n {2}- context key "warehouse".*\n {2}- context key "dataRegion".*\n {2}- context key "alarmEmail"/,
    );
  });

  test("GIVEN the CDK's own context keys WHEN loaded THEN they pass, and only they", () => {
    // GIVEN: feature flags, CLI settings, a lookup cached in cdk.context.json, acknowledged notices.
    const cdkKeys = {
      '@aws-cdk/core:enablePartitionLiterals': true,
      'aws:cdk:bundling-stacks': [],
      'aws:cdk:enable-path-metadata': true,
      'availability-zones:account=123456789012:region=us-west-2': ['us-west-2a'],
      'acknowledged-issue-numbers': [34892],
      'cli-telemetry': false,
    };

    // WHEN / THEN
    expect(() => loadConfig(cdkKeys)).not.toThrow();
    expect(() => loadConfig({ ...cdkKeys, telemetry: false })).toThrow(/unknown context key "telemetry"/);
    expect(CONTEXT_KEYS.filter(isCdkContextKey)).toEqual([]);
  });
});

describe('buildApp', () => {
  test('GIVEN a misspelled -c key WHEN the app is built THEN the App context it reads refuses it', () => {
    expect(() => buildApp({ context: { warehous: 'provisioned' }, bundle: false })).toThrow(
      /unknown context key "warehous": did you mean "warehouse"\?/,
    );
  });
});
