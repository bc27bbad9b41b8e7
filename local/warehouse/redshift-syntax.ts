import { closingParen, isSymbol, isWord, type Token } from './sql-tokens';

/**
 * Redshift syntax with no PostgreSQL spelling, rewritten token by token (never inside a literal,
 * a comment or a quoted identifier). Redshift's functions with ordinary call syntax (GETDATE,
 * DATEDIFF, MEDIAN, SUM and AVG over integers…) are not rewritten: the local catalog defines them
 * (redshift-catalog.sql). What is rewritten here is what a function cannot express:
 *  - `SELECT TOP n …` → `SELECT … LIMIT n`;
 *  - `APPROXIMATE COUNT(DISTINCT …)` → the exact count, which is within any approximation's bounds;
 *  - `LISTAGG(x[, delimiter]) [WITHIN GROUP (ORDER BY …)]` → the catalog's listagg(text, text) with
 *    the ORDER BY inside the call, which is where PostgreSQL takes it;
 *  - a bare date part (`DATEDIFF(day, …)`) → the same part as a string;
 *  - `SYSDATE`, a function without parentheses → the transaction's start time in UTC;
 *  - `NVL(…)` → COALESCE; `NVL2(e, a, b)` and `DECODE(e, search, result, …, default)` → CASE,
 *    so their result types follow their arguments as Redshift's do.
 */
export class RedshiftSyntaxError extends Error {
  override readonly name = 'RedshiftSyntaxError';
}

const DATE_PART_FUNCTIONS = ['DATEDIFF', 'DATEADD', 'DATE_PART'];
const SET_OPERATIONS = ['UNION', 'INTERSECT', 'EXCEPT', 'MINUS'];

export function rewriteRedshiftSyntax(tokens: readonly Token[]): string {
  return new Rewriter(tokens).range(0, tokens.length);
}

class Rewriter {
  /** Text to emit right before a token index: a TOP's LIMIT at the end of its query. */
  private readonly insertions = new Map<number, string>();

  constructor(private readonly tokens: readonly Token[]) {}

  range(from: number, to: number): string {
    const out: string[] = [];
    for (let i = from; i < to; i++) {
      const insertion = this.insertions.get(i);
      if (insertion !== undefined) out.push(insertion);
      const rewritten = this.at(i);
      if (rewritten) {
        out.push(rewritten.text);
        i = rewritten.last;
      } else {
        out.push(this.tokens[i]!.text);
      }
    }
    if (to === this.tokens.length) out.push(this.insertions.get(to) ?? '');
    return out.join('');
  }

  /** The rewrite of the construct starting at `i`, and the index of its last token. */
  private at(i: number): { text: string; last: number } | undefined {
    const token = this.tokens[i]!;
    if (token.kind !== 'word' || isSymbol(this.tokens[this.previous(i)], '.')) return undefined;
    const name = token.text.toUpperCase();
    const open = this.next(i);
    const call = isSymbol(this.tokens[open], '(');
    if (name === 'TOP' && this.tokens[open]?.kind === 'number') return this.top(open);
    if (name === 'APPROXIMATE' && isWord(this.tokens[open], 'COUNT', 'PERCENTILE_DISC')) {
      return { text: '', last: this.next(i) - 1 };
    }
    if (name === 'SYSDATE' && !call) return { text: "(transaction_timestamp() AT TIME ZONE 'UTC')", last: i };
    if (!call) return undefined;
    const close = closingParen(this.tokens, open);
    if (close === this.tokens.length) return undefined;
    switch (name) {
      case 'NVL':
        return { text: `COALESCE(${this.range(open + 1, close)})`, last: close };
      case 'NVL2':
        return { text: this.nvl2(this.arguments(open, close)), last: close };
      case 'DECODE':
        return this.decode(open, close);
      case 'LISTAGG':
        return this.listagg(open, close);
    }
    if (DATE_PART_FUNCTIONS.includes(name)) return this.bareDatePart(i, open, close);
    return undefined;
  }

  private top(count: number): { text: string; last: number } {
    const end = this.queryEnd(count);
    this.insertions.set(end, `\nLIMIT ${this.tokens[count]!.text}`);
    return { text: '', last: this.next(count) - 1 };
  }

  /** Where the query a TOP belongs to ends: its closing parenthesis, a `;`, or the statement's end. */
  private queryEnd(from: number): number {
    let depth = 0;
    for (let i = from; i < this.tokens.length; i++) {
      const token = this.tokens[i];
      if (isSymbol(token, '(')) depth++;
      else if (isSymbol(token, ')') && depth-- === 0) return i;
      else if (depth === 0 && isSymbol(token, ';')) return i;
      else if (depth === 0 && isWord(token, ...SET_OPERATIONS)) {
        throw new RedshiftSyntaxError(
          `TOP in a query combined with ${token!.text.toUpperCase()} is not bridged locally; put the query in parentheses`,
        );
      }
    }
    return this.tokens.length;
  }

  private nvl2(args: readonly string[]): string {
    if (args.length !== 3)
      throw new RedshiftSyntaxError(`function nvl2 takes 3 arguments, got ${args.length}`);
    const [value, ifNotNull, ifNull] = args;
    return `(CASE WHEN (${value}) IS NOT NULL THEN (${ifNotNull}) ELSE (${ifNull}) END)`;
  }

  private decode(open: number, close: number): { text: string; last: number } | undefined {
    const args = this.arguments(open, close);
    // PostgreSQL's own decode(text, format) has two arguments; Redshift's DECODE needs three or more.
    if (args.length < 3) return undefined;
    const [expression, ...rest] = args;
    const branches: string[] = [];
    for (let k = 0; k + 1 < rest.length; k += 2) {
      // DECODE matches NULL with NULL, which `=` never does.
      branches.push(`WHEN (${expression}) IS NOT DISTINCT FROM (${rest[k]}) THEN (${rest[k + 1]})`);
    }
    const otherwise = rest.length % 2 === 1 ? ` ELSE (${rest.at(-1)})` : '';
    return { text: `(CASE ${branches.join(' ')}${otherwise} END)`, last: close };
  }

  private listagg(open: number, close: number): { text: string; last: number } {
    let first = this.next(open);
    const distinct = isWord(this.tokens[first], 'DISTINCT');
    if (distinct) first = this.next(first);
    const args = this.arguments(first - 1, close);
    if (args.length < 1 || args.length > 2) {
      throw new RedshiftSyntaxError(`function listagg takes 1 or 2 arguments, got ${args.length}`);
    }
    const [value, delimiter = "''"] = args;
    let last = close;
    let orderBy = '';
    const within = this.next(close);
    if (isWord(this.tokens[within], 'WITHIN') && isWord(this.tokens[this.next(within)], 'GROUP')) {
      const groupOpen = this.next(this.next(within));
      const groupClose = closingParen(this.tokens, groupOpen);
      orderBy = ` ${this.range(this.next(groupOpen), groupClose).trim()}`;
      last = groupClose;
    }
    if (isWord(this.tokens[this.next(last)], 'OVER')) {
      throw new RedshiftSyntaxError('LISTAGG as a window function (… OVER) is not bridged locally');
    }
    return {
      text: `listagg(${distinct ? 'DISTINCT ' : ''}CAST((${value}) AS VARCHAR), ${delimiter}${orderBy})`,
      last,
    };
  }

  private bareDatePart(
    name: number,
    open: number,
    close: number,
  ): { text: string; last: number } | undefined {
    const part = this.next(open);
    if (this.tokens[part]?.kind !== 'word' || !isSymbol(this.tokens[this.next(part)], ',')) return undefined;
    const rest = this.range(part + 1, close);
    return {
      text: `${this.tokens[name]!.text}('${this.tokens[part]!.text.toLowerCase()}'${rest})`,
      last: close,
    };
  }

  /** The rewritten text of each top-level argument between `open` and `close`. */
  private arguments(open: number, close: number): string[] {
    const args: string[] = [];
    let start = open + 1;
    let depth = 0;
    for (let i = open + 1; i < close; i++) {
      const token = this.tokens[i];
      if (isSymbol(token, '(')) depth++;
      else if (isSymbol(token, ')')) depth--;
      else if (depth === 0 && isSymbol(token, ',')) {
        args.push(this.range(start, i).trim());
        start = i + 1;
      }
    }
    const lastArgument = this.range(start, close).trim();
    if (lastArgument !== '' || args.length > 0) args.push(lastArgument);
    return args;
  }

  private next(index: number): number {
    let i = index + 1;
    while (i < this.tokens.length && isBlank(this.tokens[i]!)) i++;
    return i;
  }

  private previous(index: number): number {
    let i = index - 1;
    while (i >= 0 && isBlank(this.tokens[i]!)) i--;
    return i;
  }
}

const isBlank = (token: Token) => token.kind === 'space' || token.kind === 'comment';
