// Builds kept on disk while the files that went into them are unchanged: the Lambda bundles of
// every local pipeline and the entry points scripts/run.mjs starts would otherwise spend a second
// or more of CPU bundling the same code on each start. Plain JavaScript, so that scripts/run.mjs
// can use it before anything is bundled.
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Builds of older code are removed after this long; a process that still runs one keeps going. */
const STALE_BUILD_MS = 24 * 60 * 60 * 1000;

export const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** The SHA-256 of each file, by its path relative to `root`. */
export function sourceHashes(root, paths) {
  return Object.fromEntries(paths.map((path) => [path, sha256(readFileSync(resolve(root, path)))]));
}

/** Whether every file (relative to `root`) still has the SHA-256 it had when it was bundled. */
export function sourcesUnchanged(root, sources) {
  return Object.entries(sources).every(([path, hash]) => {
    const file = resolve(root, path);
    return existsSync(file) && sha256(readFileSync(file)) === hash;
  });
}

/**
 * A build's record names the files it wrote relative to its own directory, through this marker, so
 * that it still holds when the project (and its node_modules) moves or is reached by another path.
 */
const BUILD_DIR = '<build-dir>';
const RECORD = 'build-record.json';
const asJsonText = (path) => JSON.stringify(path).slice(1, -1);

/** The last build for this key, when every file that went into it is unchanged. */
function lastBuild(root, cache, key) {
  try {
    const { dir } = JSON.parse(readFileSync(join(cache, `${key}.json`), 'utf8'));
    const record = readFileSync(join(cache, dir, RECORD), 'utf8');
    const cached = JSON.parse(record.replaceAll(BUILD_DIR, asJsonText(join(cache, dir))));
    return sourcesUnchanged(root, cached.sources) ? cached.output : undefined;
  } catch {
    return undefined;
  }
}

/** Records a finished build as the key's current one, replacing the pointer atomically. */
function rememberBuild(cache, key, dir, build) {
  writeFileSync(
    join(cache, dir, RECORD),
    JSON.stringify(build).replaceAll(asJsonText(join(cache, dir)), BUILD_DIR),
  );
  const pointer = join(cache, `${key}.json`);
  // Unique per writer: worker threads of one process (PGlite engines) may build at once.
  const pending = `${pointer}.${randomUUID()}`;
  writeFileSync(pending, JSON.stringify({ dir }));
  renameSync(pending, pointer);
  for (const entry of readdirSync(cache, { withFileTypes: true })) {
    const path = join(cache, entry.name);
    if (entry.isDirectory() && entry.name !== dir && Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/**
 * The output of `build` for `key`, reused while its sources are unchanged. Each build writes into
 * a directory of its own under node_modules/.cache/`name` (the user's own, like other tools'
 * caches, never a shared tmp), so processes that build at once never see each other's files.
 */
export async function cachedBuild({ root, name, key, build }) {
  const cache = join(root, 'node_modules', '.cache', name);
  for (;;) {
    const cached = lastBuild(root, cache, key);
    if (cached !== undefined) return cached;
    mkdirSync(cache, { recursive: true });
    const release = lockBuild(cache, key);
    if (release === undefined) {
      await sleep(LOCK_POLL_MS);
      continue;
    }
    try {
      // Whoever held the lock before may have finished this very build.
      return lastBuild(root, cache, key) ?? (await buildAndRemember(root, cache, key, build));
    } finally {
      release();
    }
  }
}

async function buildAndRemember(root, cache, key, build) {
  const outdir = mkdtempSync(join(cache, `${key}-`));
  const started = Date.now();
  let built;
  try {
    built = await build(outdir);
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  const { output, sources } = built;
  const files = sources.filter((path) => existsSync(resolve(root, path)));
  // A file saved while esbuild read it may be newer than its bundle: that build is not kept.
  if (files.some((path) => statSync(resolve(root, path)).mtimeMs >= started)) return output;
  rememberBuild(cache, key, relative(cache, outdir), { output, sources: sourceHashes(root, files) });
  return output;
}

/** How often a build waits to see whether the build it waits for is done. */
const LOCK_POLL_MS = 50;
/** A lock older than this is taken for abandoned, whoever holds it. */
const STALE_LOCK_MS = 60 * 1000;

/**
 * Takes the key's build lock, or says it is held (undefined): jest's workers, the scripts the tests
 * spawn and the threads of one process all start cold at once, and each built the same PGlite
 * cluster or bundle side by side, seconds of CPU apiece. A lock whose process is gone, or that is
 * older than STALE_LOCK_MS, is removed and taken.
 */
function lockBuild(cache, key) {
  const lock = join(cache, `${key}.lock`);
  try {
    writeFileSync(lock, JSON.stringify({ pid: process.pid }), { flag: 'wx' });
    return () => rmSync(lock, { force: true });
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
  }
  if (lockAbandoned(lock)) rmSync(lock, { force: true });
  return undefined;
}

function lockAbandoned(lock) {
  try {
    // The file's own age, so that a lock whose writer died before writing it still expires.
    if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) return true;
    process.kill(JSON.parse(readFileSync(lock, 'utf8')).pid, 0);
    return false;
  } catch (error) {
    // ESRCH: no such process. A lock being written (not JSON yet), or just released, is left be.
    return error.code === 'ESRCH';
  }
}
