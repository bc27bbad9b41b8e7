import { postgreSplitterOptions, splitQuery } from 'dbgate-query-splitter';
import type { SqlFile } from './sql-steps';

/**
 * SQL files name their parameters psql-style, `:'name'`, which stands for the value as a quoted
 * string literal. COPY's FROM, IAM_ROLE and REGION take literals only (the Data API's bound
 * parameters cannot reach them), so values are rendered into the text, escaped.
 */
export type SqlParameters = Readonly<Record<string, string>>;

// A quoted literal is consumed whole, so a `:'…'` inside one is left alone.
const LITERAL_OR_PARAMETER = /'(?:[^']|'')*'|:'([A-Za-z_][A-Za-z0-9_]*)'/g;

export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('SQL literal cannot contain a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}

export function renderParameters(sql: string, parameters: SqlParameters, source: string): string {
  return sql.replace(LITERAL_OR_PARAMETER, (match, name: string | undefined) => {
    if (name === undefined) return match;
    const value = parameters[name];
    if (value === undefined) throw new Error(`${source}: no value for parameter :'${name}'`);
    return quoteLiteral(value);
  });
}

/** Splits a file into statements with a SQL-aware splitter (strings, comments, dollar quotes). */
export function splitStatements(sql: string): string[] {
  return splitQuery(sql, { ...postgreSplitterOptions, ignoreComments: true })
    .map((statement) => (typeof statement === 'string' ? statement : statement.text).trim())
    .filter((statement) => statement.length > 0);
}

export function renderStatements(files: readonly SqlFile[], parameters: SqlParameters): string[] {
  return files.flatMap((sqlFile) =>
    splitStatements(sqlFile.text).map((statement) => renderParameters(statement, parameters, sqlFile.name)),
  );
}
