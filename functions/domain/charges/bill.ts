import type { LocalDate } from '../calendar';
import type { TerminationFee } from '../contract';
import { CONSUMPTION_TAX_RATE_PERCENT, consumptionTax } from '../tax';
import { sumOf, type ChargeLine } from './charge-line';

/**
 * A bill: one contract's charges for one billing month (docs/terms.md T2). Its lines are
 * the month's monthly fees, the one-off fees arising in the month and, in the month a
 * cancellation or a move out of Prime Plus takes effect, the termination fee.
 */
export type BillLine = (ChargeLine & { kind: 'monthly' }) | (ChargeLine & { kind: 'one-off'; date: LocalDate; orderId: string }) | TerminationFeeLine;

/** Decision T3: 不課税 unless the operator's setting makes it taxable; outside the taxable subtotal when 不課税. */
export interface TerminationFeeLine extends Omit<ChargeLine, 'item'> {
  kind: 'termination-fee';
  item: 'terminationFee';
  date: LocalDate;
  orderId: string;
  taxable: boolean;
  taxLabel: '課税' | '不課税';
}

export interface BillTax {
  ratePercent: number;
  /** The sum of the taxable lines (税抜). */
  taxableSubtotal: number;
  /** Once for the bill: rate × taxable subtotal, rounded down to the yen (消費税). */
  consumptionTax: number;
  /** Every line plus the tax (税込). */
  total: number;
}

export interface BillTotals {
  lines: BillLine[];
  /** Every line, tax-exclusive (税抜), 不課税 lines included. */
  subtotal: number;
  tax: BillTax;
  /** True where any line uses an operator placeholder: the total is not a final price. */
  placeholders: boolean;
}

/**
 * T2: consumption tax once per bill and rate, on the sum of the bill's taxable amounts,
 * rounded down; never per line (消費税法施行令第70条の10, 基本通達1-8-15, インボイスQ&A 問57).
 */
export function billTotals(lines: BillLine[]): BillTotals {
  const subtotal = sumOf(lines);
  const taxableSubtotal = sumOf(lines.filter((line) => line.kind !== 'termination-fee' || line.taxable));
  const tax = consumptionTax(taxableSubtotal);
  return {
    lines,
    subtotal,
    tax: { ratePercent: CONSUMPTION_TAX_RATE_PERCENT, taxableSubtotal, consumptionTax: tax, total: subtotal + tax },
    placeholders: lines.some((line) => line.placeholder === true),
  };
}

/** The termination fee as a line of the bill of the month it takes effect in (T2, T3). */
export function terminationFeeLine(fee: TerminationFee, at: { date: LocalDate; orderId: string }, label: string): TerminationFeeLine {
  return {
    kind: 'termination-fee',
    item: 'terminationFee',
    label,
    quantity: fee.remainingMonths,
    unitPrice: fee.basicFee,
    amount: fee.amount,
    clause: fee.clause,
    date: at.date,
    orderId: at.orderId,
    taxable: fee.taxable,
    taxLabel: fee.taxable ? '課税' : '不課税',
    ...(fee.placeholder ? { placeholder: true as const } : {}),
  };
}
