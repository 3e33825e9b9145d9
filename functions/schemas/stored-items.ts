import * as z from 'zod/mini';
import type { Contract } from '../domain/contract';
import type { Invoice } from '../domain/invoices/invoice';
import type { TariffItem } from '../domain/tariff/catalog';
import type { LineRecord, OrderRecord } from '../store/records';
import { localDate, yearMonth } from './fields';
import { keyedOutcome } from './stored-outcome';
// A contract holds the plan and services its orders stated, as those orders' schemas read them.
import { plan, services } from './orders/subscription';

/**
 * What the store reads back, parsed rather than cast: the store wrote these items, so a
 * mismatch is a defect or a foreign write, reported as StoredItemError naming the item and
 * the field, never a contract that is not one.
 */
const count = z.number().check(z.int(), z.minimum(0));
const yen = z.number().check(z.int());
const text = z.string();

const term = z.object({ number: count, start: localDate, end: localDate, renewalMonth: yearMonth });
const terminationFee = z.object({
  amount: yen,
  basicFee: yen,
  remainingMonths: count,
  revision: text,
  clause: text,
  taxable: z.boolean(),
  amountIncludingTax: yen,
  placeholder: z.boolean(),
});
const chargeLine = z.object({
  // The catalog names the items; a stored line keeps the name it was priced under.
  item: z.custom<TariffItem>((value) => typeof value === 'string' && value.length > 0),
  label: text,
  quantity: count,
  unitPrice: yen,
  amount: yen,
  clause: text,
  placeholder: z.optional(z.literal(true)),
  prorated: z.optional(z.object({ liveDays: count, daysInMonth: count, fullAmount: yen })),
  includedQuantity: z.optional(count),
  discount: z.optional(z.object({ perUnit: yen, clause: text })),
  waived: z.optional(z.object({ unitPrice: yen, clause: text })),
});
const historyEntry = z.object({
  at: text,
  type: z.enum(['ContractCreated', 'ContractServicesChanged', 'ContractCancelled', 'ContractRenewed', 'ContractPlanChanged', 'OneOffFeeCharged']),
  orderId: z.nullable(text),
  summary: text,
  services,
  plan: z.optional(plan),
  previousPlan: z.optional(plan),
  effectiveDate: z.optional(localDate),
  terminationFee: z.optional(z.nullable(terminationFee)),
  acceptedTermsRevision: z.optional(text),
});

export const storedContractSchema: z.ZodMiniType<Contract, unknown> = z.object({
  contractId: text,
  orderId: text,
  lineId: text,
  customer: z.object({ customerId: text, name: text, kind: z.enum(['corporation', 'individual']), phone: z.optional(text) }),
  plan,
  services,
  billing: z.object({ method: z.enum(['invoice', 'account-transfer', 'credit-card']) }),
  appliedAt: text,
  startDate: localDate,
  term: z.nullable(term),
  cancellation: z.nullable(
    z.object({ orderId: text, requestedAt: text, effectiveDate: localDate, terminationFee, withdrawnTerm: z.optional(z.nullable(term)) }),
  ),
  acceptedTermsRevision: text,
  oneOffFees: z.optional(z.array(z.object({ orderId: text, date: localDate, revision: text, lines: z.array(chargeLine), subtotal: yen }))),
  invoicing: z.optional(z.object({ invoicedThrough: yearMonth, adjustFrom: z.nullable(yearMonth) })),
  version: count,
  history: z.array(historyEntry),
});

export const storedOrderSchema: z.ZodMiniType<OrderRecord, unknown> = z.pipe(
  z.object({
    orderId: text,
    slot: text,
    fingerprint: text,
    outcome: z.object({ detailType: text, detail: z.catchall(z.object({ eventKey: z.optional(text) }), z.unknown()) }),
    published: z.boolean(),
    leaseUntil: count,
    at: text,
  }),
  z.transform((order) => ({ ...order, outcome: keyedOutcome(order.outcome, order.orderId) })),
);

const chargeKind = z.enum(['monthly', 'one-off', 'termination-fee', 'invoice-fee']);
const invoiceLine = z.object({
  ...chargeLine.shape,
  item: text,
  kind: z.enum(['monthly', 'one-off', 'termination-fee', 'invoice-fee', 'adjustment']),
  quantity: yen,
  taxable: z.boolean(),
  taxLabel: z.enum(['課税', '不課税']),
  date: z.optional(localDate),
  orderId: z.optional(text),
  adjusts: z.optional(z.object({ invoiceId: text, month: yearMonth, kind: chargeKind })),
});

/** An issued invoice (docs/interface.md §7.1), as the billing run froze it. */
export const storedInvoiceSchema: z.ZodMiniType<Invoice, unknown> = z.object({
  invoiceId: text,
  contractId: text,
  month: yearMonth,
  issueDate: localDate,
  issuer: z.object({ name: text, registrationNumber: text, placeholder: z.boolean() }),
  customer: z.object({ customerId: text, name: text }),
  billingMethod: z.enum(['invoice', 'account-transfer', 'credit-card']),
  revision: text,
  lines: z.array(invoiceLine),
  subtotal: yen,
  tax: z.object({ ratePercent: count, taxableSubtotal: yen, consumptionTax: yen, total: yen }),
  placeholder: z.boolean(),
});

export const storedLineSchema: z.ZodMiniType<LineRecord, unknown> = z.object({ lineId: text, contractIds: z.array(text), version: count });

/** An item of the table that does not read as what its key says it is. */
export class StoredItemError extends Error {
  constructor(key: string, problem: string) {
    super(`stored item ${key} is not readable: ${problem}`);
    this.name = 'StoredItemError';
  }
}

/** `value` parsed by `schema`, or StoredItemError naming `key` and the fields that failed. */
export function readStored<T>(schema: z.ZodMiniType<T, unknown>, key: string, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new StoredItemError(key, parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '));
}
