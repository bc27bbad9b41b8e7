import { build, version as esbuildVersion, type BuildOptions, type Format, type LogLevel } from 'esbuild';
import { join, relative, resolve } from 'node:path';
import { cachedBuild, sha256 } from '../../scripts/build-cache.mjs';
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

/** Which builds can stand in for each other: same esbuild, options, entries and project. */
function buildKey(root: string): string {
  const entries = { ...ETL_FUNCTION_ENTRIES, runtime: 'local/execution/sandbox-runtime.ts' };
  return sha256(JSON.stringify([esbuildVersion, root, etlFunctionBuildOptions(), entries])).slice(0, 16);
}

/** Built once and reused by each test file and local run while no source of theirs changed. */
function lambdaBundlesOnDisk(): Promise<LambdaBundles> {
  const root = projectRoot();
  return cachedBuild({
    root,
    name: 'sparkify-lambda-bundles',
    key: buildKey(root),
    build: (outdir) => buildLambdaBundles(root, outdir),
  });
}

async function buildLambdaBundles(
  root: string,
  outdir: string,
): Promise<{ output: LambdaBundles; sources: string[] }> {
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
  return { output: { runtime, functions, inputs }, sources: [...new Set(sources)] };
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
