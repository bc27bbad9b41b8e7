// Jest gives every test file a fresh module registry, so each file that synthesizes the app would
// build its own CloudFormation validation engine (the WebAssembly validator CDK runs at synth,
// seconds of CPU each time, most of a CDK or IAM test file's run). This environment builds each
// engine once per worker process and hands the same one to every file that asks for the same
// rules, as CDK itself reuses one engine for every synth in a process. Validation is a pure
// function of the rules, the template and the options, and most files synthesize the same few
// templates, so each answer is kept too; CDK reads no template path from the answer.
const { createHash } = require('node:crypto');
const { TestEnvironment } = require('jest-environment-node');

const SHARED_VALIDATE = Symbol.for('sparkify.test.cloudformation-validate');

let shared;

function sharedCloudFormationValidate() {
  if (shared) return shared;
  const validate = require(
    require.resolve('@aws/cloudformation-validate', { paths: [require.resolve('aws-cdk-lib')] }),
  );
  const engines = new Map();
  // CDK calls it with `new`; an object returned from a constructor is what `new` gives. The
  // validator accepts only objects of its own realm, so a test file's arguments are cloned into it.
  function CompositeEngine(config) {
    const rules = JSON.stringify(config);
    if (!engines.has(rules)) {
      engines.set(rules, {
        engine: new validate.CompositeEngine(globalThis.structuredClone(config)),
        reports: new Map(),
      });
    }
    const { engine, reports } = engines.get(rules);
    return {
      validateTemplate: (template, options) => {
        const key = createHash('sha256')
          .update(template.readBytes())
          .update(JSON.stringify(options))
          .digest('hex');
        if (!reports.has(key)) {
          reports.set(key, engine.validateTemplate(template, globalThis.structuredClone(options)));
        }
        return globalThis.structuredClone(reports.get(key));
      },
      // CDK frees its engine when a later synth needs other rules; this one is kept for other files.
      free: () => undefined,
    };
  }
  shared = { ...validate, CompositeEngine };
  return shared;
}

class SparkifyTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    Object.defineProperty(this.global, SHARED_VALIDATE, { get: sharedCloudFormationValidate });
  }
}

module.exports = SparkifyTestEnvironment;
