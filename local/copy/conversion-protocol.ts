import type { ConversionPlan, Rejection } from './copy-conversion';
import type { S3Object } from './local-s3';

// What the loader's conversion workers and the thread that loads their rows say to each other.

/** A worker's share of a load: every n-th part of it (n workers), converted in order. */
export interface ConversionSetup {
  readonly plan: ConversionPlan;
  readonly parts: readonly (readonly S3Object[])[];
  /** Chunks a worker may send ahead of the ones the loader has taken. */
  readonly chunksAhead: number;
}

export type ConversionMessage =
  /** A chunk of the part the worker is on; its bytes are moved, not copied. */
  | { readonly kind: 'chunk'; readonly bytes: Uint8Array; readonly rejections: readonly Rejection[] }
  /** The part is converted; the next message is the worker's next part. */
  | { readonly kind: 'part done' }
  /** Converting failed: the loader fails as the same code in its own thread would. */
  | {
      readonly kind: 'failed';
      readonly message: string;
      /** Set when the failure is a CopyLoadError (a malformed object). */
      readonly rejections?: readonly Rejection[];
    };

/** The loader took a chunk: the worker may send one more. */
export const CHUNK_TAKEN = 'taken';
