// The CDK Apps a test file builds synthesize under one directory, removed when the file is done
// (see scratchOutdir in lib/app.ts): jest's sandboxed process never emits the 'exit' it would wait for.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = mkdtempSync(join(tmpdir(), 'sparkify-cdk-'));
process.env.SPARKIFY_SYNTH_ROOT = root;
afterAll(() => rmSync(root, { recursive: true, force: true }));
