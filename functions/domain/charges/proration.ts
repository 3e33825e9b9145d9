/**
 * Decision C1 (docs/terms.md §2): a monthly fee for a part month is amount × live days /
 * days in the month, rounded down to the yen. Integer math only: the product of two
 * integers is exact, and the remainder is subtracted before dividing, so no float
 * rounding can move the result by a yen.
 */
export function prorate(amount: number, liveDays: number, daysInMonth: number): number {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`amount: must be whole yen, 0 or more, got ${amount}`);
  if (!Number.isInteger(daysInMonth) || daysInMonth < 28 || daysInMonth > 31) {
    throw new RangeError(`daysInMonth: must be 28 to 31, got ${daysInMonth}`);
  }
  if (!Number.isInteger(liveDays) || liveDays < 0 || liveDays > daysInMonth) {
    throw new RangeError(`liveDays: must be a whole number from 0 to ${daysInMonth}, got ${liveDays}`);
  }
  const scaled = amount * liveDays;
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`amount: too large to prorate exactly (${amount})`);
  return (scaled - (scaled % daysInMonth)) / daysInMonth;
}
