import type { TariffItem, TariffRevision } from '../tariff/catalog';
import { priceOf } from '../tariff/versioned-tariff';

/**
 * One line of a bill (docs/interface.md §3), integer yen, tax-exclusive. Lines carry no
 * tax of their own: the tax is worked out once per bill (Decision T2, charges/bill.ts).
 */
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
}

/** The line of `quantity` units of an item at the revision's price, placeholders flagged. */
export function priceLine(revision: TariffRevision, item: TariffItem, quantity: number): ChargeLine {
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

export function sumOf(lines: ReadonlyArray<{ amount: number }>): number {
  return lines.reduce((total, line) => total + line.amount, 0);
}
