// @swc/jest strips types without type-checking (tsc --noEmit does that in `npm test`), which keeps
// the suite fast; .sql files load as text exactly as esbuild bundles them.
// The AWS SDK's notice that Node.js 20 will not run its 2027 releases would interleave with test
// output; this is its documented switch (aws/aws-sdk-js-v3#7983), inherited by the test workers.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
    '\\.sql$': '<rootDir>/test/support/sql-text-transform.cjs',
  },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json', 'sql'],
  testTimeout: 120000,
  setupFilesAfterEnv: ['<rootDir>/test/support/scratch-root.ts'],
};
