/**
 * The app's one configuration, read at its edge from `cdk.json` context and `-c key=value`
 * overrides, validated up front so a bad value fails the synth naming the key and what is allowed,
 * before any construct sees it.
 */

import { MISSING_DAYS_POLICIES, type MissingDaysPolicy } from '../contract/missing-days';
import { closestName } from './closest-name';

export const WAREHOUSE_KINDS = ['serverless', 'provisioned'] as const;
export type WarehouseKind = (typeof WAREHOUSE_KINDS)[number];

// dc2 node types can no longer be created; ra3 is the current provisioned family.
export const NODE_TYPES = ['ra3.large', 'ra3.xlplus', 'ra3.4xlarge', 'ra3.16xlarge'] as const;
export type NodeType = (typeof NODE_TYPES)[number];
// Only the two smallest ra3 types can run as a single node.
const SINGLE_NODE_TYPES: readonly NodeType[] = ['ra3.large', 'ra3.xlplus'];

/**
 * The values `cdk.json` carries; an absent key falls back to the same value here. They hold for
 * either warehouse kind: a default of one kind in `cdk.json` would be a key the other kind refuses.
 */
export const CONFIG_DEFAULTS = {
  warehouse: 'serverless',
  databaseName: 'sparkify',
  songDataUri: 's3://udacity-dend/song_data',
  logDataUri: 's3://udacity-dend/log_data',
  logJsonPathUri: 's3://udacity-dend/log_json_path.json',
  dataRegion: 'us-west-2',
  removeDataOnDestroy: false,
  snapshotRetentionDays: 7,
  missingDays: 'fail',
} as const;

/** The defaults of the keys that only one warehouse kind takes. */
export const KIND_DEFAULTS = {
  nodeType: 'ra3.large',
  numberOfNodes: 1,
  baseCapacity: 8,
} as const;

/** The keys that only one warehouse kind can use; the other kind refuses them. */
export const KIND_KEYS = {
  serverless: ['baseCapacity'],
  provisioned: ['nodeType', 'numberOfNodes'],
} as const satisfies Record<WarehouseKind, readonly (keyof typeof KIND_DEFAULTS)[]>;

/** How long a stage name may be, so that the workgroup and namespace names keep it whole. */
export const MAX_STAGE_LENGTH = 20;

/** A pipeline run starts daily at 03:00 UTC once a schedule is switched on. */
export const DEFAULT_SCHEDULE = 'cron(0 3 * * ? *)';

type ContextValue = string | number | boolean | readonly string[];

/**
 * The context keys, as `cdk.json` or `-c key=value` give them (`-c` values arrive as strings).
 */
export interface SparkifyContext {
  /**
   * `serverless` or `provisioned`.
   * @default 'serverless'
   */
  readonly warehouse?: ContextValue;
  /**
   * Provisioned only: `ra3.large`, `ra3.xlplus`, `ra3.4xlarge` or `ra3.16xlarge`.
   * @default 'ra3.large'
   */
  readonly nodeType?: ContextValue;
  /**
   * Provisioned only: 1 to 128 (1 makes a single-node cluster, which only ra3.large and ra3.xlplus allow).
   * @default 1
   */
  readonly numberOfNodes?: ContextValue;
  /**
   * Serverless only: base capacity in RPUs: 4, a multiple of 8 up to 512, or of 32 up to 1024.
   * @default 8
   */
  readonly baseCapacity?: ContextValue;
  /**
   * Name of the warehouse database.
   * @default 'sparkify'
   */
  readonly databaseName?: ContextValue;
  /**
   * `s3://bucket/prefix` of the song JSON files.
   * @default 's3://udacity-dend/song_data'
   */
  readonly songDataUri?: ContextValue;
  /**
   * `s3://bucket/prefix` of the event log JSON files.
   * @default 's3://udacity-dend/log_data'
   */
  readonly logDataUri?: ContextValue;
  /**
   * `s3://bucket/key` of the JSONPaths file that maps the log keys to staging columns.
   * @default 's3://udacity-dend/log_json_path.json'
   */
  readonly logJsonPathUri?: ContextValue;
  /**
   * Region of the data bucket(s).
   * @default 'us-west-2'
   */
  readonly dataRegion?: ContextValue;
  /**
   * Region to deploy to; must equal `dataRegion`.
   * @default - the value of `dataRegion`
   */
  readonly region?: ContextValue;
  /**
   * Comma-separated availability zones of the warehouse subnets (serverless needs three).
   * @default - `<region>a,<region>b,<region>c`
   */
  readonly availabilityZones?: ContextValue;
  /**
   * EventBridge `cron(…)` or `rate(…)` expression; setting it enables the schedule.
   * @default - a daily `cron(0 3 * * ? *)` schedule, synthesized disabled
   */
  readonly schedule?: ContextValue;
  /**
   * Address subscribed to the alarm topic: e-mailed when an execution fails, times out or is
   * aborted, and, with the schedule on, when no run succeeded for a day or the rule failed to start one.
   * @default - the topic has no subscription
   */
  readonly alarmEmail?: ContextValue;
  /**
   * `true` deletes the warehouse's data on `cdk destroy` instead of keeping a final snapshot.
   * @default false
   */
  readonly removeDataOnDestroy?: ContextValue;
  /**
   * Days automated snapshots are kept, 1 to 35: the provisioned cluster's automated snapshots, or
   * the serverless namespace's scheduled daily snapshots.
   * @default 7
   */
  readonly snapshotRetentionDays?: ContextValue;
  /**
   * Name of an independent copy of the app in the same account (`dev`, `test-2`…): the stack is
   * `SparkifyDwh-<stage>` and every named resource derives from it.
   * @default - the stack `SparkifyDwh`
   */
  readonly stage?: ContextValue;
  /**
   * What an incremental run does about a day with no log object: `fail` (a `NoLogData` error naming
   * the days, for a live feed) or `skip` (load the other days, record the missing ones in the audit,
   * for a bucket that has ended, such as the public one).
   * @default 'fail'
   */
  readonly missingDays?: ContextValue;
}

export const CONTEXT_KEYS = [
  'warehouse',
  'nodeType',
  'numberOfNodes',
  'baseCapacity',
  'databaseName',
  'songDataUri',
  'logDataUri',
  'logJsonPathUri',
  'dataRegion',
  'region',
  'availabilityZones',
  'schedule',
  'alarmEmail',
  'removeDataOnDestroy',
  'snapshotRetentionDays',
  'stage',
  'missingDays',
] as const satisfies readonly (keyof SparkifyContext)[];

export type WarehouseConfig =
  | { readonly kind: 'serverless'; readonly baseCapacity: number }
  | { readonly kind: 'provisioned'; readonly nodeType: NodeType; readonly numberOfNodes: number };

export interface S3Location {
  readonly uri: string;
  readonly bucket: string;
  /** The key or key prefix; empty for a whole bucket. */
  readonly key: string;
}

export interface DataConfig {
  readonly songData: S3Location;
  readonly logData: S3Location;
  readonly logJsonPath: S3Location;
  readonly region: string;
}

/** The validated configuration every construct is built from. */
export interface SparkifyConfig {
  readonly warehouse: WarehouseConfig;
  readonly databaseName: string;
  readonly data: DataConfig;
  readonly region: string;
  readonly availabilityZones: readonly string[];
  /** `enabled` is true only when the `schedule` key set the expression. */
  readonly schedule: { readonly expression: string; readonly enabled: boolean };
  /** @default - no alarm e-mail */
  readonly alarmEmail?: string;
  readonly removeDataOnDestroy: boolean;
  readonly snapshotRetentionDays: number;
  readonly missingDays: MissingDaysPolicy;
  /** @default - the default copy, stack `SparkifyDwh` */
  readonly stage?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// Keys the CDK itself keeps in context: feature flags (`@aws-cdk/…:…`), `aws:cdk:…` settings and
// lookup results (`availability-zones:account=…`) all contain a colon; the CLI adds these two.
const CDK_CLI_KEYS: readonly string[] = ['acknowledged-issue-numbers', 'cli-telemetry'];

/** Whether a context key belongs to the CDK (its CLI, feature flags, lookups) rather than this app. */
export function isCdkContextKey(key: string): boolean {
  return key.includes(':') || key.startsWith('@') || CDK_CLI_KEYS.includes(key);
}

const show = (value: unknown) => JSON.stringify(value);

/**
 * Validates the whole context (the App's, `app.node.getAllContext()`) and fills in defaults. A key
 * this app does not know, or one the chosen warehouse kind cannot use, is refused rather than
 * ignored. All problems are reported together, one line each, so a user fixing several keys does
 * not need several synths.
 */
export function loadConfig(allContext: Readonly<Record<string, unknown>>): SparkifyConfig {
  const context = allContext as SparkifyContext;
  const problems: string[] = [];
  const check = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };

  for (const key of Object.keys(allContext)) check(() => refuseUnknownKey(key));
  const kind = check(() =>
    readOneOf('warehouse', context.warehouse ?? CONFIG_DEFAULTS.warehouse, WAREHOUSE_KINDS),
  );
  if (kind !== undefined) problems.push(...misplacedKeys(context, kind));
  const warehouse = kind === undefined ? undefined : check(() => readWarehouse(context, kind));
  const databaseName = check(() => readDatabaseName(context.databaseName));
  const songData = check(() => readS3Uri('songDataUri', context.songDataUri ?? CONFIG_DEFAULTS.songDataUri));
  const logData = check(() => readS3Uri('logDataUri', context.logDataUri ?? CONFIG_DEFAULTS.logDataUri));
  const logJsonPath = check(() => readObjectUri('logJsonPathUri', context.logJsonPathUri));
  const dataRegion = check(() => readRegion('dataRegion', context.dataRegion ?? CONFIG_DEFAULTS.dataRegion));
  const region = check(() => readDeployRegion(context.region, dataRegion));
  // Zones are checked against the region, so only once the region is known to be valid.
  const availabilityZones =
    region === undefined
      ? undefined
      : check(() => readAvailabilityZones(context.availabilityZones, region, kind));
  const schedule = check(() => readSchedule(context.schedule));
  const alarmEmail = check(() => readEmail(context.alarmEmail));
  const removeDataOnDestroy = check(() =>
    readBoolean('removeDataOnDestroy', context.removeDataOnDestroy ?? CONFIG_DEFAULTS.removeDataOnDestroy),
  );
  const snapshotRetentionDays = check(() =>
    readInteger(
      'snapshotRetentionDays',
      context.snapshotRetentionDays ?? CONFIG_DEFAULTS.snapshotRetentionDays,
      1,
      35,
    ),
  );
  const stage = check(() => readStage(context.stage));
  const missingDays = check(() =>
    readOneOf('missingDays', context.missingDays ?? CONFIG_DEFAULTS.missingDays, MISSING_DAYS_POLICIES),
  );

  if (problems.length > 0) {
    throw new ConfigError(
      `invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
  // Every check passed, so every value is defined.
  return {
    warehouse: warehouse!,
    databaseName: databaseName!,
    data: { songData: songData!, logData: logData!, logJsonPath: logJsonPath!, region: dataRegion! },
    region: region!,
    availabilityZones: availabilityZones!,
    schedule: schedule!,
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
    removeDataOnDestroy: removeDataOnDestroy!,
    snapshotRetentionDays: snapshotRetentionDays!,
    missingDays: missingDays!,
    ...(stage === undefined ? {} : { stage }),
  };
}

function refuseUnknownKey(key: string): void {
  if (isCdkContextKey(key) || (CONTEXT_KEYS as readonly string[]).includes(key)) return;
  throw new ConfigError(
    `unknown context key "${key}": did you mean "${closestName(key, CONTEXT_KEYS)}"? (known keys: ${CONTEXT_KEYS.join(', ')})`,
  );
}

function readString(key: string, value: ContextValue): string {
  if (typeof value !== 'string')
    throw new ConfigError(`context key "${key}" must be a string, got ${show(value)}`);
  return value.trim();
}

function readOneOf<T extends string>(key: string, value: ContextValue, allowed: readonly T[]): T {
  const text = typeof value === 'string' ? value.trim() : value;
  if (!allowed.includes(text as T)) {
    const choices = allowed.map(show);
    const listed = choices.length === 2 ? choices.join(' or ') : `one of ${choices.join(', ')}`;
    throw new ConfigError(`context key "${key}" must be ${listed}, got ${show(value)}`);
  }
  return text as T;
}

function readInteger(key: string, value: ContextValue, min: number, max: number): number {
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new ConfigError(
      `context key "${key}" must be an integer from ${min} to ${max}, got ${show(value)}`,
    );
  }
  return number;
}

function readBoolean(key: string, value: ContextValue): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ConfigError(`context key "${key}" must be true or false, got ${show(value)}`);
}

/** The keys set for the kind of warehouse not chosen, which would otherwise be silently ignored. */
function misplacedKeys(context: SparkifyContext, kind: WarehouseKind): string[] {
  return WAREHOUSE_KINDS.filter((other) => other !== kind).flatMap((other) =>
    KIND_KEYS[other]
      .filter((key) => context[key] !== undefined)
      .map(
        (key) =>
          `context key "${key}" applies only to warehouse=${other}, and the warehouse is "${kind}": ` +
          `remove it, or set -c warehouse=${other}`,
      ),
  );
}

function readWarehouse(context: SparkifyContext, kind: WarehouseKind): WarehouseConfig {
  if (kind === 'serverless') {
    return { kind, baseCapacity: readBaseCapacity(context.baseCapacity ?? KIND_DEFAULTS.baseCapacity) };
  }
  const nodeType = readOneOf('nodeType', context.nodeType ?? KIND_DEFAULTS.nodeType, NODE_TYPES);
  const numberOfNodes = readInteger(
    'numberOfNodes',
    context.numberOfNodes ?? KIND_DEFAULTS.numberOfNodes,
    1,
    128,
  );
  if (numberOfNodes === 1 && !SINGLE_NODE_TYPES.includes(nodeType)) {
    throw new ConfigError(
      `context key "numberOfNodes" must be at least 2 for node type "${nodeType}" (single-node clusters: ${SINGLE_NODE_TYPES.join(', ')}), got 1`,
    );
  }
  return { kind, nodeType, numberOfNodes };
}

// Redshift Serverless takes 4 RPUs, multiples of 8 up to 512, then multiples of 32 up to 1024 (the
// last range only in us-east-1, us-east-2, us-west-2, eu-west-1 and eu-central-1).
function readBaseCapacity(value: ContextValue): number {
  const rpus = readInteger('baseCapacity', value, 4, 1024);
  if (rpus !== 4 && rpus % (rpus <= 512 ? 8 : 32) !== 0) {
    throw new ConfigError(
      `context key "baseCapacity" must be 4, a multiple of 8 up to 512, or a multiple of 32 from 512 to 1024, got ${show(value)}`,
    );
  }
  return rpus;
}

// Redshift database names: lower-case letters, digits and underscores, starting with a letter.
function readDatabaseName(value: ContextValue = CONFIG_DEFAULTS.databaseName): string {
  const name = readString('databaseName', value);
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(name)) {
    throw new ConfigError(
      `context key "databaseName" must be 1 to 64 lower-case letters, digits or underscores starting with a letter, got ${show(value)}`,
    );
  }
  return name;
}

// The key is rendered into COPY's FROM and into IAM resource ARNs, where `*` and `?` would widen the
// grant and a quote or blank would break the statement.
const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/([^\s'*?]*))?$/;

function readS3Uri(key: string, value: ContextValue): S3Location {
  const uri = readString(key, value);
  const match = S3_URI.exec(uri);
  if (!match) {
    throw new ConfigError(
      `context key "${key}" must be s3://<bucket>/<prefix> (no blanks, quotes, * or ?), got ${show(value)}`,
    );
  }
  return { uri, bucket: match[1]!, key: match[2] ?? '' };
}

function readObjectUri(key: string, value: ContextValue = CONFIG_DEFAULTS.logJsonPathUri): S3Location {
  const location = readS3Uri(key, value);
  if (location.key === '' || location.key.endsWith('/')) {
    throw new ConfigError(
      `context key "${key}" must name an object, s3://<bucket>/<key>, got ${show(value)}`,
    );
  }
  return location;
}

function readRegion(key: string, value: ContextValue): string {
  const region = readString(key, value);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new ConfigError(
      `context key "${key}" must be an AWS region such as "us-west-2", got ${show(value)}`,
    );
  }
  return region;
}

// Enhanced VPC routing sends COPY through the VPC, which has no NAT: only the S3 gateway
// endpoint, which reaches buckets in its own region, leads out.
function readDeployRegion(
  value: ContextValue | undefined,
  dataRegion: string | undefined,
): string | undefined {
  if (value === undefined) return dataRegion;
  const region = readRegion('region', value);
  if (dataRegion !== undefined && region !== dataRegion) {
    throw new ConfigError(
      `context key "region" must equal "dataRegion" ("${dataRegion}"): the warehouse reaches S3 only through ` +
        `its VPC's S3 gateway endpoint, which serves buckets in its own region; got ${show(value)}`,
    );
  }
  return region;
}

function readAvailabilityZones(
  value: ContextValue | undefined,
  region: string,
  kind: WarehouseKind | undefined,
): readonly string[] {
  const zones =
    value === undefined
      ? ['a', 'b', 'c'].map((letter) => `${region}${letter}`)
      : typeof value === 'string'
        ? value.split(',').map((zone) => zone.trim())
        : Array.isArray(value)
          ? value
          : [];
  const minimum = kind === 'serverless' ? 3 : 1;
  const valid = zones.every((zone) => typeof zone === 'string' && new RegExp(`^${region}[a-z]$`).test(zone));
  if (!valid || zones.length < minimum || new Set(zones).size !== zones.length) {
    throw new ConfigError(
      `context key "availabilityZones" must list at least ${minimum} distinct zones of ${region} ` +
        `(e.g. "${region}a,${region}b,${region}c")${kind === 'serverless' ? ', as Redshift Serverless requires' : ''}, got ${show(value)}`,
    );
  }
  return zones;
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;

function readSchedule(value: ContextValue | undefined): SparkifyConfig['schedule'] {
  if (value === undefined) return { expression: DEFAULT_SCHEDULE, enabled: false };
  const expression = readString('schedule', value);
  const rate = RATE.exec(expression);
  const cron = CRON.exec(expression);
  // EventBridge wants the singular unit for 1 and the plural otherwise, and a cron expression with
  // exactly one of day-of-month and day-of-week set to `?`.
  const rateOk = rate !== null && Number(rate[1]) >= 1 && (Number(rate[1]) === 1) === !rate[2]!.endsWith('s');
  const cronOk = cron !== null && (cron[3] === '?') !== (cron[5] === '?');
  if (!rateOk && !cronOk) {
    throw new ConfigError(
      'context key "schedule" must be an EventBridge expression, "rate(<n> <unit>)" (e.g. "rate(1 day)", ' +
        '"rate(6 hours)") or "cron(<min> <hour> <day-of-month> <month> <day-of-week> <year>)" with "?" in ' +
        `exactly one of the day fields (e.g. "cron(0 3 * * ? *)"), got ${show(value)}`,
    );
  }
  return { expression, enabled: true };
}

function readEmail(value: ContextValue | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const email = readString('alarmEmail', value);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new ConfigError(`context key "alarmEmail" must be an e-mail address, got ${show(value)}`);
  }
  return email;
}

// A stack name is letters, digits and hyphens from a letter; the workgroup and namespace names
// (Names.uniqueResourceName, at most 50 characters) keep up to 20 of the stage whole.
const STAGE = new RegExp(`^[A-Za-z](?:[A-Za-z0-9-]{0,${MAX_STAGE_LENGTH - 2}}[A-Za-z0-9])?$`);

function readStage(value: ContextValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  const stage = readString('stage', value);
  if (!STAGE.test(stage)) {
    throw new ConfigError(
      `context key "stage" must be 1 to ${MAX_STAGE_LENGTH} letters, digits or hyphens, starting with a letter ` +
        `and not ending with a hyphen, got ${show(value)}`,
    );
  }
  return stage;
}
