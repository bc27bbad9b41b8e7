/** One step of a JSONPath expression: an object key or an array index. */
export type PathSegment = string | number;

// Redshift JSONPaths are simple paths: `$['key']`, `$["key"]`, `$.key`, `[n]`; no wildcards or filters.
const SEGMENT =
  /^(?:\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\.([A-Za-z_$][\w$]*)|\[\s*(\d+)\s*\])/;

export function parseJsonPath(path: string): PathSegment[] {
  if (!path.startsWith('$')) throw new Error(`JSONPath ${JSON.stringify(path)} must start with $`);
  const segments: PathSegment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match)
      throw new Error(`JSONPath ${JSON.stringify(path)} is not a simple path at ${JSON.stringify(rest)}`);
    const [whole, single, double, dotted, index] = match;
    segments.push(index !== undefined ? Number(index) : (single ?? double ?? dotted)!);
    rest = rest.slice(whole.length);
  }
  if (segments.length === 0) throw new Error(`JSONPath ${JSON.stringify(path)} selects nothing`);
  return segments;
}

/** The value a path selects; undefined when any step is missing, as COPY then loads NULL. */
export function selectPath(value: unknown, segments: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** Reads a JSONPaths file: `{"jsonpaths": ["$['a']", …]}`. */
export function parseJsonPathsFile(text: string, uri: string): { path: string; segments: PathSegment[] }[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`JSONPaths file ${uri} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const paths = (document as { jsonpaths?: unknown } | null)?.jsonpaths;
  if (!Array.isArray(paths) || paths.some((path) => typeof path !== 'string')) {
    throw new Error(`JSONPaths file ${uri} must be an object whose "jsonpaths" is an array of strings`);
  }
  return paths.map((path: string) => {
    try {
      return { path, segments: parseJsonPath(path) };
    } catch (error) {
      throw new Error(`JSONPaths file ${uri}: ${(error as Error).message}`, { cause: error });
    }
  });
}
