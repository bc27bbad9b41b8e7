/**
 * Converted values as fields of PostgreSQL's COPY text format, which both engines load in bulk:
 * NULL is `\N`, and a backslash, tab, newline or carriage return inside text is escaped, so a
 * string that merely looks like `\N` stays a string. Text never holds NUL: the converters reject it.
 */
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyTextField(value: unknown): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') {
    return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (char) => ESCAPES[char]!) : value;
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  throw new TypeError(`no COPY text for a converted value of type ${typeof value}`);
}
