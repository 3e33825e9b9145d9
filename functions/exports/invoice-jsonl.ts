import { canonicalJson } from '../domain/canonical-json';
import type { Invoice } from '../domain/invoices/invoice';

// JSON leaves these unescaped, yet some line splitters (Python's str.splitlines, a JS regex's `.` and `$`) end a line at them.
const LINE_BREAKING = /[\u0085\u2028\u2029]/g;

/**
 * One invoice as a line of JSON Lines (docs/interface.md §7.1 shape), '\n'-terminated.
 * Keys in a fixed order (canonicalJson), so that a rerun over the same invoices writes the
 * same bytes and the same SHA-256 whatever order DynamoDB returned their maps in.
 */
export function invoiceJsonLine(invoice: Invoice): string {
  return `${canonicalJson(invoice).replace(LINE_BREAKING, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
