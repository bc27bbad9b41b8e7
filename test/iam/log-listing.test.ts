import { ListObjectsV2Command, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { LocalS3 } from '../../local/copy/local-s3';
import { s3ListAuthorizer } from '../../local/iam/s3-authorizer';
import { LocalSts, rolePrincipal } from '../../local/iam/sts';
import type { LocalDeployment, LocalRole } from '../../local/cloud/local-deployment';
import { startS3Server, type S3Server } from '../../local/s3/server';
import { TestBucket } from '../support/dataset';
import { decide, deployed, KINDS, withRole, withStatements } from './support';

// The plan function lists the log location to find an incremental run's missing days. Its role may
// list that prefix of the data bucket and nothing else; the local S3 endpoint answers the real S3
// client as S3 does, and refuses what IAM would.

const deployment = deployed('serverless');
const { planRun, submitStatement } = deployment.functions;
const LOG_BUCKET = 'udacity-dend';

let bucket: TestBucket | undefined;
let server: S3Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  bucket?.cleanup();
  bucket = undefined;
});

interface Caller {
  readonly role?: LocalRole;
  readonly sessionName?: string;
  readonly region?: string;
  readonly on?: LocalDeployment;
}

async function clientOf({
  role = planRun.role,
  sessionName = planRun.name,
  region = deployment.region,
  on = deployment,
}: Caller = {}) {
  bucket = new TestBucket();
  for (let day = 1; day <= 30; day++) bucket.events(`2018-11-${String(day).padStart(2, '0')}`, []);
  bucket.write('log_data_old/2018-11-01-events.json', '').write('song_data/A/B/C/TRABC.json', '{}');
  const sts = new LocalSts(on.account);
  const s3 = new LocalS3({ [LOG_BUCKET]: bucket.dir });
  server = await startS3Server(s3, s3ListAuthorizer(on, sts, on.region));
  return new S3Client({
    endpoint: server.endpoint,
    region,
    credentials: sts.assumeRole(role, sessionName),
    maxAttempts: 1,
  });
}

test.each(KINDS)(
  '%s: the plan role may list under the log location only, validated by the simulator',
  async (kind) => {
    const { functions, account } = deployed(kind);
    const principal = rolePrincipal(functions.planRun.role, functions.planRun.name, account);
    const listing = (prefix: string) => ({
      principal,
      action: 's3:ListBucket',
      resource: `arn:aws:s3:::${LOG_BUCKET}`,
      context: { 's3:prefix': prefix },
    });
    expect(await decide(functions.planRun.role, listing('log_data/2018/11/2018-11-12-'))).toBe('Allowed');
    expect(await decide(functions.planRun.role, listing('log_data_old/'))).toBe('ImplicitlyDenied');
    expect(await decide(functions.planRun.role, listing('song_data/'))).toBe('ImplicitlyDenied');
  },
);

test('the plan session lists a month page by page, in key order, as the SDK paginates', async () => {
  const client = await clientOf();
  const keys: string[] = [];
  const pages = paginateListObjectsV2(
    { client, pageSize: 7 },
    { Bucket: LOG_BUCKET, Prefix: 'log_data/2018/11/' },
  );
  let count = 0;
  for await (const page of pages) {
    count++;
    for (const object of page.Contents ?? []) keys.push(object.Key!);
  }
  expect(count).toBe(5);
  expect(keys).toHaveLength(30);
  expect(keys).toEqual([...keys].sort());
  expect(keys[0]).toBe('log_data/2018/11/2018-11-01-events.json');
});

test('a prefix is a key prefix, and a delimiter folds keys into common prefixes', async () => {
  const client = await clientOf();
  const day = await client.send(
    new ListObjectsV2Command({ Bucket: LOG_BUCKET, Prefix: 'log_data/2018/11/2018-11-1' }),
  );
  expect(day.Contents?.map((object) => object.Key)).toHaveLength(10);
  const folders = await client.send(
    new ListObjectsV2Command({ Bucket: LOG_BUCKET, Prefix: 'log_data/', Delimiter: '/' }),
  );
  expect(folders.CommonPrefixes).toEqual([{ Prefix: 'log_data/2018/' }]);
  expect(folders.Contents).toBeUndefined();
});

test('outside its prefix, the plan session is refused with AccessDenied naming the action', async () => {
  const client = await clientOf();
  await expect(
    client.send(new ListObjectsV2Command({ Bucket: LOG_BUCKET, Prefix: 'song_data/' })),
  ).rejects.toMatchObject({
    name: 'AccessDenied',
    message: expect.stringMatching(
      /is not authorized to perform: s3:ListBucket on resource: arn:aws:s3:::udacity-dend/,
    ),
    $metadata: { httpStatusCode: 403 },
  });
});

test('another role (the statement role) may not list the log location at all', async () => {
  const client = await clientOf({ role: submitStatement.role, sessionName: submitStatement.name });
  await expect(
    client.send(new ListObjectsV2Command({ Bucket: LOG_BUCKET, Prefix: 'log_data/2018/' })),
  ).rejects.toMatchObject({ name: 'AccessDenied' });
});

test('a plan role whose listing statement is gone is refused', async () => {
  const role = withStatements(planRun.role, (statement) =>
    ([] as string[]).concat(statement.Action ?? []).includes('s3:ListBucket') ? undefined : statement,
  );
  const client = await clientOf({ role, on: withRole(deployment, role) });
  await expect(
    client.send(new ListObjectsV2Command({ Bucket: LOG_BUCKET, Prefix: 'log_data/2018/' })),
  ).rejects.toMatchObject({ name: 'AccessDenied' });
});

test('a request signed for another region, or by unknown keys, or for an unknown bucket, is refused as S3 refuses it', async () => {
  const wrongRegion = await clientOf({ region: 'us-east-1' });
  await expect(
    wrongRegion.send(new ListObjectsV2Command({ Bucket: LOG_BUCKET, Prefix: 'log_data/' })),
  ).rejects.toMatchObject({
    name: 'AuthorizationHeaderMalformed',
    message: expect.stringContaining("expecting 'us-west-2'"),
  });
  await server?.close();
  bucket?.cleanup();
  const client = await clientOf();
  await expect(
    client.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket', Prefix: 'log_data/' })),
  ).rejects.toMatchObject({ name: 'NoSuchBucket' });
  const stranger = new S3Client({
    endpoint: server!.endpoint,
    region: deployment.region,
    credentials: { accessKeyId: 'ASIAUNKNOWN', secretAccessKey: 'x', sessionToken: 'y' },
    maxAttempts: 1,
  });
  await expect(
    stranger.send(new ListObjectsV2Command({ Bucket: LOG_BUCKET, Prefix: 'log_data/' })),
  ).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
});
