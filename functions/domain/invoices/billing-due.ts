import { addMonths, monthOf, type YearMonth } from '../calendar';
import type { Contract } from '../contract';

/**
 * Decision I2: the first month the billing run still has to close for the contract, or
 * null once it never has to again (cancelled, invoiced through its last month, nothing
 * to adjust). A contract never invoiced is due from its start month; one with a late
 * change (I4) is due at the next run, which carries the adjustment.
 */
export function billingDueMonth(contract: Contract): YearMonth | null {
  const invoicing = contract.invoicing;
  if (!invoicing) return monthOf(contract.startDate);
  const next = addMonths(invoicing.invoicedThrough, 1);
  if (invoicing.adjustFrom !== null) return next;
  const cancellation = contract.cancellation;
  if (cancellation && invoicing.invoicedThrough >= monthOf(cancellation.effectiveDate)) return null;
  return next;
}
