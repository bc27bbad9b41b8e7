import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ETL_FUNCTION_KEYS, type EtlFunctionKey } from '../../contract/functions';
import { synthesize } from './support/app';

// The one test that bundles: with the local esbuild, offline, as `cdk synth` does.
const { app, stack } = synthesize({}, { bundle: true });
const assembly = app.synth().directory;

/** The directory of a handler's bundled code asset in the cloud assembly. */
function bundleOf(key: EtlFunctionKey): string {
  const cfn = stack.functions[key].node.defaultChild as unknown as { code: { s3Key: string } };
  const hash = stack.resolve(cfn.code.s3Key).replace(/\.zip$/, '');
  return join(assembly, `asset.${hash}`);
}

describe('GIVEN the app synthesized with its Lambda bundles', () => {
  test.each(ETL_FUNCTION_KEYS)('THEN %s is one bundled file with its source map', (key) => {
    const dir = bundleOf(key);

    expect(existsSync(join(dir, 'index.js'))).toBe(true);
    expect(existsSync(join(dir, 'index.js.map'))).toBe(true);
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).toMatch(/sourceMappingURL=index\.js\.map\s*$/);
  });

  test('THEN the submit bundle carries the SQL files as text and its own Redshift Data API client', () => {
    const code = readFileSync(join(bundleOf('submitStatement'), 'index.js'), 'utf8');

    expect(code).toContain('COPY staging_events');
    expect(code).toContain('INSERT INTO songplays');
    expect(code).toContain('redshift-data');
  });

  test('WHEN the plan bundle is loaded and called THEN it plans a full run', async () => {
    const load = createRequire(__filename);
    Object.assign(process.env, {
      LOG_DATA_URI: 's3://udacity-dend/log_data',
      DATA_REGION: 'us-west-2',
      MISSING_DAYS: 'fail',
    });
    const { handler } = load(join(bundleOf('planRun'), 'index.js')) as {
      handler: (event: unknown) => Promise<{ mode: string; runId: string }>;
    };

    await expect(handler({ input: { mode: 'full' }, executionName: 'bundle-test' })).resolves.toMatchObject({
      runId: 'bundle-test',
      mode: 'full',
    });
  });
});
