// Jest compiles every module afresh for each test file, with vm.compileFunction, which unlike
// vm.Script gets no help from V8's compilation cache (nodejs/node#35375): a worker parsed the same
// aws-cdk-lib and AWS SDK sources once per file, about half a second of CPU for a file that starts a
// pipeline. This keeps the V8 code cache of each module's first compile in the worker and hands it to
// every later compile of the same source, which V8 then deserializes instead of parsing; the
// module still runs afresh in each file's own context, as jest means it to.
const vm = require('node:vm');

/** A vm.compileFunction that keeps, by file name, the source last compiled and its code cache. */
function compileFunctionWithCodeCache(compileFunction) {
  const compiled = new Map();
  return function compileFunctionCached(code, params, options = {}) {
    const known = compiled.get(options.filename);
    // V8 checks a cache against the source's length only, so the text itself is compared.
    const cachedData = known?.code === code ? known.data : undefined;
    const fn = compileFunction.call(
      vm,
      code,
      params,
      cachedData ? { ...options, cachedData } : { ...options, produceCachedData: true },
    );
    if (!cachedData && fn.cachedDataProduced && options.filename !== undefined) {
      compiled.set(options.filename, { code, data: fn.cachedData });
    }
    return fn;
  };
}

let installed = false;

/** Makes this process's vm.compileFunction reuse code caches; once per process. */
function cacheCompiledCode() {
  if (installed) return;
  installed = true;
  vm.compileFunction = compileFunctionWithCodeCache(vm.compileFunction);
}

module.exports = { cacheCompiledCode, compileFunctionWithCodeCache };
