import { createServer } from 'node:net';
import { CONFIG_DEFAULTS } from '../../lib/config';
import { LocalS3, parseS3Uri } from '../copy/local-s3';
import { startDataApiServer } from '../data-api/server';
import { openEngine } from '../engine/open-engine';
import { LocalWarehouse } from '../warehouse/local-warehouse';
import {
  ArgumentError,
  argumentErrorText,
  LOCAL_DATABASE_OPTION,
  readArguments,
  resolvePath,
} from './arguments';
import { awsCliLines, DEFAULT_DATA_API_PORT } from './query-hints';

// The bucket the deployed pipeline's default data locations read from.
const DATA_BUCKET = parseS3Uri(CONFIG_DEFAULTS.songDataUri).bucket;

const COMMAND = {
  command: 'npm run local:redshift --',
  summary: 'Serves the Redshift Data API on 127.0.0.1, running its SQL on the local engine.',
  options: {
    data: {
      type: 'path',
      value: 'DIR',
      description: `an S3-layout directory standing in for s3://${DATA_BUCKET}, the bucket
the pipeline's data locations name`,
    },
    bucket: {
      type: 'string',
      value: 'NAME=DIR',
      multiple: true,
      description: 'a directory standing in for s3://NAME (repeatable)',
    },
    database: LOCAL_DATABASE_OPTION,
    port: {
      type: 'integer',
      value: 'N',
      min: 0,
      max: 65535,
      default: DEFAULT_DATA_API_PORT,
      description: 'the port to listen on; 0 for any free port',
    },
  },
} as const;

function bucketsFrom(data: string | undefined, buckets: readonly string[]): Record<string, string> {
  const directories: Record<string, string> = data === undefined ? {} : { [DATA_BUCKET]: data };
  for (const mapping of buckets) {
    const match = /^([^=]+)=(.+)$/.exec(mapping);
    if (!match) throw new ArgumentError(`--bucket takes NAME=DIR, got ${JSON.stringify(mapping)}`);
    directories[match[1]!] = resolvePath(match[2]!);
  }
  return directories;
}

function isAddressInUse(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EADDRINUSE';
}

function portTakenError(port: number): Error {
  const next = port === 65535 ? 0 : port + 1;
  return new Error(
    `port ${port} is taken (another local:redshift?); choose another with --port, e.g. --port ${next}, or --port 0 for any free one`,
  );
}

/** Fails fast on a taken port: opening the engine takes a second or more, which a person whose
 * port is taken should not wait for. The server's own listen still handles a port taken since. */
async function checkPortFree(port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => reject(isAddressInUse(error) ? portTakenError(port) : error));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

async function main(): Promise<void> {
  const values = readArguments(COMMAND);
  let buckets: Record<string, string>;
  try {
    buckets = bucketsFrom(values.data, values.bucket);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    console.error(argumentErrorText(COMMAND, error));
    process.exitCode = 2;
    return;
  }
  await checkPortFree(values.port);
  const engine = await openEngine(values.database);
  try {
    const server = await startDataApiServer({
      warehouse: new LocalWarehouse(engine, new LocalS3(buckets)),
      port: values.port,
    }).catch((error: unknown) => {
      throw isAddressInUse(error) ? portTakenError(values.port) : error;
    });
    const mapped = Object.entries(buckets).map(([bucket, dir]) => `s3://${bucket} → ${dir}`);
    console.log(`engine    ${engine.description}`);
    console.log(
      `buckets   ${mapped.length > 0 ? mapped.join('\n          ') : 'none (COPY needs --data or --bucket)'}`,
    );
    console.log(`endpoint  ${server.endpoint}  (Redshift Data API; credentials are not checked)

Point the AWS CLI or an SDK at it, with --endpoint-url on each command:

${awsCliLines(server.endpoint)
  .map((line) => (line === '' ? '' : `  ${line}`))
  .join('\n')}

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

main().catch((error: Error) => {
  console.error(`✗ ${error.message}`);
  process.exitCode = 1;
});
