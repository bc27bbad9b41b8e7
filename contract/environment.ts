import { ConfigurationError } from './errors';
import type { EtlFunctionKey } from './functions';
import { MISSING_DAYS_POLICIES, type MissingDaysPolicy } from './missing-days';

/** Where statements run: the Data API takes either a cluster or a serverless workgroup. */
export type WarehouseTarget =
  | { readonly kind: 'provisioned'; readonly clusterIdentifier: string }
  | { readonly kind: 'serverless'; readonly workgroupName: string };

export interface WarehouseEnvironment {
  readonly target: WarehouseTarget;
  readonly database: string;
  /** Secrets Manager secret with the admin user's `username` and `password` (Redshift-managed). */
  readonly secretArn: string;
}

/** The values the SQL files' `:'…'` parameters take. */
export type DataLocations = {
  readonly song_data_uri: string;
  readonly log_data_uri: string;
  readonly log_jsonpath_uri: string;
  readonly data_region: string;
  readonly iam_role: string;
};

/** The variable names, shared with the CDK construct that sets them. */
export const ENV = {
  warehouseKind: 'WAREHOUSE_KIND',
  clusterIdentifier: 'CLUSTER_IDENTIFIER',
  workgroupName: 'WORKGROUP_NAME',
  database: 'DATABASE_NAME',
  secretArn: 'SECRET_ARN',
  songDataUri: 'SONG_DATA_URI',
  logDataUri: 'LOG_DATA_URI',
  logJsonPathUri: 'LOG_JSONPATH_URI',
  dataRegion: 'DATA_REGION',
  copyRoleArn: 'COPY_ROLE_ARN',
  statementTimeoutSeconds: 'STATEMENT_TIMEOUT_SECONDS',
  missingDays: 'MISSING_DAYS',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string, pattern?: RegExp): string {
  const value = env[name];
  if (value === undefined || value === '')
    throw new ConfigurationError(`environment variable ${name} is not set`);
  if (pattern && !pattern.test(value)) {
    throw new ConfigurationError(`environment variable ${name} is malformed: ${JSON.stringify(value)}`);
  }
  return value;
}

const S3_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s']*)?$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export function readWarehouseEnvironment(env: Env = process.env): WarehouseEnvironment {
  const kind = required(env, ENV.warehouseKind, /^(provisioned|serverless)$/);
  const target: WarehouseTarget =
    kind === 'provisioned'
      ? { kind, clusterIdentifier: required(env, ENV.clusterIdentifier) }
      : { kind: 'serverless', workgroupName: required(env, ENV.workgroupName) };
  return { target, database: required(env, ENV.database), secretArn: required(env, ENV.secretArn) };
}

/** How long a statement may stay unfinished before the poller cancels it. */
export function readStatementTimeoutMs(env: Env = process.env): number {
  const seconds = required(env, ENV.statementTimeoutSeconds, /^[1-9]\d*$/);
  return Number(seconds) * 1000;
}

export function readDataLocations(env: Env = process.env): DataLocations {
  return {
    song_data_uri: required(env, ENV.songDataUri, S3_URI),
    log_data_uri: required(env, ENV.logDataUri, S3_URI),
    log_jsonpath_uri: required(env, ENV.logJsonPathUri, S3_URI),
    data_region: required(env, ENV.dataRegion, REGION),
    iam_role: required(env, ENV.copyRoleArn, IAM_ROLE_ARN),
  };
}

/** Where the plan handler lists the log objects of a run's range, and what it does about a missing day. */
export interface LogListing {
  readonly logDataUri: string;
  readonly dataRegion: string;
  readonly missingDays: MissingDaysPolicy;
}

export function readLogListing(env: Env = process.env): LogListing {
  return {
    logDataUri: required(env, ENV.logDataUri, S3_URI),
    dataRegion: required(env, ENV.dataRegion, REGION),
    missingDays: required(
      env,
      ENV.missingDays,
      new RegExp(`^(${MISSING_DAYS_POLICIES.join('|')})$`),
    ) as MissingDaysPolicy,
  };
}

/** What a deployment (or its local stand-in) knows that the functions' environments are made of. */
export interface FunctionSettings {
  readonly target: WarehouseTarget;
  readonly database: string;
  readonly secretArn: string;
  readonly songDataUri: string;
  readonly logDataUri: string;
  readonly logJsonPathUri: string;
  readonly dataRegion: string;
  readonly copyRoleArn: string;
  readonly statementTimeoutSeconds: number;
  readonly missingDays: MissingDaysPolicy;
}

/**
 * Each function's environment, exactly the variables its handler reads: the CDK deploys it with
 * token values and the local runner runs it with local ones, so the two cannot drift apart.
 */
export function functionEnvironment(key: EtlFunctionKey, settings: FunctionSettings): Record<string, string> {
  const { target } = settings;
  const warehouse = {
    [ENV.warehouseKind]: target.kind,
    ...(target.kind === 'provisioned'
      ? { [ENV.clusterIdentifier]: target.clusterIdentifier }
      : { [ENV.workgroupName]: target.workgroupName }),
    [ENV.database]: settings.database,
    [ENV.secretArn]: settings.secretArn,
  };
  switch (key) {
    case 'planRun':
      return {
        [ENV.logDataUri]: settings.logDataUri,
        [ENV.dataRegion]: settings.dataRegion,
        [ENV.missingDays]: settings.missingDays,
      };
    case 'submitStatement':
      return {
        ...warehouse,
        [ENV.songDataUri]: settings.songDataUri,
        [ENV.logDataUri]: settings.logDataUri,
        [ENV.logJsonPathUri]: settings.logJsonPathUri,
        [ENV.dataRegion]: settings.dataRegion,
        [ENV.copyRoleArn]: settings.copyRoleArn,
      };
    case 'pollStatement':
      return { ...warehouse, [ENV.statementTimeoutSeconds]: String(settings.statementTimeoutSeconds) };
    case 'stopCleanup':
      return warehouse;
  }
}
