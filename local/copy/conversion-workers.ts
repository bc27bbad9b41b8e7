import { build, version as esbuildVersion, type BuildOptions } from 'esbuild';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '../../contract/functions';
import { cachedBuild, sha256 } from '../../scripts/build-cache.mjs';
import { CopyLoadError, type ConversionPlan, type ConvertedChunk } from './copy-conversion';
import { CHUNK_TAKEN, type ConversionMessage, type ConversionSetup } from './conversion-protocol';
import type { S3Object } from './local-s3';

const ENTRY = 'local/copy/conversion-worker.ts';
const BUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
};
/** A part is a run of objects of about this many source bytes (or one larger object). */
const PART_BYTES = 4 * 1024 * 1024;
/** Chunks (about 1 MB of COPY rows each) a worker converts beyond those the loader took. */
const CHUNKS_AHEAD = 16;

let bundle: Promise<string> | undefined;

/** The worker's entry, bundled by esbuild once and kept on disk while its sources are unchanged. */
function workerBundle(): Promise<string> {
  const root = projectRoot();
  bundle ??= cachedBuild({
    root,
    name: 'sparkify-copy-workers',
    key: sha256(JSON.stringify([esbuildVersion, root, BUILD_OPTIONS, ENTRY])).slice(0, 16),
    build: async (outdir: string) => {
      const outfile = join(outdir, 'conversion-worker.mjs');
      const { metafile } = await build({
        ...BUILD_OPTIONS,
        entryPoints: [resolve(root, ENTRY)],
        outfile,
        absWorkingDir: root,
        metafile: true,
      });
      return { output: outfile, sources: Object.keys(metafile.inputs) };
    },
  }).catch((error: unknown) => {
    bundle = undefined;
    throw error;
  });
  return bundle;
}

/** The objects, in order, cut into runs of about PART_BYTES. */
export function partsOf(objects: readonly S3Object[], sizes: readonly number[]): S3Object[][] {
  const parts: S3Object[][] = [];
  let part: S3Object[] = [];
  let bytes = 0;
  objects.forEach((object, index) => {
    part.push(object);
    bytes += sizes[index]!;
    if (bytes >= PART_BYTES) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
  });
  if (part.length > 0) parts.push(part);
  return parts;
}

/** A worker's messages as they come, taken one at a time; its crash or exit ends them with a failure. */
class Inbox {
  private readonly queue: ConversionMessage[] = [];
  private waiting?: (message: ConversionMessage) => void;

  constructor(worker: Worker) {
    const receive = (message: ConversionMessage) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting) waiting(message);
      else this.queue.push(message);
    };
    worker.on('message', receive);
    worker.on('error', (error) => receive({ kind: 'failed', message: error.message }));
    worker.on('exit', (code) =>
      receive({ kind: 'failed', message: `a COPY conversion worker exited with code ${code}` }),
    );
  }

  next(): Promise<ConversionMessage> {
    const message = this.queue.shift();
    return message ? Promise.resolve(message) : new Promise((resolve) => (this.waiting = resolve));
  }
}

/**
 * The objects converted by up to `threads` worker threads at once, each converting every
 * threads-th part, and handed on in source order: the same chunks, rejections and failures as
 * converting them in this thread, while this thread stays free for the engine and the endpoints.
 */
export async function* convertInWorkers(
  plan: ConversionPlan,
  parts: readonly (readonly S3Object[])[],
  threads: number,
): AsyncGenerator<ConvertedChunk> {
  const file = await workerBundle();
  const count = Math.max(1, Math.min(threads, parts.length));
  const workers = Array.from({ length: count }, (_, index) => {
    const setup: ConversionSetup = {
      plan,
      parts: parts.filter((_, part) => part % count === index),
      chunksAhead: CHUNKS_AHEAD,
    };
    return new Worker(file, { workerData: setup });
  });
  const inboxes = workers.map((worker) => new Inbox(worker));
  try {
    for (let part = 0; part < parts.length; part++) {
      const worker = workers[part % count]!;
      const inbox = inboxes[part % count]!;
      for (let message = await inbox.next(); message.kind !== 'part done'; message = await inbox.next()) {
        if (message.kind === 'failed') {
          throw message.rejections
            ? new CopyLoadError(message.message, message.rejections)
            : new Error(message.message);
        }
        worker.postMessage(CHUNK_TAKEN);
        yield { bytes: message.bytes, rejections: message.rejections };
      }
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
