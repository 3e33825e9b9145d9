import fc from 'fast-check';
import { CONSUMPTION_TAX_RATE_PERCENT, consumptionTax, terminationFeeTax } from '../../functions/domain/tax';

describe('consumption tax (Decision T2)', () => {
  it('is 10%', () => {
    expect(CONSUMPTION_TAX_RATE_PERCENT).toBe(10);
  });

  it.each([
    [150, 15, 165], // 別紙12: 150円 (税込165円)
    [50, 5, 55], // 別紙12: 50円 (税込55円)
    [19000, 1900, 20900],
    [13483, 1348, 14831],
    [19, 1, 20],
    [9, 0, 9],
    [0, 0, 0],
  ])('%i yen: tax %i, %i including tax (rounded down per line)', (amount, tax, total) => {
    expect(consumptionTax(amount)).toBe(tax);
    expect(amount + consumptionTax(amount)).toBe(total);
  });

  it('a credit is rounded down toward −∞ like a charge (T2, an invoice with a negative taxable subtotal)', () => {
    expect(consumptionTax(-3000)).toBe(-300);
    expect(consumptionTax(-19)).toBe(-2);
    expect(consumptionTax(-3001)).toBe(-301);
    expect(consumptionTax(-1)).toBe(-1);
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER])('refuses %p (not exact integer yen)', (amount) => {
    expect(() => consumptionTax(amount)).toThrow(RangeError);
  });

  it('equals floor(amount × 10 / 100) in exact integer arithmetic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 14 }), (amount) => {
        const tax = consumptionTax(amount);
        expect(Number.isSafeInteger(tax)).toBe(true);
        expect(BigInt(tax)).toBe((BigInt(amount) * 10n) / 100n);
      }),
    );
  });
});

describe('termination fee tax (Decision T3)', () => {
  it('is 0 (不課税) unless the setting makes the fee taxable', () => {
    expect(terminationFeeTax(33000, { taxable: false })).toBe(0);
    expect(terminationFeeTax(33000, { taxable: true })).toBe(3300);
    expect(terminationFeeTax(0, { taxable: true })).toBe(0);
  });
});
