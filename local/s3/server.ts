import { randomBytes, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalS3 } from '../copy/local-s3';
import type { ReceivedRequest } from '../data-api/server';

/** An S3 error as S3 answers it: an XML document with a code, a message and the HTTP status. */
export class S3Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
    readonly members: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = code;
  }
}

/** One listing as IAM sees it: `s3:ListBucket` on the bucket, with the request's condition keys. */
export interface S3ListRequest {
  readonly bucket: string;
  readonly context: Readonly<Record<string, string>>;
  readonly request: ReceivedRequest;
}

/** Throws the S3Error AWS answers with when the signer of a listing may not make it. */
export type S3ListAuthorizer = (request: S3ListRequest) => void;

export interface S3Server {
  /** `http://127.0.0.1:PORT`, for AWS_ENDPOINT_URL_S3 (the SDK then addresses buckets by path). */
  readonly endpoint: string;
  close(): Promise<void>;
}

const MAX_KEYS = 1000;

/**
 * The one S3 call the pipeline's functions make, ListObjectsV2, served on loopback from the
 * directories standing in for buckets, as S3 answers it: keys in order, pages of at most 1,000
 * with a continuation token, `delimiter` folding keys into common prefixes, `encoding-type=url`.
 */
export async function startS3Server(s3: LocalS3, authorize: S3ListAuthorizer): Promise<S3Server> {
  const server = createServer((request, response) => void serve(s3, authorize, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(
  s3: LocalS3,
  authorize: S3ListAuthorizer,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const received: ReceivedRequest = {
      method: request.method ?? '',
      url: request.url ?? '/',
      headers: request.headers,
      body: Buffer.concat(chunks),
    };
    send(response, 200, listObjectsV2(s3, authorize, received));
  } catch (error) {
    const s3Error =
      error instanceof S3Error ? error : new S3Error('InternalError', (error as Error).message, 500);
    send(
      response,
      s3Error.httpStatus,
      element(
        'Error',
        element('Code', s3Error.code) +
          element('Message', s3Error.message) +
          Object.entries(s3Error.members)
            .map(([name, value]) => element(name, value))
            .join('') +
          element('RequestId', requestId) +
          element('HostId', randomUUID()),
      ),
    );
  }
}

function listObjectsV2(s3: LocalS3, authorize: S3ListAuthorizer, request: ReceivedRequest): string {
  const url = new URL(request.url, 'http://localhost');
  const bucket = /^\/([^/]+)\/?$/.exec(url.pathname)?.[1];
  const query = url.searchParams;
  if (request.method !== 'GET' || bucket === undefined || query.get('list-type') !== '2') {
    throw new S3Error(
      'NotImplemented',
      `${request.method} ${url.pathname}${url.search} is not served locally: the local S3 serves ListObjectsV2 ` +
        '(GET /<bucket>?list-type=2) with path-style addressing',
      501,
    );
  }
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = readMaxKeys(query.get('max-keys'));
  const context: Record<string, string> = {
    ...(query.has('prefix') ? { 's3:prefix': prefix } : {}),
    ...(query.has('delimiter') ? { 's3:delimiter': delimiter } : {}),
    's3:max-keys': String(maxKeys),
  };
  if (!s3.hasBucket(bucket)) {
    throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
  }
  authorize({ bucket, context, request });

  const token = query.get('continuation-token');
  const after = token === null ? (query.get('start-after') ?? '') : decodeToken(token);
  const entries = foldByDelimiter(s3.objects(bucket, prefix), prefix, delimiter).filter(
    (entry) => entry.name > after,
  );
  const page = entries.slice(0, maxKeys);
  const truncated = entries.length > page.length;
  const encode = query.get('encoding-type') === 'url' ? (text: string) => encodeURIComponent(text) : String;
  const last = page.at(-1);
  return element(
    'ListBucketResult',
    element('Name', bucket) +
      element('Prefix', encode(prefix)) +
      (query.has('delimiter') ? element('Delimiter', encode(delimiter)) : '') +
      element('MaxKeys', String(maxKeys)) +
      (query.get('encoding-type') === 'url' ? element('EncodingType', 'url') : '') +
      element('KeyCount', String(page.length)) +
      element('IsTruncated', String(truncated)) +
      (token === null ? '' : element('ContinuationToken', token)) +
      (truncated && last ? element('NextContinuationToken', encodeToken(last.name)) : '') +
      (query.has('start-after') ? element('StartAfter', encode(query.get('start-after') ?? '')) : '') +
      page
        .map((entry) =>
          entry.path === undefined
            ? element('CommonPrefixes', element('Prefix', encode(entry.name)))
            : objectElement(entry.name, entry.path, encode),
        )
        .join(''),
    'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"',
  );
}

function readMaxKeys(value: string | null): number {
  if (value === null) return MAX_KEYS;
  if (!/^\d+$/.test(value)) {
    throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400, {
      ArgumentName: 'max-keys',
      ArgumentValue: value,
    });
  }
  return Math.min(Number(value), MAX_KEYS);
}

/** Keys, and the common prefixes that keys with the delimiter after the prefix fold into. */
function foldByDelimiter(
  objects: readonly { key: string; path: string }[],
  prefix: string,
  delimiter: string,
): { name: string; path?: string }[] {
  const entries: { name: string; path?: string }[] = [];
  for (const { key, path } of objects) {
    const at = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
    if (at < 0) entries.push({ name: key, path });
    else {
      const common = key.slice(0, at + delimiter.length);
      if (entries.at(-1)?.name !== common) entries.push({ name: common });
    }
  }
  return entries;
}

function objectElement(key: string, path: string, encode: (text: string) => string): string {
  const stat = statSync(path);
  return element(
    'Contents',
    element('Key', encode(key)) +
      element('LastModified', stat.mtime.toISOString()) +
      element('ETag', `"${stat.size.toString(16)}-${stat.mtimeMs.toString(16)}"`) +
      element('Size', String(stat.size)) +
      element('StorageClass', 'STANDARD'),
  );
}

// The token only needs to be opaque to the client and stable for the listing.
const encodeToken = (key: string) => Buffer.from(key, 'utf8').toString('base64');

function decodeToken(token: string): string {
  const key = Buffer.from(token, 'base64').toString('utf8');
  if (encodeToken(key) !== token) {
    throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', 400, {
      ArgumentName: 'continuation-token',
    });
  }
  return key;
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);

function element(name: string, content: string, attributes = ''): string {
  const inner = /^</.test(content) || content === '' ? content : escapeXml(content);
  return `<${name}${attributes ? ` ${attributes}` : ''}>${inner}</${name}>`;
}

function send(response: ServerResponse, status: number, body: string): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  response.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(text),
    'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
  });
  response.end(text);
}
