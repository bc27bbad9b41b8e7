import { isSymbol, isWord, type Token } from './sql-tokens';

/**
 * PostgreSQL constructs that Amazon Redshift refuses, so the local engine must refuse them too:
 * without this list, SQL that only PostgreSQL accepts would pass every local test and fail after
 * `cdk deploy`. Each rule looks at the significant tokens (no literals' insides, no comments, no
 * quoted identifiers) from one position and, on a match, names the construct.
 */
interface Refusal {
  /** What the error names; `{}` stands for the construct's own text. */
  readonly construct: string;
  /** The number of tokens the construct starts with at `i`, or 0 when it does not start there. */
  readonly at: (words: readonly Token[], i: number, context: StatementContext) => number;
}

interface StatementContext {
  /** CREATE TABLE or ALTER TABLE: a word after a column name is a type. */
  readonly definesColumns: boolean;
}

export class PostgresOnlyError extends Error {
  override readonly name = 'PostgresOnlyError';
}

const JSON_OPERATORS = ['->', '->>', '#>', '#>>', '@>', '<@', '?', '?|', '?&', '#-', '@?', '@@'];
const COMPARISONS = ['=', '<>', '!=', '<', '>', '<=', '>='];
const SERIAL_TYPES = ['SERIAL', 'SERIAL2', 'SERIAL4', 'SERIAL8', 'SMALLSERIAL', 'BIGSERIAL'];
// PostgreSQL's array and json builders; Redshift's own JSON functions (JSON_EXTRACT_PATH_TEXT,
// JSON_PARSE…) and SUPER array functions are spelled differently and pass.
const POSTGRES_FUNCTIONS = [
  'ARRAY_AGG',
  'UNNEST',
  'STRING_TO_ARRAY',
  'TO_JSON',
  'TO_JSONB',
  'ROW_TO_JSON',
  'JSON_AGG',
  'JSON_OBJECT_AGG',
  'JSON_BUILD_OBJECT',
  'JSON_BUILD_ARRAY',
];

const REFUSALS: readonly Refusal[] = [
  { construct: 'ON CONFLICT', at: (w, i) => (isWord(w[i], 'ON') && isWord(w[i + 1], 'CONFLICT') ? 2 : 0) },
  { construct: 'RETURNING', at: (w, i) => (isWord(w[i], 'RETURNING') ? 1 : 0) },
  { construct: 'DISTINCT ON', at: (w, i) => (isWord(w[i], 'DISTINCT') && isWord(w[i + 1], 'ON') ? 2 : 0) },
  {
    construct: 'CREATE INDEX',
    at: (w, i) =>
      isWord(w[i], 'CREATE') &&
      (isWord(w[i + 1], 'INDEX') || (isWord(w[i + 1], 'UNIQUE') && isWord(w[i + 2], 'INDEX')))
        ? 2
        : 0,
  },
  { construct: 'the JSON operator {}', at: (w, i) => (isSymbol(w[i], ...JSON_OPERATORS) ? 1 : 0) },
  {
    construct: 'the type {}',
    at: (w, i, c) => (isWord(w[i], 'JSON', 'JSONB') && isTypePosition(w, i, c) ? 1 : 0),
  },
  { construct: 'ARRAY[…]', at: (w, i) => (isWord(w[i], 'ARRAY') && isSymbol(w[i + 1], '[') ? 2 : 0) },
  { construct: 'an array type', at: (w, i) => (isSymbol(w[i], '[') && isSymbol(w[i + 1], ']') ? 2 : 0) },
  {
    construct: 'a comparison with ANY/SOME/ALL over an array',
    at: (w, i) =>
      isWord(w[i], 'ANY', 'SOME', 'ALL') &&
      isSymbol(w[i - 1], ...COMPARISONS) &&
      isSymbol(w[i + 1], '(') &&
      !isWord(w[i + 2], 'SELECT', 'WITH') &&
      !isSymbol(w[i + 2], '(')
        ? 2
        : 0,
  },
  {
    construct: 'the type {}',
    at: (w, i, c) => (isWord(w[i], ...SERIAL_TYPES) && isTypePosition(w, i, c) ? 1 : 0),
  },
  {
    construct: 'the function {}(…)',
    at: (w, i) =>
      (isWord(w[i], ...POSTGRES_FUNCTIONS) || /^JSONB_/i.test(w[i]?.kind === 'word' ? w[i]!.text : '')) &&
      isSymbol(w[i + 1], '(') &&
      !isSymbol(w[i - 1], '.')
        ? 1
        : 0,
  },
  {
    construct: 'the aggregate clause FILTER (WHERE …)',
    at: (w, i) => (isWord(w[i], 'FILTER') && isSymbol(w[i + 1], '(') && isWord(w[i + 2], 'WHERE') ? 3 : 0),
  },
];

/** `x::T`, `CAST(x AS T)`, or a column definition `name T` in CREATE/ALTER TABLE. */
function isTypePosition(words: readonly Token[], i: number, context: StatementContext): boolean {
  if (isSymbol(words[i - 1], ':') && isSymbol(words[i - 2], ':')) return true;
  if (isWord(words[i - 1], 'AS') && castOpenedBefore(words, i - 1)) return true;
  const previous = words[i - 1];
  const columnName = previous?.kind === 'word' || previous?.kind === 'identifier';
  return (
    context.definesColumns &&
    columnName &&
    (isSymbol(words[i - 2], '(', ',') || isWord(words[i - 2], 'COLUMN', 'ADD'))
  );
}

function castOpenedBefore(words: readonly Token[], index: number): boolean {
  let depth = 0;
  for (let i = index - 1; i >= 0; i--) {
    if (isSymbol(words[i], ')')) depth++;
    else if (isSymbol(words[i], '(') && depth-- === 0) return isWord(words[i - 1], 'CAST');
  }
  return false;
}

/** Throws PostgresOnlyError at the first construct Redshift would refuse. */
export function refusePostgresOnly(words: readonly Token[]): void {
  const context = {
    definesColumns: isWord(words[0], 'CREATE', 'ALTER') && words.some((word) => isWord(word, 'TABLE')),
  };
  for (let i = 0; i < words.length; i++) {
    for (const refusal of REFUSALS) {
      const length = refusal.at(words, i, context);
      if (length === 0) continue;
      const text = words
        .slice(i, i + length)
        .map((word) => word.text)
        .join(' ');
      const construct = refusal.construct.replace('{}', text);
      throw new PostgresOnlyError(
        `syntax error at or near "${words[i]!.text}": ${construct} is PostgreSQL that Amazon Redshift does not support`,
      );
    }
  }
}
