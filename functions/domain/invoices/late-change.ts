import { addMonths, monthOf, type YearMonth } from '../calendar';
import { canonicalJson } from '../canonical-json';
import { monthlyCharges } from '../charges/monthly-charges';
import type { Contract } from '../contract';
import type { Catalog } from '../tariff/catalog';

/**
 * Decision I4: an order that changes what an invoiced month should have billed marks the
 * contract, so that the next billing run adjusts that month once. `after` is the contract
 * as the order leaves it; the months compared are those already invoiced, from the start,
 * stopping at an earlier mark. Whatever the order (a cancellation, plan or services change
 * effective in the past, a one-off service performed in a closed month, a withdrawn
 * renewal), the bills tell: no rule per order kind to forget.
 */
export function withLateChanges(catalog: Catalog, before: Contract, after: Contract): Contract {
  const invoicing = after.invoicing;
  if (!invoicing) return after;
  const first = monthOf(before.startDate < after.startDate ? before.startDate : after.startDate);
  const last = invoicing.adjustFrom === null ? invoicing.invoicedThrough : addMonths(invoicing.adjustFrom, -1);
  for (let month = first; month <= last; month = addMonths(month, 1)) {
    if (billOf(catalog, before, month) !== billOf(catalog, after, month)) {
      return { ...after, invoicing: { ...invoicing, adjustFrom: month } };
    }
  }
  return after;
}

/** The month's bill as text to compare; a month that cannot be billed compares by its refusal. */
function billOf(catalog: Catalog, contract: Contract, month: YearMonth): string {
  try {
    return canonicalJson(monthlyCharges(catalog, contract, month).lines);
  } catch (error) {
    return `refused: ${error instanceof Error ? error.message : String(error)}`;
  }
}
