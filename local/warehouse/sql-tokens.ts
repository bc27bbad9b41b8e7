/**
 * A lexer just deep enough for the dialect bridge: it tells words, literals, quoted identifiers,
 * comments, operators and punctuation apart, so rewriting a keyword never touches the inside of a
 * string. Joining every token's text gives back the original statement exactly.
 */
export type TokenKind = 'word' | 'string' | 'identifier' | 'number' | 'space' | 'comment' | 'symbol';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

// Operator characters run together into one token, as PostgreSQL's lexer reads them (`->>` is one
// operator, not three), but never across the start of a comment.
// A dollar-quoted body (`$$ … $$`, `$tag$ … $tag$`, a procedure's) is one string token.
const TOKEN =
  /(\s+)|(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*'|\$([A-Za-z_]\w*)?\$[\s\S]*?\$\4\$)|("(?:[^"]|"")*")|([A-Za-z_][A-Za-z0-9_$]*)|(\d+(?:\.\d+)?)|((?:(?!--|\/\*)[+\-*/<>=~!@#%^&|`?])+)|([\s\S])/g;

/** PostgreSQL ends a multi-character operator in + or - only if it holds one of these. */
const OPERATOR_MAY_END_IN_SIGN = /[~!@#%^&|`?]/;

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  for (const match of sql.matchAll(TOKEN)) {
    const [text, space, comment, string, , identifier, word, number, operator] = match;
    if (operator) {
      tokens.push(...operatorTokens(operator));
      continue;
    }
    const kind: TokenKind = space
      ? 'space'
      : comment
        ? 'comment'
        : string
          ? 'string'
          : identifier
            ? 'identifier'
            : word
              ? 'word'
              : number
                ? 'number'
                : 'symbol';
    if (kind === 'symbol' && text === "'") throw new Error('unterminated string literal in SQL statement');
    tokens.push({ kind, text });
  }
  return tokens;
}

/** `=-1` is `=` then `-1`: a trailing sign splits off unless the operator may end in one. */
function operatorTokens(run: string): Token[] {
  let operator = run;
  const signs: Token[] = [];
  while (operator.length > 1 && /[+-]$/.test(operator) && !OPERATOR_MAY_END_IN_SIGN.test(operator)) {
    signs.unshift({ kind: 'symbol', text: operator.slice(-1) });
    operator = operator.slice(0, -1);
  }
  return [{ kind: 'symbol', text: operator }, ...signs];
}

/** The tokens that carry meaning: no white space, no comments. */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter((token) => token.kind !== 'space' && token.kind !== 'comment');
}

export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.includes(token.text.toUpperCase());
}

export function isSymbol(token: Token | undefined, ...symbols: string[]): boolean {
  return token?.kind === 'symbol' && symbols.includes(token.text);
}

/** The value of a '…' literal. */
export function unquote(token: Token): string {
  return token.text.slice(1, -1).replaceAll("''", "'");
}

/** The index of the `)` closing the `(` at `open` (or tokens.length if it is never closed). */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isSymbol(tokens[i], '(')) depth++;
    else if (isSymbol(tokens[i], ')') && --depth === 0) return i;
  }
  return tokens.length;
}
