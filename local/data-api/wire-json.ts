/**
 * JSON as the Data API writes it, where a BIGINT is an exact JSON number: JSON.stringify refuses
 * a bigint, and a JS number past 2^53 would change its last digits (9007199254740993 → …992).
 * Everything else is written as JSON.stringify writes it (undefined members omitted, toJSON honoured).
 */
export function toWireJson(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map((item) => toWireJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object' && !('toJSON' in value)) {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined && typeof member !== 'function')
      .map(([key, member]) => `${JSON.stringify(key)}:${toWireJson(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
