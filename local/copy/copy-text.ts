import { LoadErrorCode, NOT_UTF8_TEXT, ValueError } from './column-converters';

/**
 * Converted values as fields of PostgreSQL's COPY text format, which both engines load in bulk:
 * NULL is `\N`, and a backslash, tab, newline or carriage return inside text is escaped, so a
 * string that merely looks like `\N` stays a string. Text that no engine can hold is a rejection.
 */
export function copyTextField(value: unknown): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return NEEDS_A_LOOK.test(value) ? escapeText(value) : value;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  throw new TypeError(`no COPY text for a converted value of type ${typeof value}`);
}

// One cheap screen per value: most text holds nothing to escape and no surrogate at all.
const NEEDS_A_LOOK = /[\\\t\n\r\0\uD800-\uDFFF]/;
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeText(text: string): string {
  if (NOT_UTF8_TEXT.test(text)) {
    throw new ValueError(
      LoadErrorCode.InvalidUtf8,
      'String contains invalid or unsupported UTF-8 codepoints (NUL or an unpaired surrogate)',
    );
  }
  return text.replace(SPECIAL, (char) => ESCAPES[char]!);
}
