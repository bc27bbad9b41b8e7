import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { WarehouseEnvironment } from '../contract/environment';

export const USAGE = `usage: npm run analytics -- [--data DIR] [--database pglite:DIR | --database postgres://…]
       npm run analytics -- --workgroup NAME | --cluster-identifier ID  --secret-arn ARN
                            [--database-name NAME] [--region REGION]
                            [--out FILE] [--json]

Answers the report's questions (sql/analytics/) through the Redshift Data API and writes them as
one self-contained HTML page; the terminal shows each answer as a short table.

Where the answers come from (default: the local pipeline, run first on a generated data set):
  --data DIR                 run the local pipeline on this S3-layout directory instead
                             (DIR/song_data/…, DIR/log_data/…, DIR/log_json_path.json)
  --database URL             a local warehouse, served by the local Data API: pglite:DIR (as
                             npm run local -- --database pglite:DIR left it) or
                             postgres://user:password@host:port/db; with --data, loaded first
  --workgroup NAME           the deployed Redshift Serverless workgroup
  --cluster-identifier ID    or the deployed provisioned cluster
  --secret-arn ARN           the admin secret (the stack's WarehouseAdminSecretArn output)
  --database-name NAME       the deployed database; default sparkify
  --region REGION            the deployed warehouse's region; default: the AWS SDK's (AWS_REGION,
                             the profile); credentials come from the SDK's default chain

Output:
  --out FILE                 the HTML report; default analytics-report.html
  --json                     print every answer as one JSON object on the last line
  -h, --help                 this help

Relative paths are taken from the directory npm was run in.`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type Target =
  /** The local pipeline loads a data set (generated when dataDir is absent) into the engine first. */
  | { readonly kind: 'pipeline'; readonly dataDir?: string; readonly database?: string }
  /** A local warehouse as it is. */
  | { readonly kind: 'local'; readonly database: string }
  | { readonly kind: 'deployed'; readonly warehouse: WarehouseEnvironment; readonly region?: string };

export interface AnalyticsOptions {
  readonly help: boolean;
  readonly target: Target;
  readonly out: string;
  readonly json: boolean;
}

const OPTIONS = {
  data: { type: 'string' },
  database: { type: 'string' },
  workgroup: { type: 'string' },
  'cluster-identifier': { type: 'string' },
  'secret-arn': { type: 'string' },
  'database-name': { type: 'string' },
  region: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DATABASE_NAME = /^[a-z_][a-z0-9_$]{0,126}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function checked(name: string, value: string | undefined, pattern: RegExp, what: string): string | undefined {
  if (value !== undefined && !pattern.test(value))
    throw new UsageError(`--${name} must be ${what}, got ${JSON.stringify(value)}`);
  return value;
}

/** pglite:DIR with DIR taken from `base`; a server URL as it is. */
function localDatabase(database: string, base: string): string {
  if (/^postgres(ql)?:\/\/./.test(database)) return database;
  const dir = /^pglite:(.+)$/.exec(database)?.[1];
  if (dir === undefined)
    throw new UsageError(
      `--database must be pglite:DIR or postgres://user@host:port/db, got ${JSON.stringify(database)}`,
    );
  return `pglite:${isAbsolute(dir) ? dir : resolve(base, dir)}`;
}

function deployedTarget(values: Record<string, string | boolean | undefined>): Target {
  const str = (name: string) => values[name] as string | undefined;
  const [workgroup, cluster] = [str('workgroup'), str('cluster-identifier')];
  if (workgroup !== undefined && cluster !== undefined)
    throw new UsageError(
      '--workgroup and --cluster-identifier name the deployed warehouse: give one, not both',
    );
  for (const local of ['data', 'database'])
    if (str(local) !== undefined)
      throw new UsageError(
        `--${local} is for a local warehouse; it cannot be combined with --${workgroup ? 'workgroup' : 'cluster-identifier'}`,
      );
  const secretArn = checked('secret-arn', str('secret-arn'), SECRET_ARN, 'a Secrets Manager secret ARN');
  if (secretArn === undefined)
    throw new UsageError(
      '--secret-arn is required with --workgroup or --cluster-identifier (the stack output WarehouseAdminSecretArn)',
    );
  const database =
    checked('database-name', str('database-name'), DATABASE_NAME, 'a Redshift database name') ?? 'sparkify';
  const region = checked('region', str('region'), REGION, 'an AWS region like us-west-2');
  return {
    kind: 'deployed',
    warehouse: {
      target:
        workgroup !== undefined
          ? { kind: 'serverless', workgroupName: workgroup }
          : { kind: 'provisioned', clusterIdentifier: cluster! },
      database,
      secretArn,
    },
    ...(region === undefined ? {} : { region }),
  };
}

/**
 * The command line, checked before anything runs: an unknown option, a missing value or a
 * combination that names two warehouses is refused by name. `base` is where relative paths start.
 */
export function parseOptions(args: readonly string[], base: string): AnalyticsOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const out = resolve(base, (values.out as string | undefined) ?? 'analytics-report.html');
  const common = { help: values.help === true, out, json: values.json === true };
  const str = (name: string) => values[name] as string | undefined;
  if (str('workgroup') !== undefined || str('cluster-identifier') !== undefined)
    return { ...common, target: deployedTarget(values) };
  for (const deployedOnly of ['secret-arn', 'database-name', 'region'])
    if (str(deployedOnly) !== undefined)
      throw new UsageError(
        `--${deployedOnly} is for the deployed warehouse: add --workgroup NAME or --cluster-identifier ID`,
      );
  const database = str('database') === undefined ? undefined : localDatabase(str('database')!, base);
  const data = str('data') === undefined ? undefined : resolve(base, str('data')!);
  if (database !== undefined && data === undefined) return { ...common, target: { kind: 'local', database } };
  return {
    ...common,
    target: {
      kind: 'pipeline',
      ...(data === undefined ? {} : { dataDir: data }),
      ...(database === undefined ? {} : { database }),
    },
  };
}
