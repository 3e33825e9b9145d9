import type { BillingMethod } from '../domain/contract';
import type { Invoice, InvoiceLine, InvoiceLineKind } from '../domain/invoices/invoice';

/**
 * The CSV of the month's invoices for accounting (docs/terms.md I7; columns in
 * docs/invoice-files.md): UTF-8 with a BOM, so that Excel reads it as UTF-8; CRLF line
 * ends and RFC 4180 quoting; a Japanese header row; one row per invoice line, the
 * invoice's own fields repeated on each of its rows.
 */

const BILLING_METHODS: Record<BillingMethod, string> = {
  invoice: '請求書払い',
  'account-transfer': '口座振替',
  'credit-card': 'クレジットカード',
};

const LINE_KINDS: Record<InvoiceLineKind, string> = {
  monthly: '月額',
  'one-off': '一時金',
  'termination-fee': '解約金',
  'invoice-fee': '請求書発行手数料',
  adjustment: '調整',
};

type Cell = string | number;

const COLUMNS: ReadonlyArray<readonly [header: string, value: (invoice: Invoice, line: InvoiceLine, index: number) => Cell]> = [
  ['請求書番号', (invoice) => invoice.invoiceId],
  ['契約ID', (invoice) => invoice.contractId],
  ['取引年月', (invoice) => invoice.month],
  ['発行日', (invoice) => invoice.issueDate],
  ['顧客ID', (invoice) => invoice.customer.customerId],
  ['宛名', (invoice) => invoice.customer.name],
  ['支払方法', (invoice) => BILLING_METHODS[invoice.billingMethod]],
  ['行番号', (_invoice, _line, index) => index + 1],
  ['区分', (_invoice, line) => LINE_KINDS[line.kind]],
  ['品目', (_invoice, line) => line.label],
  ['数量', (_invoice, line) => line.quantity],
  ['単価', (_invoice, line) => line.unitPrice],
  ['金額（税抜）', (_invoice, line) => line.amount],
  ['課税区分', (_invoice, line) => line.taxLabel],
  ['調整対象請求書番号', (_invoice, line) => line.adjusts?.invoiceId ?? ''],
  ['調整対象年月', (_invoice, line) => line.adjusts?.month ?? ''],
  ['条項', (_invoice, line) => line.clause],
  ['10%対象', (invoice) => invoice.tax.taxableSubtotal],
  ['消費税', (invoice) => invoice.tax.consumptionTax],
  ['合計', (invoice) => invoice.tax.total],
  ['仮', (invoice) => (invoice.placeholder ? '仮' : '')],
];

export const INVOICE_CSV_HEADERS: readonly string[] = COLUMNS.map(([header]) => header);

const CRLF = '\r\n';

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection, CWE-1236).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** The start of every CSV part: the BOM (once, at the start of the file) and the header row. */
export const INVOICE_CSV_START = `\uFEFF${INVOICE_CSV_HEADERS.map(csvCell).join(',')}${CRLF}`;

/**
 * One field: a number as it is (a credit stays -3000, not text), text with an apostrophe
 * before a formula's first character, then quoted where RFC 4180 needs it, quotes doubled.
 */
export function csvCell(value: Cell): string {
  if (typeof value === 'number') {
    // Money and counts are integers (docs/terms.md T2): a NaN or a fraction is a defect upstream, not a value to file.
    if (!Number.isSafeInteger(value)) throw new Error(`Not an integer for the invoice CSV: ${value}`);
    return String(value);
  }
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The invoice's rows, each ending in CRLF: one per line, numbered from 1. */
export function invoiceCsvRows(invoice: Invoice): string {
  return invoice.lines.map((line, index) => COLUMNS.map(([, value]) => csvCell(value(invoice, line, index))).join(',') + CRLF).join('');
}
