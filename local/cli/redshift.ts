import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_DEFAULTS } from '../../lib/config';
import { LocalS3, parseS3Uri } from '../copy/local-s3';
import { startDataApiServer } from '../data-api/server';
import { openEngine } from '../engine/open-engine';
import { LocalWarehouse } from '../warehouse/local-warehouse';

// The bucket the deployed pipeline's default data locations read from.
const DATA_BUCKET = parseS3Uri(CONFIG_DEFAULTS.songDataUri).bucket;
const DEFAULT_PORT = 4599;

const USAGE = `usage: npm run local:redshift -- [--data DIR] [--bucket NAME=DIR]… [--database URL] [--port N]

Serves the Redshift Data API on 127.0.0.1, running its SQL on the local engine.

  --data DIR          an S3-layout directory standing in for s3://${DATA_BUCKET}, the bucket
                      the pipeline's data locations name
  --bucket NAME=DIR   a directory standing in for s3://NAME (repeatable)
  --database URL      postgres://user:password@host:port/db, or pglite:DIR to keep a PGlite
                      database on disk; default: PGlite in memory
  --port N            the port to listen on; default ${DEFAULT_PORT}, 0 for any free port`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function bucketsFrom(data: string | undefined, buckets: readonly string[]): Record<string, string> {
  const directories: Record<string, string> = data === undefined ? {} : { [DATA_BUCKET]: resolve(data) };
  for (const mapping of buckets) {
    const match = /^([^=]+)=(.+)$/.exec(mapping);
    if (!match) throw new UsageError(`--bucket takes NAME=DIR, got ${JSON.stringify(mapping)}`);
    directories[match[1]!] = resolve(match[2]!);
  }
  return directories;
}

function portFrom(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port takes 0–65535, got ${text}`);
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      bucket: { type: 'string', multiple: true, default: [] },
      database: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const buckets = bucketsFrom(values.data, values.bucket);
  const port = portFrom(values.port);
  const engine = await openEngine(values.database);
  try {
    const server = await startDataApiServer({
      warehouse: new LocalWarehouse(engine, new LocalS3(buckets)),
      port,
    });
    const mapped = Object.entries(buckets).map(([bucket, dir]) => `s3://${bucket} → ${dir}`);
    console.log(`engine    ${engine.description}`);
    console.log(
      `buckets   ${mapped.length > 0 ? mapped.join('\n          ') : 'none (COPY needs --data or --bucket)'}`,
    );
    console.log(`endpoint  ${server.endpoint}  (Redshift Data API; credentials are not checked)

Point the AWS CLI or an SDK at it:

  export AWS_ENDPOINT_URL_REDSHIFT_DATA=${server.endpoint}
  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local
  export AWS_REGION=us-west-2 AWS_DEFAULT_REGION=us-west-2

  aws redshift-data execute-statement --workgroup-name local --database dev --sql 'select 1'
  aws redshift-data describe-statement --id <Id>
  aws redshift-data get-statement-result --id <Id>

Ctrl-C stops it.`);
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    console.log('stopping: aborting queued statements and waiting for the running one');
    await server.close();
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
