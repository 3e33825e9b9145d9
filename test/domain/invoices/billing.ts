import type { LocalDate, YearMonth } from '../../../functions/domain/calendar';
import { oneOffFeeFor, type OneOffOrder } from '../../../functions/domain/charges/one-off-order';
import type { Contract } from '../../../functions/domain/contract';
import { withOneOffFee } from '../../../functions/domain/contract-lifecycle';
import type { Invoice, InvoiceLine, Issuer } from '../../../functions/domain/invoices/invoice';
import { planInvoices, type InvoicePlan } from '../../../functions/domain/invoices/invoice-plan';
import { SHIPPED_CATALOG } from '../../../functions/domain/tariff/catalog';

/** Shared by the invoice tests: the shipped catalog, an issuer that is set (so only prices make an invoice 仮), the run's date. */
export const catalog = SHIPPED_CATALOG;
export const notTaxable = { taxable: false };

/** 国税庁's own published 法人番号, so that the number is valid (issuer.test.ts). */
export const ISSUER: Issuer = { name: '西日本電信電話株式会社', registrationNumber: 'T7000012050002', placeholder: false };

/** The JST date of the run that closes `closing`: 03:00 on the 2nd of the month after (I2). */
export function runDateOf(closing: YearMonth): LocalDate {
  const [year, month] = closing.split('-').map(Number);
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return `${next}-02` as LocalDate;
}

/** planInvoices as the billing run calls it for `closing`. */
export function plan(contract: Contract, closing: YearMonth, options: { issued?: Invoice[]; maxMonths?: number } = {}): InvoicePlan | null {
  const { issued = [], maxMonths } = options;
  return planInvoices({ catalog, contract, closing, issueDate: runDateOf(closing), issuer: ISSUER, issued, ...(maxMonths === undefined ? {} : { maxMonths }) });
}

/** What the run stores once the plan's invoices are written: the contract with its invoicing, one version on. */
export function billed(contract: Contract, invoicePlan: InvoicePlan): Contract {
  return { ...contract, invoicing: invoicePlan.invoicing, version: contract.version + 1 };
}

/** Runs the billing for `closing` and returns what it issued and the contract as stored after it. */
export function run(
  contract: Contract,
  closing: YearMonth,
  options: { issued?: Invoice[]; maxMonths?: number } = {},
): { invoices: Invoice[]; contract: Contract } {
  const invoicePlan = plan(contract, closing, options);
  if (invoicePlan === null) throw new Error(`nothing to close for ${contract.contractId} through ${closing}`);
  return { invoices: invoicePlan.invoices, contract: billed(contract, invoicePlan) };
}

let orders = 0;
/** A one-off order priced and kept on the contract as the order use case does, requested at `requestedAt`. */
export function withOneOff(contract: Contract, order: OneOffOrder, requestedAt: string): Contract {
  const fee = oneOffFeeFor(catalog, contract, order);
  const orderId = `ORD-ONE-OFF-${++orders}`;
  return withOneOffFee(contract, { orderId, date: fee.date, revision: fee.revision, lines: fee.lines, subtotal: fee.subtotal }, requestedAt, catalog);
}

/** [kind, item, amount] per line, to state an invoice's lines in one expression. */
export function linesOf(invoice: Invoice): Array<[string, string, number]> {
  return invoice.lines.map((line: InvoiceLine) => [line.kind, line.item, line.amount]);
}
