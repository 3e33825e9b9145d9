/**
 * EventBridge's PutEvents limits, shared by the publisher and the local bus that plays
 * EventBridge: at most 10 entries and 256 KB a call, an entry counted as the UTF-8 bytes
 * of its Source, DetailType, Detail and Resources, and 14 for a Time.
 */
export const MAX_ENTRIES_PER_CALL = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;

export interface SizedEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  Resources?: unknown;
  Time?: unknown;
}

/** The entry size as the service counts it against the request limit. */
export function entrySize(entry: SizedEntry): number {
  const strings = [entry.Source, entry.DetailType, entry.Detail, ...(Array.isArray(entry.Resources) ? (entry.Resources as unknown[]) : [])];
  const timeBytes = entry.Time === undefined ? 0 : 14;
  return strings.reduce<number>((sum, s) => sum + (typeof s === 'string' ? Buffer.byteLength(s, 'utf8') : 0), timeBytes);
}

/** Consecutive groups of at most 10 entries and 256 KB, in order; an entry too large for any call stands alone. */
export function putEventsCalls<T>(items: readonly T[], sizeOf: (item: T) => number): T[][] {
  const calls: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length === MAX_ENTRIES_PER_CALL || bytes + size > MAX_REQUEST_BYTES)) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}
