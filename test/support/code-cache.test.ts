import { compileFunction } from 'node:vm';
import { compileFunctionWithCodeCache } from './jest/code-cache.cjs';

// The jest environment hands a module's code cache to every later compile of it (./jest/code-cache.cjs).
// V8 takes a cache for any source of the same length: one compiled from other text must never be used.

/** A module whose function V8 compiles eagerly, so that its code is in the cache. */
const moduleSource = (value: number) => `module.exports = (function () { return ${value}; })();`;

function run(compile: typeof compileFunction, source: string) {
  const fn = compile(source, ['module'], { filename: '/virtual/module.js' });
  const module: { exports?: unknown } = {};
  fn(module);
  return { exports: module.exports, usedCache: fn.cachedDataRejected === false };
}

test('GIVEN a module compiled once WHEN it is compiled again THEN the cache of the first compile is used, with the same result', () => {
  const compile = compileFunctionWithCodeCache(compileFunction);
  expect(run(compile, moduleSource(1))).toEqual({ exports: 1, usedCache: false });
  expect(run(compile, moduleSource(1))).toEqual({ exports: 1, usedCache: true });
});

test('GIVEN a module compiled once WHEN its file changes to other text of the same length THEN the new text runs', () => {
  const compile = compileFunctionWithCodeCache(compileFunction);
  run(compile, moduleSource(1));
  expect(moduleSource(2)).toHaveLength(moduleSource(1).length);
  expect(run(compile, moduleSource(2))).toEqual({ exports: 2, usedCache: false });
});
