import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalS3, type S3Access } from '../../local/copy/local-s3';

// A COPY's listing authorizes every object it will read, which for a catalogue of one song per
// file is tens of thousands of IAM evaluations on the thread that also serves the Data API.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sparkify-listing-'));
  for (let i = 0; i < 1200; i++) writeFileSync(join(dir, `song-${String(i).padStart(4, '0')}.json`), '{}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('authorizing a long listing lets the event loop turn, and still checks every object in key order', async () => {
  const reads: string[] = [];
  const s3 = new LocalS3({ b: dir }, (_role, access: S3Access) => {
    if (access.action === 's3:GetObject') reads.push(access.resource);
  });
  let readsWhenTheLoopTurned: number | undefined;
  setImmediate(() => (readsWhenTheLoopTurned = reads.length));

  const objects = await s3.as('arn:aws:iam::000000000000:role/copy').list('s3://b/song-');

  expect(objects).toHaveLength(1200);
  expect(reads).toEqual(objects.map((object) => `arn:aws:s3:::b/${object.uri.slice('s3://b/'.length)}`));
  expect(readsWhenTheLoopTurned).toBeGreaterThan(0);
  expect(readsWhenTheLoopTurned).toBeLessThan(1200);
});

test('the first object the role may not read fails the listing, before any later one is checked', async () => {
  const reads: string[] = [];
  const s3 = new LocalS3({ b: dir }, (_role, access: S3Access) => {
    if (access.action !== 's3:GetObject') return;
    reads.push(access.resource);
    if (access.resource.endsWith('song-0700.json')) throw new Error(`denied: ${access.description}`);
  });

  await expect(s3.as('arn:aws:iam::000000000000:role/copy').list('s3://b/song-')).rejects.toThrow(
    'denied: S3 key being read : s3://b/song-0700.json',
  );
  expect(reads).toHaveLength(701);
});
