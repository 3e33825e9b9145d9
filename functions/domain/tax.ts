/**
 * Consumption tax (docs/terms.md Decisions T2, T3). Amounts are tax-exclusive integer yen;
 * the tax is 10% rounded down, computed in integers so that no float ever touches money.
 */
export const CONSUMPTION_TAX_RATE_PERCENT = 10;

/**
 * Decision T2: the tax on a bill's taxable subtotal, rounded down to the yen; called once
 * per bill (charges/bill.ts), never per line. A negative amount (a credit) is rounded
 * toward zero so that its tax mirrors the charge it offsets.
 */
export function consumptionTax(amount: number): number {
  const scaled = amount * CONSUMPTION_TAX_RATE_PERCENT;
  if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(scaled)) {
    throw new RangeError(`amount: must be a safe integer number of yen, got ${amount}`);
  }
  // Exact integer division: subtract the remainder instead of dividing a float.
  return (scaled - (scaled % 100)) / 100;
}

/**
 * Decision T3: the termination fee is compensation outside consumption tax (不課税)
 * unless the operator's setting makes it taxable.
 */
export function terminationFeeTax(amount: number, settings: { taxable: boolean }): number {
  return settings.taxable ? consumptionTax(amount) : 0;
}
