// PGlite in a worker thread, so that the Data API endpoint keeps answering while a query runs.
// Plain ESM on purpose: a worker is loaded by Node itself, under jest and under scripts/run.mjs
// alike, with no TypeScript transform. Its protocol is typed where it is used: pglite-engine.ts.
import { Blob } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

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

let db;
try {
  db = await PGlite.create(workerData.dataDir, { parsers });
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
