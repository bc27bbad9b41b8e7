import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { setImmediate as eventLoopTurn } from 'node:timers/promises';

const READS_AUTHORIZED_PER_TURN = 500;

export interface S3Object {
  /** The object's key, as COPY errors name it: `s3://bucket/key`. */
  readonly uri: string;
  readonly path: string;
}

/** One S3 request a COPY makes, as IAM sees it. */
export interface S3Access {
  readonly action: 's3:ListBucket' | 's3:GetObject';
  /** `arn:aws:s3:::bucket` for a listing, `arn:aws:s3:::bucket/key` for an object. */
  readonly resource: string;
  /** `s3:prefix` for a listing. */
  readonly context: Readonly<Record<string, string>>;
  /** What Redshift's error names as the context: `Listing bucket=… prefix=…` or the key being read. */
  readonly description: string;
}

/**
 * Decides whether the role a COPY names (its IAM_ROLE: an ARN or `default`; undefined when the COPY
 * names none) may make an S3 request, throwing the error Redshift reports when it may not.
 */
export type S3Authorizer = (iamRole: string | undefined, access: S3Access) => void;

/**
 * Directories standing in for S3 buckets, keyed by bucket name. Listing follows S3's rules that COPY
 * relies on: a FROM location is a key PREFIX, not a folder, so `log_data/2018/11/2018-11-1` matches
 * the 10th to the 19th; keys come back in lexicographic order. Given an authorizer, every listing
 * and object read is first authorized for the role the COPY reads as (see `as`).
 */
export class LocalS3 {
  private buckets = new Map<string, string>();
  private iamRole?: string;

  constructor(
    buckets: Readonly<Record<string, string>> = {},
    private readonly authorize?: S3Authorizer,
  ) {
    for (const [bucket, directory] of Object.entries(buckets)) this.mount(bucket, directory);
  }

  /** The same buckets as a COPY with `IAM_ROLE iamRole` reads them. */
  as(iamRole: string | undefined): LocalS3 {
    const view = new LocalS3({}, this.authorize);
    view.buckets = this.buckets;
    view.iamRole = iamRole;
    return view;
  }

  /** Makes a directory stand in for a bucket from now on, as uploading a new data set would. */
  mount(bucket: string, directory: string): void {
    this.buckets.set(bucket, directory);
  }

  /**
   * The objects under a prefix, each authorized for reading. IAM evaluation takes tens of
   * microseconds per object, over a second for a catalogue of 20,000 song files: the thread takes
   * a turn every READS_AUTHORIZED_PER_TURN objects, so that the endpoints and the other loads on it
   * go on meanwhile.
   */
  async list(uri: string): Promise<S3Object[]> {
    const { bucket, key: prefix } = parseS3Uri(uri);
    this.authorize?.(this.iamRole, {
      action: 's3:ListBucket',
      resource: `arn:aws:s3:::${bucket}`,
      context: { 's3:prefix': prefix },
      description: `Listing bucket=${bucket} prefix=${prefix}`,
    });
    const keys = this.keysUnder(bucket, prefix).filter((key) => key.startsWith(prefix));
    for (const [index, key] of keys.entries()) {
      if (this.authorize && index > 0 && index % READS_AUTHORIZED_PER_TURN === 0) await eventLoopTurn();
      this.authorizeRead(bucket, key);
    }
    if (keys.length === 0)
      throw new Error(
        `S3 prefix '${uri}' matches no object (the local bucket is ${this.directoryOf(bucket)})`,
      );
    return keys.map((key) => ({ uri: `s3://${bucket}/${key}`, path: join(this.directoryOf(bucket), key) }));
  }

  hasBucket(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  /**
   * The objects whose keys start with `prefix`, in key order, unauthorized: for a caller that
   * authorized the listing itself (the local S3 endpoint, for the signer of its request).
   */
  objects(bucket: string, prefix: string): { key: string; path: string }[] {
    return this.keysUnder(bucket, prefix)
      .filter((key) => key.startsWith(prefix))
      .map((key) => ({ key, path: join(this.directoryOf(bucket), key) }));
  }

  /** One object by its exact key, as JSONPaths and manifest files are named. */
  read(uri: string): string {
    const { bucket, key } = parseS3Uri(uri);
    this.authorizeRead(bucket, key);
    const path = join(this.directoryOf(bucket), key);
    if (key === '' || !existsSync(path) || !statSync(path).isFile())
      throw new Error(`S3 object '${uri}' does not exist (the local bucket is ${this.directoryOf(bucket)})`);
    return readFileSync(path, 'utf8');
  }

  private authorizeRead(bucket: string, key: string): void {
    this.authorize?.(this.iamRole, {
      action: 's3:GetObject',
      resource: `arn:aws:s3:::${bucket}/${key}`,
      context: {},
      description: `S3 key being read : s3://${bucket}/${key}`,
    });
  }

  private directoryOf(bucket: string): string {
    const directory = this.buckets.get(bucket);
    if (directory === undefined) {
      throw new Error(
        `no local directory stands in for S3 bucket '${bucket}' (known: ${[...this.buckets.keys()].join(', ')})`,
      );
    }
    return directory;
  }

  /**
   * The keys below the folder part of a prefix, listed anew on every call (files may come and go
   * between loads, as objects do in S3). Walking only that folder keeps one day's COPY from
   * listing the whole bucket.
   */
  private keysUnder(bucket: string, prefix: string): string[] {
    const root = this.directoryOf(bucket);
    const folder = join(root, prefix.slice(0, prefix.lastIndexOf('/') + 1));
    if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
    return readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .sort();
  }
}

export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`not an s3:// URI: '${uri}'`);
  return { bucket: match[1]!, key: match[2]! };
}
