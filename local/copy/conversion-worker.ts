import { parentPort, workerData } from 'node:worker_threads';
import { convertObjects, CopyLoadError } from './copy-conversion';
import { CHUNK_TAKEN, type ConversionMessage, type ConversionSetup } from './conversion-protocol';

// A conversion worker's entry (see conversion-workers.ts): converts its parts in order and sends
// their chunks, never more than `chunksAhead` beyond what the loader took, so memory stays flat.

const port = parentPort!;
const { plan, parts, chunksAhead } = workerData as ConversionSetup;
let credits = chunksAhead;
let creditGiven: (() => void) | undefined;
port.on('message', (message: unknown) => {
  if (message !== CHUNK_TAKEN) return;
  credits++;
  creditGiven?.();
});

const send = (message: ConversionMessage, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

try {
  for (const part of parts) {
    for (const { bytes, rejections } of convertObjects(plan, part)) {
      while (credits === 0) await new Promise<void>((resolve) => (creditGiven = resolve));
      credits--;
      send({ kind: 'chunk', bytes, rejections }, [bytes.buffer as ArrayBuffer]);
    }
    send({ kind: 'part done' });
  }
} catch (error) {
  const { message } = error as Error;
  send({
    kind: 'failed',
    message,
    ...(error instanceof CopyLoadError ? { rejections: error.rejections } : {}),
  });
}
