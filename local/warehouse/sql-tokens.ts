/**
 * A lexer just deep enough for the dialect bridge: it tells words, literals, quoted identifiers,
 * comments and punctuation apart, so rewriting a keyword never touches the inside of a string.
 * Joining every token's text gives back the original statement exactly.
 */
export type TokenKind = 'word' | 'string' | 'identifier' | 'number' | 'space' | 'comment' | 'symbol';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

const TOKEN =
  /(\s+)|(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*')|("(?:[^"]|"")*")|([A-Za-z_][A-Za-z0-9_$]*)|(\d+(?:\.\d+)?)|([\s\S])/g;

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  for (const match of sql.matchAll(TOKEN)) {
    const [text, space, comment, string, identifier, word, number] = match;
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

/** The tokens that carry meaning: no white space, no comments. */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter((token) => token.kind !== 'space' && token.kind !== 'comment');
}

export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.includes(token.text.toUpperCase());
}

/** The value of a '…' literal. */
export function unquote(token: Token): string {
  return token.text.slice(1, -1).replaceAll("''", "'");
}
