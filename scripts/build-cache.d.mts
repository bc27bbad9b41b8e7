export declare const sha256: (data: string | Buffer) => string;
/** The SHA-256 of each file, by its path relative to `root`. */
export declare function sourceHashes(root: string, paths: readonly string[]): Record<string, string>;
/** Whether every file (relative to `root`) still has the SHA-256 it had when it was bundled. */
export declare function sourcesUnchanged(root: string, sources: Readonly<Record<string, string>>): boolean;
/** What a build produced (JSON, kept with the build) and the files, relative to `root`, it read. */
export interface Built<Output> {
  readonly output: Output;
  readonly sources: readonly string[];
}
/** The output of `build` for `key`, reused while its sources are unchanged. */
export declare function cachedBuild<Output>(options: {
  readonly root: string;
  readonly name: string;
  readonly key: string;
  readonly build: (outdir: string) => Promise<Built<Output>>;
}): Promise<Output>;
