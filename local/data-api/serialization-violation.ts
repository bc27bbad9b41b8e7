import { isWord, significant, tokenize, type Token } from '../warehouse/sql-tokens';

/**
 * PostgreSQL's serialization_failure: at SERIALIZABLE, the transaction could not be ordered with
 * the ones that ran beside it. Redshift reports the same as its error 1023.
 */
export const isSerializationFailure = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '40001';

/**
 * Redshift's text for error 1023. Redshift names the table by its id (as `STV_TBL_PERM` and
 * `STL_TR_CONFLICT` do; locally, its `pg_class` oid) and the cycle by transaction ids; the local
 * stand-in lists, instead, the RedshiftPid of this statement and of every one that ran beside it.
 */
export function serializationViolation(
  tableId: number | undefined,
  pids: readonly number[],
  pid: number,
): string {
  return (
    `ERROR: 1023 DETAIL: Serializable isolation violation on table - ${tableId ?? 'unknown'}, ` +
    `transactions forming the cycle are: ${pids.join(', ')} (pid:${pid})`
  );
}

/**
 * The table a statement writes, as written (`schema.table`, quotes kept), or undefined if it writes
 * none: UPDATE, INSERT INTO, DELETE [FROM], MERGE INTO, COPY, TRUNCATE [TABLE].
 */
export function writtenTable(sql: string): string | undefined {
  const tokens = significant(tokenize(sql));
  let at = 1;
  if (isWord(tokens[0], 'UPDATE')) {
    if (isWord(tokens[at], 'ONLY')) at++;
  } else if (isWord(tokens[0], 'INSERT', 'MERGE')) {
    if (!isWord(tokens[at++], 'INTO')) return undefined;
  } else if (isWord(tokens[0], 'DELETE')) {
    if (isWord(tokens[at], 'FROM')) at++;
  } else if (isWord(tokens[0], 'TRUNCATE')) {
    if (isWord(tokens[at], 'TABLE')) at++;
  } else if (!isWord(tokens[0], 'COPY')) {
    return undefined;
  }
  return qualifiedName(tokens, at);
}

function qualifiedName(tokens: readonly Token[], at: number): string | undefined {
  const isName = (token: Token | undefined) => token?.kind === 'word' || token?.kind === 'identifier';
  if (!isName(tokens[at])) return undefined;
  let name = tokens[at]!.text;
  while (tokens[at + 1]?.text === '.' && isName(tokens[at + 2])) {
    name += `.${tokens[at + 2]!.text}`;
    at += 2;
  }
  return name;
}
