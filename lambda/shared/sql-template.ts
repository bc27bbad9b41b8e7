import { postgreSplitterOptions, splitQuery } from 'dbgate-query-splitter';

/**
 * SQL files name their parameters psql-style, `:'name'`, which stands for the value as a quoted
 * string literal. COPY's FROM, IAM_ROLE and REGION take literals only (the Data API's bound
 * parameters cannot reach them), so values are rendered into the text, escaped. Where the grammar
 * wants a number, not a literal (COPY's MAXERROR), `:name` stands for a whole number, in digits;
 * nothing but a number is ever spliced in bare.
 */
export type SqlParameters = Readonly<Record<string, string | number | readonly string[]>>;

/** A SQL file of the warehouse, by name and text (bundled as text by esbuild). */
export interface SqlFile {
  readonly name: string;
  readonly text: string;
}

// Comments, quoted literals and identifiers are consumed whole, so a parameter (or an apostrophe)
// inside one is left alone; a bare `:name` right after a word or a colon is not one (`x::text` is
// a cast).
const LITERAL_OR_PARAMETER =
  /--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"|:'([A-Za-z_][A-Za-z0-9_]*)'|(?<![\w:]):([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * A Redshift string literal: Redshift reads a backslash in a literal as an escape (QUOTE_LITERAL
 * doubles them), so backslashes are doubled along with quotes.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('SQL literal cannot contain a NUL character');
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * The longest prefix of `text` that is at most `maxBytes` bytes of UTF-8, cut between characters:
 * Redshift measures VARCHAR(n) in bytes, so a multibyte text cut by characters can still overflow.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back up to the first byte of a character: continuation bytes are 0b10xxxxxx.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

export function renderParameters(sql: string, parameters: SqlParameters, source: string): string {
  return sql.replace(LITERAL_OR_PARAMETER, (match, quoted: string | undefined, bare: string | undefined) => {
    if (quoted !== undefined) return quoteLiteral(stringValue(parameters, quoted, source));
    if (bare !== undefined) return String(numberValue(parameters, bare, source));
    return match;
  });
}

function stringValue(parameters: SqlParameters, name: string, source: string): string {
  const value = parameters[name];
  if (value === undefined) throw new Error(`${source}: no value for parameter :'${name}'`);
  if (Array.isArray(value)) throw new Error(`${source}: parameter :'${name}' has several values here`);
  if (typeof value !== 'string')
    throw new Error(`${source}: parameter :'${name}' is a number; write :${name}`);
  return value;
}

function numberValue(parameters: SqlParameters, name: string, source: string): number {
  const value = parameters[name];
  if (value === undefined) throw new Error(`${source}: no value for parameter :${name}`);
  if (!Number.isSafeInteger(value)) {
    throw new Error(`${source}: parameter :${name} stands for a whole number, got ${JSON.stringify(value)}`);
  }
  return value as number;
}

/**
 * A statement that names a parameter with several values is repeated once per value, in order:
 * one COPY per log prefix. A statement may use at most one such parameter.
 */
function expandStatement(statement: string, parameters: SqlParameters, source: string): string[] {
  const lists = [...statement.matchAll(LITERAL_OR_PARAMETER)]
    .map((match) => match[1])
    .filter((name): name is string => name !== undefined && Array.isArray(parameters[name]));
  const names = [...new Set(lists)];
  if (names.length > 1) throw new Error(`${source}: one statement repeats over :'${names.join("' and :'")}'`);
  const [name] = names;
  if (name === undefined) return [renderParameters(statement, parameters, source)];
  return (parameters[name] as readonly string[]).map((value) =>
    renderParameters(statement, { ...parameters, [name]: value }, source),
  );
}

/** Splits a file into statements with a SQL-aware splitter (strings, comments, dollar quotes). */
export function splitStatements(sql: string): string[] {
  return splitQuery(sql, { ...postgreSplitterOptions, ignoreComments: true })
    .map((statement) => (typeof statement === 'string' ? statement : statement.text).trim())
    .filter((statement) => statement.length > 0);
}

export function renderStatements(files: readonly SqlFile[], parameters: SqlParameters): string[] {
  return files.flatMap((sqlFile) =>
    splitStatements(sqlFile.text).flatMap((statement) =>
      expandStatement(statement, parameters, sqlFile.name),
    ),
  );
}
