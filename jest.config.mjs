import { isRoomyWritableDirectory } from './scripts/roomy-directory.mjs';

// @swc/jest strips types without type-checking (tsc --noEmit does that in `npm test`), which keeps
// the suite fast; .sql files load as text exactly as esbuild bundles them.
// The AWS SDK's notice that Node.js 20 will not run its 2027 releases would interleave with test
// output; this is its documented switch (aws/aws-sdk-js-v3#7983), inherited by the test workers.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The tests create tens of thousands of files and remove them again: a PGlite database unpacked per
// engine (about a thousand files), test buckets, generated data sets, CDK and Lambda bundles. On this
// VM's disk each file creation is a slow system call (a PGlite open costs twice the CPU on /tmp that
// it costs on tmpfs), so temporary files go to shared memory where the machine has it, as CI's
// PostgreSQL runs with fsync off. Workers and the scripts they spawn inherit it; a TMPDIR set by
// hand wins. Jest's own cache directory was resolved before this file ran and stays where it is.
// A container's /dev/shm is often 64 MB, too small for the suite's peaks (PGlite databases of
// several workers at once): it is used only with a gigabyte free.
const SHARED_MEMORY = '/dev/shm';
const SHARED_MEMORY_MIN_FREE_BYTES = 1024 ** 3;
if (!process.env.TMPDIR && isRoomyWritableDirectory(SHARED_MEMORY, SHARED_MEMORY_MIN_FREE_BYTES)) {
  process.env.TMPDIR = SHARED_MEMORY;
}

export default {
  testEnvironment: '<rootDir>/test/support/jest/environment.cjs',
  moduleNameMapper: {
    '^@aws/cloudformation-validate$': '<rootDir>/test/support/jest/cloudformation-validate.cjs',
  },
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
    '\\.sql$': '<rootDir>/test/support/sql-text-transform.cjs',
  },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json', 'sql'],
  // A guard against a hung test, not a speed check (the benchmark measures speed): with a worker per
  // core on a busy 2-core machine, replaying the real month day by day can take minutes.
  testTimeout: 300000,
  // Jest's default, one worker fewer than the cores, runs every file in band on a 2-core machine;
  // most files spend much of their time waiting on a database server or on Lambda sandboxes (worker
  // threads), so one worker per core keeps both cores busy.
  maxWorkers: '100%',
  testSequencer: '<rootDir>/test/support/jest/sequencer.cjs',
  setupFilesAfterEnv: ['<rootDir>/test/support/scratch-root.ts'],
};
