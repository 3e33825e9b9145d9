import fc from 'fast-check';
import { prorate } from '../../../functions/domain/charges/proration';

describe('prorate (Decision C1): amount × live days / days in month, rounded down', () => {
  it.each([
    [19000, 31, 31, 19000], // whole month
    [19000, 22, 31, 13483], // from the 10th of a 31-day month: 13,483.87
    [3000, 1, 31, 96], // started on the 31st: 96.77
    [1000, 1, 29, 34], // 29 Feb alone: 34.48
    [1000, 29, 29, 1000],
    [1000, 28, 28, 1000],
    [17000, 15, 30, 8500], // exact half
    [500, 0, 30, 0],
    [0, 12, 31, 0],
  ])('%i yen for %i of %i days is %i', (amount, live, days, expected) => {
    expect(prorate(amount, live, days)).toBe(expected);
  });

  it.each([
    [-1, 1, 31],
    [1.5, 1, 31],
    [100, -1, 31],
    [100, 32, 31],
    [100, 1.5, 31],
    [100, 1, 27],
    [100, 1, 32],
    [Number.MAX_SAFE_INTEGER, 30, 31],
  ])('refuses prorate(%p, %p, %p)', (amount, live, days) => {
    expect(() => prorate(amount, live, days)).toThrow(RangeError);
  });

  const month = fc
    .integer({ min: 28, max: 31 })
    .chain((days) => fc.tuple(fc.constant(days), fc.integer({ min: 0, max: days }), fc.integer({ min: 0, max: days })));

  it('is integer yen, never more than the full amount, and exact', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), month, (amount, [days, live]) => {
        const part = prorate(amount, live, days);
        expect(Number.isSafeInteger(part)).toBe(true);
        expect(part).toBeGreaterThanOrEqual(0);
        expect(part).toBeLessThanOrEqual(amount);
        expect(BigInt(part)).toBe((BigInt(amount) * BigInt(live)) / BigInt(days));
      }),
    );
  });

  it('is monotonic in live days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), month, (amount, [days, a, b]) => {
        const [fewer, more] = a <= b ? [a, b] : [b, a];
        expect(prorate(amount, fewer, days)).toBeLessThanOrEqual(prorate(amount, more, days));
      }),
    );
  });
});
