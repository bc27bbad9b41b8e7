import { build, version as esbuildVersion, type BuildOptions, type Format, type LogLevel } from 'esbuild';
import { createHash } from 'node:crypto';
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
import {
  ETL_FUNCTION_ENTRIES,
  ETL_FUNCTION_KEYS,
  projectRoot,
  type EtlFunctionKey,
} from '../../contract/functions';
import { ETL_FUNCTION_BUNDLING, ETL_FUNCTION_RUNTIME } from '../../lib/constructs/etl-function';

/** The built files the local sandboxes load, with what each function's bundle was built from. */
export interface LambdaBundles {
  /** The sandbox runtime, the worker's entry. */
  readonly runtime: string;
  /** Each function's bundle, as `cdk deploy` uploads it. */
  readonly functions: Readonly<Record<EtlFunctionKey, string>>;
  /** The source files in each bundle, relative to the project root. */
  readonly inputs: Readonly<Record<EtlFunctionKey, readonly string[]>>;
}

/**
 * esbuild options equal to the NodejsFunction bundling the CDK applies to every pipeline handler:
 * its format, loaders, minification and source maps, its runtime's Node.js as target, and the AWS
 * SDK inside the bundle (bundleAwsSDK), not taken from the runtime.
 */
export function etlFunctionBuildOptions(): BuildOptions {
  const bundling = ETL_FUNCTION_BUNDLING;
  const nodeMajor = /^nodejs(\d+)/.exec(ETL_FUNCTION_RUNTIME.name)?.[1];
  if (nodeMajor === undefined) throw new Error(`not a Node.js runtime: ${ETL_FUNCTION_RUNTIME.name}`);
  return {
    bundle: true,
    platform: 'node',
    target: `node${nodeMajor}`,
    format: bundling.format as Format,
    loader: { ...bundling.loader },
    minify: bundling.minify,
    sourcemap: bundling.sourceMap,
    sourcesContent: bundling.sourcesContent,
    logLevel: bundling.logLevel as LogLevel,
    external: bundling.bundleAwsSDK ? [] : ['@aws-sdk/*'],
  };
}

/** A built set of bundles and the SHA-256 of every file that went into them, to tell if it is stale. */
interface CachedBuild {
  readonly bundles: LambdaBundles;
  readonly sources: Readonly<Record<string, string>>;
}

/** In the project's node_modules, like other tools' caches: the user's own, never a shared tmp. */
const cacheDir = (root: string) => join(root, 'node_modules', '.cache', 'sparkify-lambda-bundles');
/** Builds of older code are removed after this long; a process that still runs one keeps going. */
const STALE_BUILD_MS = 24 * 60 * 60 * 1000;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Which builds can stand in for each other: same esbuild, options, entries and project. */
function buildKey(root: string): string {
  const entries = { ...ETL_FUNCTION_ENTRIES, runtime: 'local/execution/sandbox-runtime.ts' };
  return sha256(JSON.stringify([esbuildVersion, root, etlFunctionBuildOptions(), entries])).slice(0, 16);
}

/** The SHA-256 of each file, by its path relative to `root`. */
export function sourceHashes(root: string, paths: readonly string[]): Record<string, string> {
  return Object.fromEntries(paths.map((path) => [path, sha256(readFileSync(resolve(root, path)))]));
}

/** Whether every file (relative to `root`) still has the SHA-256 it had when it was bundled. */
export function sourcesUnchanged(root: string, sources: Readonly<Record<string, string>>): boolean {
  return Object.entries(sources).every(([path, hash]) => {
    const file = resolve(root, path);
    return existsSync(file) && sha256(readFileSync(file)) === hash;
  });
}

/**
 * The last build for this key, when every file that went into it is unchanged: each test file
 * and each local run would otherwise spend a second or more of CPU bundling the same code.
 */
function cachedBuild(root: string, key: string): LambdaBundles | undefined {
  const cache = cacheDir(root);
  try {
    const { dir } = JSON.parse(readFileSync(join(cache, `${key}.json`), 'utf8')) as { dir: string };
    const cached = JSON.parse(readFileSync(join(cache, dir, 'build.json'), 'utf8')) as CachedBuild;
    return sourcesUnchanged(root, cached.sources) ? cached.bundles : undefined;
  } catch {
    return undefined;
  }
}

/** Records a finished build as the key's current one, replacing the pointer atomically. */
function rememberBuild(root: string, key: string, dir: string, build: CachedBuild): void {
  const cache = cacheDir(root);
  writeFileSync(join(cache, dir, 'build.json'), JSON.stringify(build));
  const pointer = join(cache, `${key}.json`);
  writeFileSync(`${pointer}.${process.pid}`, JSON.stringify({ dir }));
  renameSync(`${pointer}.${process.pid}`, pointer);
  for (const entry of readdirSync(cache, { withFileTypes: true })) {
    const path = join(cache, entry.name);
    if (entry.isDirectory() && entry.name !== dir && Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

async function lambdaBundlesOnDisk(): Promise<LambdaBundles> {
  const root = projectRoot();
  const key = buildKey(root);
  const cached = cachedBuild(root, key);
  if (cached) return cached;
  const cache = cacheDir(root);
  mkdirSync(cache, { recursive: true });
  const outdir = mkdtempSync(join(cache, `${key}-`));
  const started = Date.now();
  const { bundles, sources } = await buildLambdaBundles(root, outdir);
  const files = sources.filter((path) => existsSync(resolve(root, path)));
  // A file saved while esbuild read it may be newer than its bundle: that build is not kept.
  if (files.some((path) => statSync(resolve(root, path)).mtimeMs >= started)) return bundles;
  const hashes = sourceHashes(root, files);
  rememberBuild(root, key, relative(cache, outdir), { bundles, sources: hashes });
  return bundles;
}

async function buildLambdaBundles(
  root: string,
  outdir: string,
): Promise<{ bundles: LambdaBundles; sources: string[] }> {
  const entryPoints = Object.fromEntries(
    ETL_FUNCTION_KEYS.map((key) => [key, resolve(root, ETL_FUNCTION_ENTRIES[key])]),
  );
  const functions = Object.fromEntries(
    ETL_FUNCTION_KEYS.map((key) => [key, join(outdir, key, 'index.js')]),
  ) as Record<EtlFunctionKey, string>;
  const runtime = join(outdir, 'sandbox-runtime.cjs');
  const [bundled, runtimeBuilt] = await Promise.all([
    build({
      ...etlFunctionBuildOptions(),
      entryPoints,
      outdir,
      entryNames: '[name]/index',
      absWorkingDir: root,
      metafile: true,
    }),
    build({
      entryPoints: [resolve(root, 'local/execution/sandbox-runtime.ts')],
      outfile: runtime,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      absWorkingDir: root,
      logLevel: 'warning',
      metafile: true,
    }),
  ]);
  const inputs = Object.fromEntries(
    ETL_FUNCTION_KEYS.map((key) => {
      const output = bundled.metafile.outputs[relative(root, functions[key])];
      if (!output) throw new Error(`esbuild wrote no ${functions[key]}`);
      return [key, Object.keys(output.inputs)];
    }),
  ) as Record<EtlFunctionKey, string[]>;
  const sources = [...Object.keys(bundled.metafile.inputs), ...Object.keys(runtimeBuilt.metafile.inputs)];
  return { bundles: { runtime, functions, inputs }, sources: [...new Set(sources)] };
}

let built: Promise<LambdaBundles> | undefined;

/**
 * The bundles, built once per process and kept on disk while their sources are unchanged: later
 * pipelines and processes reuse them.
 */
export function lambdaBundles(): Promise<LambdaBundles> {
  built ??= lambdaBundlesOnDisk().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}
