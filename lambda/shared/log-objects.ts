import { paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';

/**
 * Lists the log location under each of a run's prefixes, the way COPY will read it: a prefix is a
 * key prefix below the location (`/2018/11/2018-11-12-`), not a folder.
 */
export class LogObjects {
  private readonly bucket: string;
  /** The location's key without its trailing slashes; empty for a whole bucket. */
  private readonly root: string;

  constructor(
    private readonly logDataUri: string,
    private readonly client: S3Client,
  ) {
    const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(logDataUri);
    if (!match) throw new Error(`not an s3:// URI: ${logDataUri}`);
    this.bucket = match[1]!;
    this.root = match[2]!.replace(/\/+$/, '');
  }

  /** Every key under the prefixes, each below the location as the prefixes are (`/2018/11/…`). */
  async keysUnder(prefixes: readonly string[]): Promise<string[]> {
    const keys: string[] = [];
    for (const prefix of prefixes) {
      const pages = paginateListObjectsV2(
        { client: this.client },
        { Bucket: this.bucket, Prefix: `${this.root}${prefix}`.replace(/^\//, '') },
      );
      for await (const page of pages) {
        for (const { Key } of page.Contents ?? []) {
          if (Key !== undefined) keys.push(this.root === '' ? `/${Key}` : Key.slice(this.root.length));
        }
      }
    }
    return keys;
  }

  /** How the location is named in messages. */
  toString(): string {
    return this.logDataUri;
  }
}
