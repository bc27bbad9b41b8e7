// Plain ESM, as pglite-worker.mjs that uses it: a worker thread loads it with no TypeScript transform.
import { copyFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Copies a cluster's files into `dataDir`, its top-level PG_VERSION last. PG_VERSION is how both
 * PGlite and the worker tell a cluster from an empty directory, so a copy cut short (a killed run,
 * a full disk) never opens as a cluster with files missing: the next open copies again over it.
 */
export function copyCluster(cluster, dataDir) {
  const marker = join(cluster, 'PG_VERSION');
  cpSync(cluster, dataDir, { recursive: true, filter: (source) => source !== marker });
  copyFileSync(marker, join(dataDir, 'PG_VERSION'));
}
