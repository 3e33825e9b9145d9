import { CONSUMPTION_TAX_RATE_PERCENT, consumptionTax } from '../tax';
import type { TariffItem, TariffRevision } from '../tariff/catalog';
import { priceOf } from '../tariff/versioned-tariff';

/** One line of a bill or a one-off fee (docs/interface.md §3), integer yen, tax-exclusive (Decision T2). */
export interface ChargeLine {
  item: TariffItem;
  label: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  clause: string;
  /** The unit price is an operator placeholder, not a price of the seed (Decision P1). */
  placeholder?: true;
  /** Decision C1: the line covers only these days of the month. */
  prorated?: { liveDays: number; daysInMonth: number; fullAmount: number };
  /** Decision B1 / ※7: this many are covered (by the plan, or free); `quantity` is the rest. */
  includedQuantity?: number;
  /** ※4: the unit price is the tariff price less this discount per device. */
  discount?: { perUnit: number; clause: string };
  /** 別紙8 ※1: the tariff price the 0-yen first installation waives. */
  waived?: { unitPrice: number; clause: string };
  /** Decision T2: 10% of `amount`, rounded down. */
  consumptionTax: number;
}

/** A line before tax: tax is worked out once, on the final amount (after proration). */
export type UntaxedLine = Omit<ChargeLine, 'consumptionTax'>;

/** The line of `quantity` units of an item at the revision's price, placeholders flagged. */
export function priceLine(revision: TariffRevision, item: TariffItem, quantity: number): UntaxedLine {
  const entry = priceOf(revision, item);
  return {
    item,
    label: entry.label,
    quantity,
    unitPrice: entry.amount,
    amount: entry.amount * quantity,
    clause: entry.clause,
    ...(entry.placeholder ? { placeholder: true as const } : {}),
  };
}

export interface Totals {
  lines: ChargeLine[];
  subtotal: number;
  /** True where any line uses an operator placeholder: the total is not a final price. */
  placeholders: boolean;
  /** Decision T2: tax per line rounded down, labelled as such. */
  taxIncluded: { label: string; ratePercent: number; consumptionTax: number; total: number };
}

export function totals(untaxed: UntaxedLine[]): Totals {
  const lines = untaxed.map((l) => ({ ...l, consumptionTax: consumptionTax(l.amount) }));
  const subtotal = sum(lines.map((l) => l.amount));
  const tax = sum(lines.map((l) => l.consumptionTax));
  return {
    lines,
    subtotal,
    placeholders: lines.some((l) => l.placeholder === true),
    taxIncluded: {
      label: `税込 (消費税${CONSUMPTION_TAX_RATE_PERCENT}%、行ごとに1円未満切り捨て)`,
      ratePercent: CONSUMPTION_TAX_RATE_PERCENT,
      consumptionTax: tax,
      total: subtotal + tax,
    },
  };
}

function sum(amounts: number[]): number {
  return amounts.reduce((a, b) => a + b, 0);
}
