/**
 * Yen as customer service reads it: 19,000円. Written out rather than with
 * toLocaleString('ja-JP'), whose first call loads ICU's locale data (~10 ms of a cold start).
 */
export function yenLabel(amount: number): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount: must be a whole number of yen, got ${amount}`);
  const digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${amount < 0 ? '-' : ''}${digits}円`;
}
