// Jest gives every test file a fresh module registry, so each file that synthesizes the app would
// build its own CloudFormation validation engine (the WebAssembly validator CDK runs at synth,
// seconds of CPU each time, most of a CDK or IAM test file's run). This environment builds each
// engine once per worker process and hands the same one to every file that asks for the same
// rules, as CDK itself reuses one engine for every synth in a process. Validation is a pure
// function of the rules, the template and the options, so each report is kept on disk, in the
// cache that `npm run local` and the scripts the tests spawn use too
// (scripts/cloudformation-validation-cache.mjs): a template one worker or script validated is not
// validated again, and a worker whose templates are all known builds no engine at all. CDK reads
// no template path from a report.
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { TestEnvironment } = require('jest-environment-node');
const { cacheCompiledCode } = require('./code-cache.cjs');

// Every test file in this worker compiles the same modules again (see code-cache.cjs).
cacheCompiledCode();

const SHARED_VALIDATE = Symbol.for('sparkify.test.cloudformation-validate');

let caching;
let shared;

function sharedCloudFormationValidate(rootDir) {
  if (shared) return shared;
  const validate = require(
    require.resolve('@aws/cloudformation-validate', { paths: [require.resolve('aws-cdk-lib')] }),
  );
  const engines = new Map();
  // The validator accepts only objects of its own realm, so a test file's arguments are cloned into it.
  function WorkerEngine(config) {
    const rules = JSON.stringify(config);
    if (!engines.has(rules))
      engines.set(rules, new validate.CompositeEngine(globalThis.structuredClone(config)));
    const engine = engines.get(rules);
    return {
      validateTemplate: (template, options) =>
        engine.validateTemplate(template, globalThis.structuredClone(options)),
      // CDK frees its engine when a later synth needs other rules; this one is kept for other files.
      free: () => undefined,
    };
  }
  const CompositeEngine = caching.cachingEngine(
    () => ({ version: validate.version, CompositeEngine: WorkerEngine }),
    join(rootDir, 'node_modules', '.cache', 'sparkify-cloudformation-validation'),
  );
  shared = { ...validate, CompositeEngine };
  return shared;
}

class SparkifyTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.rootDir = config.projectConfig.rootDir;
    Object.defineProperty(this.global, SHARED_VALIDATE, {
      get: () => sharedCloudFormationValidate(this.rootDir),
    });
  }

  async setup() {
    await super.setup();
    // An ES module, so imported here, before the test file's synchronous requires can ask for it.
    caching ??= await import(
      pathToFileURL(join(this.rootDir, 'scripts', 'cloudformation-validation-cache.mjs')).href
    );
  }
}

module.exports = SparkifyTestEnvironment;
