import type { LocalDate, YearMonth } from '../calendar';
import type { BillTax } from '../charges/bill';
import type { ChargeLine } from '../charges/charge-line';
import type { BillingMethod } from '../contract';

/**
 * The invoice (請求書) of docs/terms.md I1 and docs/interface.md §7.1: the bill of T2 for a
 * contract and billing month, frozen when the month is closed, plus the adjustments of I4.
 * Never changed once issued.
 */

/** Decision I5: who issues the invoice (適格請求書発行事業者); `placeholder` until the operator sets it. */
export interface Issuer {
  name: string;
  /** `T` and the 13 digits of the 法人番号. */
  registrationNumber: string;
  placeholder: boolean;
}

export type ChargeKind = 'monthly' | 'one-off' | 'termination-fee' | 'invoice-fee';
export type InvoiceLineKind = ChargeKind | 'adjustment';

/** Which invoice and month an adjustment corrects (I4), and the kind of the lines it corrects. */
export interface Adjusts {
  /** The invoice issued for `month`. */
  invoiceId: string;
  month: YearMonth;
  kind: ChargeKind;
}

/**
 * One line of an invoice: a bill line as the charges lookup shows it (item, label,
 * quantity, unit price, amount, clause, and the notes on proration, inclusions,
 * discounts), with its kind and whether it is in the taxable subtotal (T3: a termination
 * fee, and an adjustment of one, is 不課税 unless the operator's setting says otherwise).
 */
export interface InvoiceLine extends Omit<ChargeLine, 'item'> {
  kind: InvoiceLineKind;
  item: string;
  taxable: boolean;
  taxLabel: '課税' | '不課税';
  /** One-off fees and the termination fee: the day it arose, and the order. */
  date?: LocalDate;
  orderId?: string;
  /** Adjustments only. */
  adjusts?: Adjusts;
}

export interface Invoice {
  /** At most 32 characters of 0-9, A-Z and '-'; the same for a contract and month however often the run is repeated (I1). */
  invoiceId: string;
  contractId: string;
  /** The billing month (取引年月). */
  month: YearMonth;
  /** JST date of the run that issued it. */
  issueDate: LocalDate;
  issuer: Issuer;
  customer: { customerId: string; name: string };
  billingMethod: BillingMethod;
  /** The tariff revision of the month's bill (an adjustment-only invoice: of its month). */
  revision: string;
  lines: InvoiceLine[];
  /** Every line, tax-exclusive (税抜), 不課税 lines included. */
  subtotal: number;
  tax: BillTax;
  /** True where the issuer or a price is an operator placeholder (仮). */
  placeholder: boolean;
}
