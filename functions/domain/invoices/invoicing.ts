import type { YearMonth } from '../calendar';

/**
 * What a contract has been invoiced for (stored on the contract, never shown in its view):
 * every month up to `invoicedThrough` is closed for it; `adjustFrom` is the oldest of those
 * months an order changed afterwards (I4), null when none.
 */
export interface Invoicing {
  invoicedThrough: YearMonth;
  adjustFrom: YearMonth | null;
}
