// CDK validates each synthesized template with @aws/cloudformation-validate, a WebAssembly engine
// that takes seconds of CPU to build before it answers: most of the start of every `npm run local`
// and `cdk synth`. Its report is a pure function of the rules, the template and the options, so
// each report is kept on disk by their hash, and the engine is built only for a template it has not
// seen. Any change to the template, the rules or the validator is a new key, validated afresh.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { join } from 'node:path';
import { sha256 } from './build-cache.mjs';

/**
 * Makes every CDK synth in this process answer a template seen before from the disk cache. The
 * validator itself loads only when CDK first asks for it: a command that never synthesizes (a
 * --help, a refused option) does not pay for it.
 */
export function cacheCloudFormationValidation(root) {
  const requireFromProject = createRequire(join(root, 'package.json'));
  // The copy aws-cdk-lib itself requires, which may not be hoisted to the project's node_modules.
  const validatePath = createRequire(requireFromProject.resolve('aws-cdk-lib')).resolve(
    '@aws/cloudformation-validate',
  );
  const stand = new Module(validatePath);
  let validate;
  const loaded = () => {
    if (validate === undefined) {
      delete requireFromProject.cache[validatePath];
      validate = requireFromProject(validatePath);
      requireFromProject.cache[validatePath] = stand;
    }
    return validate;
  };
  const CompositeEngine = cachingEngine(
    loaded,
    join(root, 'node_modules', '.cache', 'sparkify-cloudformation-validation'),
  );
  stand.exports = new Proxy(
    {},
    { get: (_, name) => (name === 'CompositeEngine' ? CompositeEngine : loaded()[name]) },
  );
  stand.filename = validatePath;
  stand.loaded = true;
  requireFromProject.cache[validatePath] = stand;
}

/** An engine that answers from `cache` and builds the validator's own only for a template it lacks. */
export function cachingEngine(validator, cache) {
  // CDK calls it with `new`; an object returned from a constructor is what `new` gives.
  return function CachingCompositeEngine(config) {
    let engine;
    return {
      validateTemplate(template, options) {
        const validate = validator();
        const key = sha256(
          JSON.stringify([validate.version(), config, options]) + sha256(template.readBytes()),
        );
        const file = join(cache, `${key}.json`);
        try {
          return JSON.parse(readFileSync(file, 'utf8'));
        } catch {
          engine ??= new validate.CompositeEngine(config);
          const report = engine.validateTemplate(template, options);
          mkdirSync(cache, { recursive: true });
          writeFileSync(`${file}.${process.pid}`, JSON.stringify(report));
          renameSync(`${file}.${process.pid}`, file);
          return report;
        }
      },
      free: () => engine?.free(),
    };
  };
}
