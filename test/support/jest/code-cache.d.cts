import type { compileFunction } from 'node:vm';

/** Makes this process's vm.compileFunction reuse code caches; once per process. */
export declare function cacheCompiledCode(): void;
/** A vm.compileFunction that keeps, by file name, the source last compiled and its code cache. */
export declare function compileFunctionWithCodeCache(compile: typeof compileFunction): typeof compileFunction;
