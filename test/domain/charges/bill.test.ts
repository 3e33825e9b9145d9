import fc from 'fast-check';
import { billTotals, terminationFeeLine, type BillLine } from '../../../functions/domain/charges/bill';
import { consumptionTax } from '../../../functions/domain/tax';

/** docs/terms.md T2: consumption tax once per bill, on the taxable subtotal, rounded down. */
const line = (amount: number): BillLine => ({ kind: 'monthly', item: 'edrSecurity', label: 'EDR', quantity: 1, unitPrice: amount, amount, clause: '別紙7' });
const fee = (amount: number, taxable: boolean) =>
  terminationFeeLine(
    {
      amount,
      basicFee: 3000,
      remainingMonths: amount / 3000,
      revision: '2024-04-01',
      clause: '別紙7 ※11',
      taxable,
      amountIncludingTax: amount,
      placeholder: true,
    },
    { date: '2024-07-31', orderId: 'ORD-C' },
    '解約金',
  );

describe('billTotals', () => {
  it('two lines of 5 yen: 1 yen of tax on the bill, where per-line rounding would give 0', () => {
    const bill = billTotals([line(5), line(5)]);
    expect(bill.tax).toEqual({ ratePercent: 10, taxableSubtotal: 10, consumptionTax: 1, total: 11 });
    expect(consumptionTax(5) + consumptionTax(5)).toBe(0);
  });

  it('an ordinary bill on which the two roundings differ by a yen: 13,483 + 2,341 prorated yen', () => {
    const bill = billTotals([line(13483), line(2341)]);
    expect(bill.tax.consumptionTax).toBe(1582); // 15,824 × 10% = 1,582.4
    expect(consumptionTax(13483) + consumptionTax(2341)).toBe(1348 + 234);
    expect(bill.tax.total).toBe(15824 + 1582);
  });

  it('9 + 9 + 9 yen: 2 yen once, 0 per line', () => {
    expect(billTotals([line(9), line(9), line(9)]).tax.consumptionTax).toBe(2);
  });

  it('a 不課税 termination fee is in the total but not the taxable subtotal (T3); a taxable one is in both', () => {
    const untaxed = billTotals([line(19000), fee(24000, false)]);
    expect(untaxed).toMatchObject({ subtotal: 43000, tax: { taxableSubtotal: 19000, consumptionTax: 1900, total: 44900 }, placeholders: true });
    expect(untaxed.lines[1]).toMatchObject({ kind: 'termination-fee', taxLabel: '不課税', quantity: 8, unitPrice: 3000 });
    expect(billTotals([line(19000), fee(24000, true)]).tax).toMatchObject({ taxableSubtotal: 43000, consumptionTax: 4300, total: 47300 });
  });

  it('an empty bill is 0 throughout', () => {
    expect(billTotals([])).toEqual({ lines: [], subtotal: 0, tax: { ratePercent: 10, taxableSubtotal: 0, consumptionTax: 0, total: 0 }, placeholders: false });
  });

  it('tax is floor(10% of the taxable sum), never below the per-line sum, never a yen more per line', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 30 }), (amounts) => {
        const bill = billTotals(amounts.map(line));
        const sum = amounts.reduce((a, b) => a + b, 0);
        expect(bill.tax.consumptionTax).toBe(Math.floor(sum / 10));
        const perLine = amounts.reduce((t, a) => t + consumptionTax(a), 0);
        expect(bill.tax.consumptionTax).toBeGreaterThanOrEqual(perLine);
        expect(bill.tax.consumptionTax - perLine).toBeLessThan(Math.max(1, amounts.length));
      }),
    );
  });
});
