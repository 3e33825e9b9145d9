/**
 * JSON with object keys in a fixed order and undefined members left out: two values that
 * mean the same (a resend serialized differently, an item DynamoDB returns with its map
 * keys in an order of its own) give the same text. Used for request fingerprints, for
 * recognising a write's own result, and for comparing services.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
