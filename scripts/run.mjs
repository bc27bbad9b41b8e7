// Runs a TypeScript entry point the way the Lambdas are built: bundled by esbuild, with .sql files
// as text and node_modules left external, then imported in this process. One build path for the
// Lambdas, the CDK app, the local runner and the benchmarks means one set of loader rules.
import { build, version as esbuildVersion } from 'esbuild';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cachedBuild, sha256 } from './build-cache.mjs';
import { cacheCloudFormationValidation } from './cloudformation-validation-cache.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry || !existsSync(resolve(root, entry))) {
  console.error(
    `usage: node scripts/run.mjs <entry.ts> [args…]${entry ? `\n✗ no such entry point: ${entry}` : ''}`,
  );
  process.exit(2);
}
// The AWS SDK warns that Node.js 20 will not run its releases from 2027 on; engines in package.json
// already says which Node.js this project runs on, and the notice lands in the middle of a run's
// output. AWS documents this variable as the way to silence it (aws/aws-sdk-js-v3#7983).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const options = {
  entryPoints: [resolve(root, entry)],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  loader: { '.sql': 'text' },
  sourcemap: 'inline',
  logLevel: 'warning',
  absWorkingDir: root,
  // An entry's dynamic import() becomes a chunk of its own, so the packages only that code imports
  // load when it runs: a --help need not load the CDK app or the engine.
  splitting: true,
  entryNames: '[name]',
  outExtension: { '.js': '.mjs' },
};
const entryFile = `${basename(entry, '.ts')}.mjs`;
// Each start would otherwise spend about a second bundling code that has not changed since the last.
const outfile = await cachedBuild({
  root,
  name: 'sparkify-entry-bundles',
  key: sha256(JSON.stringify([esbuildVersion, root, options])).slice(0, 16),
  build: async (outdir) => {
    const { metafile } = await build({ ...options, outdir, metafile: true });
    return { output: join(outdir, entryFile), sources: Object.keys(metafile.inputs) };
  },
});
cacheCloudFormationValidation(root);
process.argv = [process.argv[0], outfile, ...args];
process.setSourceMapsEnabled(true);
await import(pathToFileURL(outfile).href);
