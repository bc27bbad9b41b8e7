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
  const cached = lastBuild(root, cache, key);
  if (cached !== undefined) return cached;
  mkdirSync(cache, { recursive: true });
  const outdir = mkdtempSync(join(cache, `${key}-`));
  const started = Date.now();
  const { output, sources } = await build(outdir);
  const files = sources.filter((path) => existsSync(resolve(root, path)));
  // A file saved while esbuild read it may be newer than its bundle: that build is not kept.
  if (files.some((path) => statSync(resolve(root, path)).mtimeMs >= started)) return output;
  rememberBuild(cache, key, relative(cache, outdir), { output, sources: sourceHashes(root, files) });
  return output;
}
