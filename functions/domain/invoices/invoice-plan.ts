import { addMonths, monthOf, type LocalDate, type YearMonth } from '../calendar';
import type { BillLine } from '../charges/bill';
import { monthlyCharges } from '../charges/monthly-charges';
import { sumOf } from '../charges/charge-line';
import type { Contract } from '../contract';
import { NotChargeableError } from '../errors';
import { CONSUMPTION_TAX_RATE_PERCENT, consumptionTax } from '../tax';
import type { Catalog } from '../tariff/catalog';
import { revisionForBillingMonth } from '../tariff/versioned-tariff';
import type { ChargeKind, Invoice, InvoiceLine, Issuer } from './invoice';
import type { Invoicing } from './invoicing';
import { invoiceIdOf } from './invoice-id';

export interface InvoicePlanInput {
  catalog: Catalog;
  contract: Contract;
  /** The month the run closes (I2): the month before the run's JST month. */
  closing: YearMonth;
  issueDate: LocalDate;
  issuer: Issuer;
  /** The contract's invoices of months from its `invoicing.adjustFrom` on (I4); none when nothing is to be adjusted. */
  issued: Invoice[];
  /** At most this many months are closed at once (one transaction); the rest at the next call. */
  maxMonths?: number;
}

export interface InvoicePlan {
  /** What to issue now, oldest month first. */
  invoices: Invoice[];
  /** The contract's invoicing once they are issued. */
  invoicing: Invoicing;
}

/** Months per plan: a transaction holds the contract and one item per invoice, well under DynamoDB's 100. */
export const MAX_MONTHS_PER_PLAN = 24;

/**
 * Decisions I1, I2, I4: what the billing run issues for one contract. Every month from the
 * first not yet invoiced through `closing` gets the bill of T2, frozen, when it has
 * anything to bill (a month with no day live and no fee, or only 0-yen lines, has no
 * invoice). Months invoiced before and changed since (`adjustFrom`) are compared line by
 * line with what was invoiced for them; the differences go on the first invoice issued
 * now, or on an adjustment invoice of the last month closed when no month has anything
 * else to bill. A changed month that never had an invoice gets its own, late.
 */
export function planInvoices(input: InvoicePlanInput): InvoicePlan | null {
  const { contract, closing } = input;
  const invoicing = contract.invoicing;
  const first = invoicing ? addMonths(invoicing.invoicedThrough, 1) : monthOf(contract.startDate);
  const months: YearMonth[] = [];
  for (let month = first; month <= closing && months.length < (input.maxMonths ?? MAX_MONTHS_PER_PLAN); month = addMonths(month, 1)) months.push(month);
  // Closed for the contract already (a rerun), or not started: nothing to close; a mark waits for the next run.
  if (months.length === 0) return null;
  const corrections = invoicing?.adjustFrom ? correctionsOf(input, invoicing.adjustFrom, invoicing.invoicedThrough) : { late: [], adjustments: [] };
  const regular = months.map((month) => ({ month, lines: billLines(input.catalog, contract, month) }));
  const carrier = regular.find((bill) => hasCharges(bill.lines)) ?? regular[regular.length - 1];
  carrier.lines = [...carrier.lines, ...corrections.adjustments];
  return {
    invoices: [...corrections.late, ...regular.flatMap((bill) => invoiceOf(input, bill.month, bill.lines))],
    invoicing: { invoicedThrough: months[months.length - 1], adjustFrom: null },
  };
}

/**
 * I4 for the months `from`…`through`, already invoiced: for each, the month's bill now
 * against what was invoiced for it (its invoice and the adjustments made to it since),
 * per kind and item; a month with no invoice that now has charges gets its own.
 */
function correctionsOf(input: InvoicePlanInput, from: YearMonth, through: YearMonth): { late: Invoice[]; adjustments: InvoiceLine[] } {
  const late: Invoice[] = [];
  const adjustments: InvoiceLine[] = [];
  for (let month = from; month <= through; month = addMonths(month, 1)) {
    const now = billLines(input.catalog, input.contract, month);
    const own = input.issued.find((invoice) => invoice.month === month);
    if (!own) {
      late.push(...invoiceOf(input, month, now));
      continue;
    }
    const invoiced = [
      ...own.lines.filter((line) => line.kind !== 'adjustment'),
      ...input.issued.flatMap((invoice) => invoice.lines.filter((line) => line.adjusts?.month === month)),
    ];
    adjustments.push(...differences(now, invoiced, { invoiceId: own.invoiceId, month }));
  }
  return { late, adjustments };
}

interface Totals {
  amount: number;
  line: InvoiceLine;
}

/** The lines of `now` and `invoiced` summed per kind and item; one adjustment per pair that differs, in the order first seen. */
function differences(now: InvoiceLine[], invoiced: InvoiceLine[], of: { invoiceId: string; month: YearMonth }): InvoiceLine[] {
  const byKey = (lines: InvoiceLine[]) => {
    const totals = new Map<string, Totals>();
    for (const line of lines) {
      const kind = line.adjusts?.kind ?? (line.kind as ChargeKind);
      const key = `${kind}|${line.item}`;
      const seen = totals.get(key);
      totals.set(key, { amount: (seen?.amount ?? 0) + line.amount, line: seen?.line ?? { ...line, kind } });
    }
    return totals;
  };
  const current = byKey(now);
  const before = byKey(invoiced);
  const keys = [...new Set([...current.keys(), ...before.keys()])];
  return keys.flatMap((key) => {
    const difference = (current.get(key)?.amount ?? 0) - (before.get(key)?.amount ?? 0);
    if (difference === 0) return [];
    const { line } = (current.get(key) ?? before.get(key)) as Totals;
    // P1, I5: a difference of amounts priced on an operator placeholder (basic fee ① in a termination fee) is itself 仮.
    const placeholder = current.get(key)?.line.placeholder === true || before.get(key)?.line.placeholder === true;
    return [
      {
        kind: 'adjustment' as const,
        item: line.item,
        label: line.label,
        quantity: 1,
        unitPrice: difference,
        amount: difference,
        clause: line.clause,
        taxable: line.taxable,
        taxLabel: line.taxLabel,
        adjusts: { ...of, kind: line.kind as ChargeKind },
        ...(placeholder ? { placeholder: true as const } : {}),
      },
    ];
  });
}

/** The bill of T2 for the month as invoice lines; none when the contract was not live in it. */
function billLines(catalog: Catalog, contract: Contract, month: YearMonth): InvoiceLine[] {
  try {
    return monthlyCharges(catalog, contract, month).lines.map(invoiceLineOf);
  } catch (error) {
    if (error instanceof NotChargeableError) return [];
    throw error;
  }
}

function invoiceLineOf(line: BillLine): InvoiceLine {
  if (line.kind === 'termination-fee') return { ...line };
  const kind: ChargeKind = line.kind === 'monthly' && line.item.startsWith('invoice.') ? 'invoice-fee' : line.kind;
  return { ...line, kind, taxable: true, taxLabel: '課税' };
}

const hasCharges = (lines: InvoiceLine[]): boolean => lines.some((line) => line.amount !== 0);

/** The invoice of the month with these lines; none when nothing on it is charged (I1: never a 0-yen invoice). */
function invoiceOf(input: InvoicePlanInput, month: YearMonth, lines: InvoiceLine[]): Invoice[] {
  if (!hasCharges(lines)) return [];
  const { contract, issuer } = input;
  const taxableSubtotal = sumOf(lines.filter((line) => line.taxable));
  const subtotal = sumOf(lines);
  const tax = consumptionTax(taxableSubtotal);
  return [
    {
      invoiceId: invoiceIdOf(contract.contractId, month),
      contractId: contract.contractId,
      month,
      issueDate: input.issueDate,
      issuer,
      customer: { customerId: contract.customer.customerId, name: contract.customer.name },
      billingMethod: contract.billing.method,
      revision: revisionForBillingMonth(input.catalog, month).id,
      lines,
      subtotal,
      tax: { ratePercent: CONSUMPTION_TAX_RATE_PERCENT, taxableSubtotal, consumptionTax: tax, total: subtotal + tax },
      placeholder: issuer.placeholder || lines.some((line) => line.placeholder === true),
    },
  ];
}
