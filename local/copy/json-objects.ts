import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** One top-level JSON value of a file and the line it starts on (1-based), for error messages. */
export interface JsonRecord {
  readonly line: number;
  readonly value: unknown;
  /** That line's text, as the load-error views show it. */
  readonly rawLine: string;
}

export class MalformedJsonError extends Error {
  override readonly name = 'MalformedJsonError';
  constructor(
    readonly line: number,
    readonly reason: string,
    /** The text of that line, as the load-error views show it. */
    readonly rawLine: string,
  ) {
    super(`line ${line}: malformed JSON: ${reason}`);
  }
}

/** The size of each read: a chunk's records are handed on together, never a whole file at once. */
const READ_BYTES = 1024 * 1024;

// Shared by every read: each chunk is decoded into a string before the generator yields it.
const readBuffer = Buffer.allocUnsafe(READ_BYTES);

/**
 * A file's text, a chunk at a time. Reads are synchronous: one open, read and close for a small
 * file (a song is one), where a stream would cost several turns of the event loop per file.
 */
function* readText(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    for (let bytes; (bytes = readSync(fd, readBuffer, 0, READ_BYTES, null)) > 0;) {
      yield decoder.write(readBuffer.subarray(0, bytes));
    }
    yield decoder.end();
  } finally {
    closeSync(fd);
  }
}

/**
 * The objects of a COPY JSON source file: a stream of JSON objects separated by white space, each
 * of which may span lines, read a chunk at a time and handed on in batches. Newline-delimited
 * files (all of Sparkify's) take the fast path, one JSON.parse per line; from the first line that
 * is not a whole object, the rest of the file is scanned brace by brace.
 */
export function* readJsonObjects(path: string): Generator<JsonRecord[]> {
  let linesBefore = 0;
  let partial = '';
  // Once a line is not a whole object: the text from that line on, and the line's number.
  let rest: string[] | undefined;
  let restLine = 0;
  for (const chunk of readText(path)) {
    if (rest) {
      rest.push(chunk);
      continue;
    }
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    const records: JsonRecord[] = [];
    for (let index = 0; index < lines.length; index++) {
      const rawLine = lines[index]!;
      const value = parseLine(rawLine);
      if (value === NOT_ONE_LINE) {
        restLine = linesBefore + index + 1;
        rest = [lines.slice(index).join('\n'), '\n', partial];
        break;
      }
      if (value !== BLANK) records.push({ line: linesBefore + index + 1, value, rawLine });
    }
    linesBefore += lines.length;
    if (records.length > 0) yield records;
  }
  if (!rest) {
    const value = parseLine(partial);
    if (value === BLANK) return;
    if (value !== NOT_ONE_LINE) {
      yield [{ line: linesBefore + 1, value, rawLine: partial }];
      return;
    }
    rest = [partial];
    restLine = linesBefore + 1;
  }
  yield scanJsonObjects(rest.join(''), restLine);
}

const BLANK = Symbol('blank line');
const NOT_ONE_LINE = Symbol('not a whole object on one line');

function parseLine(rawLine: string): unknown {
  const line = rawLine.trim();
  if (line === '') return BLANK;
  if (!line.startsWith('{') || !line.endsWith('}')) return NOT_ONE_LINE;
  try {
    return JSON.parse(line);
  } catch {
    return NOT_ONE_LINE;
  }
}

/** The objects of `text`, whose first line is line `firstLine` of its file. */
function scanJsonObjects(text: string, firstLine: number): JsonRecord[] {
  const lines = text.split('\n');
  const lineText = (at: number) => lines[at - firstLine] ?? '';
  const malformed = (at: number, reason: string) => new MalformedJsonError(at, reason, lineText(at));
  const records: JsonRecord[] = [];
  let line = firstLine;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = 0;
  let startLine = firstLine;
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
      if (depth === 0) throw malformed(line, 'a string outside any object');
      inString = true;
    } else if (char === '{' || char === '[') {
      if (depth === 0) {
        if (char === '[') throw malformed(line, 'a top-level array (COPY expects objects)');
        start = i;
        startLine = line;
      }
      depth++;
    } else if (char === '}' || char === ']') {
      if (depth === 0) throw malformed(line, `unexpected '${char}'`);
      depth--;
      if (depth === 0) {
        let value: unknown;
        try {
          value = JSON.parse(text.slice(start, i + 1));
        } catch (error) {
          throw malformed(startLine, (error as Error).message);
        }
        records.push({ line: startLine, value, rawLine: lineText(startLine) });
      }
    } else if (depth === 0 && !/\s/.test(char)) {
      throw malformed(line, `unexpected '${char}' outside any object`);
    }
  }
  if (depth > 0) throw malformed(startLine, 'the object is not closed before the end of the file');
  return records;
}
