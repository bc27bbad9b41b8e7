// What a test file's CDK Apps synthesize and its local pipelines bundle goes under one directory,
// removed when the file is done (see scratchOutdir in lib/app.ts and local/execution/lambda-bundles.ts):
// jest's sandboxed process never emits the 'exit' they would otherwise clean up on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = mkdtempSync(join(tmpdir(), 'sparkify-test-scratch-'));
process.env.SPARKIFY_SCRATCH_ROOT = root;
afterAll(() => rmSync(root, { recursive: true, force: true }));
