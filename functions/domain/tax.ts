/**
 * Consumption tax (docs/terms.md Decisions T2, T3). Amounts are tax-exclusive integer yen;
 * the tax is 10% rounded down, computed in integers so that no float ever touches money.
 */
export const CONSUMPTION_TAX_RATE_PERCENT = 10;

/**
 * Decision T2: the tax on a bill's taxable subtotal, rounded down to the yen; called once
 * per bill (charges/bill.ts, invoices/invoice-plan.ts), never per line. Rounded down
 * toward −∞ for a credit as for a charge (an invoice whose adjustments make it negative):
 * one rule, whatever the sign.
 */
export function consumptionTax(amount: number): number {
  const scaled = amount * CONSUMPTION_TAX_RATE_PERCENT;
  if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(scaled)) {
    throw new RangeError(`amount: must be a safe integer number of yen, got ${amount}`);
  }
  // Exact integer division: subtract the remainder instead of dividing a float; JS's % keeps the dividend's sign.
  const remainder = ((scaled % 100) + 100) % 100;
  return (scaled - remainder) / 100;
}

/**
 * Decision T3: the termination fee is compensation outside consumption tax (不課税)
 * unless the operator's setting makes it taxable.
 */
export function terminationFeeTax(amount: number, settings: { taxable: boolean }): number {
  return settings.taxable ? consumptionTax(amount) : 0;
}
