import { tokenize, type Token } from '../warehouse/sql-tokens';
import type { ParameterisedStatement } from '../warehouse/local-warehouse';
import { ValidationException } from './errors';

export interface SqlParameter {
  readonly name: string;
  readonly value: string;
}

/**
 * Binds the Data API's named parameters to each statement (a batch's statements share one list):
 * every `:name` outside literals, quoted identifiers and comments becomes a positional `$n`, one per
 * distinct name in that statement, and its value goes to the engine as text so that PostgreSQL
 * infers its type from where it is used. Values never enter the SQL text, so they cannot change its
 * meaning. `::type` casts are not placeholders. Like the Data API, a placeholder without a value and
 * a parameter no statement uses are errors.
 */
export function bindParameters(
  sqls: readonly string[],
  parameters: readonly SqlParameter[],
): ParameterisedStatement[] {
  const values = new Map<string, string>();
  for (const { name, value } of parameters) {
    if (values.has(name)) throw new ValidationException(`Parameter :${name} is given more than once.`);
    values.set(name, value);
  }
  const used = new Set<string>();
  const bound = sqls.map((sql) => {
    const { text, names } = toPositional(sql);
    const missing = names.filter((name) => !values.has(name));
    if (missing.length > 0) {
      throw new ValidationException(`No value given for parameter(s) ${list(missing)} used in the SQL.`);
    }
    for (const name of names) used.add(name);
    return { sql: text, params: names.map((name) => values.get(name)) };
  });
  const unused = [...values.keys()].filter((name) => !used.has(name));
  if (unused.length > 0)
    throw new ValidationException(`Parameter(s) ${list(unused)} are not used in the SQL.`);
  return bound;
}

/** The SQL with `$n` for each placeholder, and the names in `$n` order. */
function toPositional(sql: string): { text: string; names: string[] } {
  const tokens = tokenizeOrReject(sql);
  const names: string[] = [];
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const name = placeholderAt(tokens, i);
    if (name === undefined) {
      out.push(tokens[i]!.text);
      continue;
    }
    if (!names.includes(name)) names.push(name);
    out.push(`$${names.indexOf(name) + 1}`);
    i++;
  }
  return { text: out.join(''), names };
}

/** The name of a `:name` placeholder starting at token i, unless that `:` belongs to a `::` cast. */
function placeholderAt(tokens: readonly Token[], i: number): string | undefined {
  const next = tokens[i + 1];
  if (tokens[i]!.text !== ':' || next?.kind !== 'word' || tokens[i - 1]?.text === ':') return undefined;
  return next.text;
}

function tokenizeOrReject(sql: string): Token[] {
  try {
    return tokenize(sql);
  } catch (error) {
    throw new ValidationException(`The SQL cannot be parsed for parameters: ${(error as Error).message}`);
  }
}

const list = (names: Iterable<string>) => [...names].map((name) => `:${name}`).join(', ');
