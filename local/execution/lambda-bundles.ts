import { build, type BuildOptions, type Format, type LogLevel } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

async function buildLambdaBundles(): Promise<LambdaBundles> {
  const root = projectRoot();
  // Under SPARKIFY_SCRATCH_ROOT when a test runner, whose sandbox emits no 'exit', removes it.
  const outdir = mkdtempSync(join(process.env.SPARKIFY_SCRATCH_ROOT ?? tmpdir(), 'sparkify-lambda-'));
  process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
  const entryPoints = Object.fromEntries(
    ETL_FUNCTION_KEYS.map((key) => [key, resolve(root, ETL_FUNCTION_ENTRIES[key])]),
  );
  const functions = Object.fromEntries(
    ETL_FUNCTION_KEYS.map((key) => [key, join(outdir, key, 'index.js')]),
  ) as Record<EtlFunctionKey, string>;
  const runtime = join(outdir, 'sandbox-runtime.cjs');
  const [bundled] = await Promise.all([
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
    }),
  ]);
  const inputs = Object.fromEntries(
    ETL_FUNCTION_KEYS.map((key) => {
      const output = bundled.metafile.outputs[relative(root, functions[key])];
      if (!output) throw new Error(`esbuild wrote no ${functions[key]}`);
      return [key, Object.keys(output.inputs)];
    }),
  ) as Record<EtlFunctionKey, string[]>;
  return { runtime, functions, inputs };
}

let built: Promise<LambdaBundles> | undefined;

/** The bundles, built once per process: later pipelines reuse them. */
export function lambdaBundles(): Promise<LambdaBundles> {
  built ??= buildLambdaBundles().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}
