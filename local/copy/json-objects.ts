/** One top-level JSON value of a file and the line it starts on (1-based), for error messages. */
export interface JsonRecord {
  readonly line: number;
  readonly value: unknown;
}

export class MalformedJsonError extends Error {
  override readonly name = 'MalformedJsonError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: malformed JSON: ${reason}`);
  }
}

/**
 * The objects of a COPY JSON source: a stream of JSON objects separated by white space, each of
 * which may span lines. Newline-delimited files (all of Sparkify's) take the fast path, one
 * JSON.parse per line; anything else is scanned brace by brace.
 */
export function parseJsonObjects(text: string): JsonRecord[] {
  const lines = text.split('\n');
  const records: JsonRecord[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    if (!line.startsWith('{') || !line.endsWith('}')) return scanJsonObjects(text);
    try {
      records.push({ line: index + 1, value: JSON.parse(line) });
    } catch {
      return scanJsonObjects(text);
    }
  }
  return records;
}

function scanJsonObjects(text: string): JsonRecord[] {
  const records: JsonRecord[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = 0;
  let startLine = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\n') line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      if (depth === 0) throw new MalformedJsonError(line, 'a string outside any object');
      inString = true;
    } else if (char === '{' || char === '[') {
      if (depth === 0) {
        if (char === '[') throw new MalformedJsonError(line, 'a top-level array (COPY expects objects)');
        start = i;
        startLine = line;
      }
      depth++;
    } else if (char === '}' || char === ']') {
      if (depth === 0) throw new MalformedJsonError(line, `unexpected '${char}'`);
      depth--;
      if (depth === 0) records.push({ line: startLine, value: parseAt(text.slice(start, i + 1), startLine) });
    } else if (depth === 0 && !/\s/.test(char)) {
      throw new MalformedJsonError(line, `unexpected '${char}' outside any object`);
    }
  }
  if (depth > 0)
    throw new MalformedJsonError(startLine, 'the object is not closed before the end of the file');
  return records;
}

function parseAt(source: string, line: number): unknown {
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new MalformedJsonError(line, (error as Error).message);
  }
}
