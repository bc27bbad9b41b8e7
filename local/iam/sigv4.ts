import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ReceivedRequest } from '../data-api/server';

/** The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header. */
export interface SigV4Authorization {
  readonly accessKeyId: string;
  /** `date/region/service/aws4_request`. */
  readonly scope: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

export function parseAuthorization(header: string | undefined): SigV4Authorization | undefined {
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8}\/([^/]+)\/([^/]+)\/aws4_request),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
      header ?? '',
    );
  if (!match) return undefined;
  const [, accessKeyId, scope, region, service, signedHeaders, signature] = match;
  return {
    accessKeyId: accessKeyId!,
    scope: scope!,
    region: region!,
    service: service!,
    signedHeaders: signedHeaders!.split(';'),
    signature: signature!,
  };
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const rfc3986 = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Whether the request's signature is the one its secret access key gives, computed as Signature
 * Version 4 defines it: canonical request, string to sign, and the date/region/service-scoped key.
 */
export function signatureMatches(
  request: ReceivedRequest,
  authorization: SigV4Authorization,
  secret: string,
): boolean {
  const header = (name: string) => {
    const value = request.headers[name];
    return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');
  };
  const [path = '/', query = ''] = request.url.split('?', 2);
  const canonicalQuery = query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) =>
      pair
        .split('=', 2)
        .map((part) => rfc3986(decodeURIComponent(part)))
        .join('='),
    )
    .sort()
    .join('&');
  const canonicalRequest = [
    request.method,
    path,
    canonicalQuery,
    authorization.signedHeaders.map((name) => `${name}:${header(name)}\n`).join(''),
    authorization.signedHeaders.join(';'),
    request.headers['x-amz-content-sha256'] ?? sha256(request.body),
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    header('x-amz-date'),
    authorization.scope,
    sha256(canonicalRequest),
  ].join('\n');
  const [date = '', region, service] = authorization.scope.split('/');
  const key = ['aws4_request'].reduce(
    (k, part) => hmac(k, part),
    hmac(hmac(hmac(`AWS4${secret}`, date), region!), service!),
  );
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
  const given = Buffer.from(authorization.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
