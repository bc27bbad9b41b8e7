// PGlite in a worker thread, so that the Data API endpoint keeps answering while a query runs.
// Plain ESM on purpose: a worker is loaded by Node itself, under jest and under scripts/run.mjs
// alike, with no TypeScript transform. Its protocol is typed where it is used: pglite-engine.ts.
import { Blob } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { cachedBuild, sha256 } from '../../scripts/build-cache.mjs';
import { copyCluster } from './cluster-copy.mjs';

/** Types whose values stay as the server's text; the main thread parses them (engine.ts). */
const keepText = (text) => text;
const parsers = Object.fromEntries(workerData.textOids.map((oid) => [oid, keepText]));

// An error crosses threads as a plain object of its text and number fields (code, detail, position…):
// structured cloning would keep only its message, and its query options hold functions.
const plainError = (error) => ({
  ...Object.fromEntries(
    Object.entries(error).filter(([, value]) => typeof value === 'string' || typeof value === 'number'),
  ),
  message: error.message,
});

const pgliteVersion = () => {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  return JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')).version;
};

/**
 * A database in `dataDir` (always a directory: see PGliteEngine.open). initdb is most of the cost
 * of opening a new one (seconds, on every run and test file), and its output depends on nothing but
 * PGlite's version: the first open keeps a fresh cluster on disk
 * (node_modules/.cache/sparkify-pglite-initdb), and later opens copy its files, which costs a
 * fraction of unpacking a dump through PGlite's file system (about 50 ms against 250 ms). A data
 * directory that already holds a cluster (a PG_VERSION: see copyCluster) opens as it is.
 */
async function openDatabase(dataDir, root) {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const cluster = await cachedBuild({
      root,
      name: 'sparkify-pglite-initdb',
      key: sha256(JSON.stringify(['pglite', pgliteVersion(), 'cluster directory'])).slice(0, 16),
      build: async (outdir) => {
        const initialized = await PGlite.create({ parsers });
        const dump = await initialized.dumpDataDir('none');
        await initialized.close();
        const directory = join(outdir, 'cluster');
        await (await PGlite.create(directory, { parsers, loadDataDir: dump })).close();
        return { output: directory, sources: [] };
      },
    });
    copyCluster(cluster, dataDir);
  }
  return PGlite.create(dataDir, { parsers });
}

let db;
try {
  db = await openDatabase(workerData.dataDir, workerData.root);
  const { rows } = await db.query("SELECT current_setting('server_version') AS version");
  parentPort.postMessage({ ready: rows[0].version });
} catch (error) {
  parentPort.postMessage({ failed: plainError(error) });
}

parentPort.on('message', async ({ id, method, sql, params, blob }) => {
  try {
    if (method === 'close') {
      await db.close();
      parentPort.postMessage({ id, value: null });
      parentPort.close();
      return;
    }
    const result =
      method === 'exec'
        ? await db.exec(sql)
        : await db.query(sql, params, blob && { blob: new Blob([blob]) });
    const value =
      method === 'exec'
        ? null
        : { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
    parentPort.postMessage({ id, value });
  } catch (error) {
    parentPort.postMessage({ id, error: plainError(error) });
  }
});
