import type { LocalDate } from '../../../functions/domain/calendar';
import fc from 'fast-check';
import { addDays, monthOf, monthsBetween } from '../../../functions/domain/calendar';
import { terminationFee } from '../../../functions/domain/fees/termination-fee';
import { SHIPPED_CATALOG } from '../../../functions/domain/tariff/catalog';
import { applyOverrides } from '../../../functions/domain/tariff/versioned-tariff';
import { aContract, noFee } from '../fixtures';

const notTaxable = { taxable: false };
/** A request taking effect on the day it is made. */
const sameDay = (date: string) => ({ requestedOn: date as LocalDate, effectiveDate: date as LocalDate });
const shippedBasicFee = SHIPPED_CATALOG[2].prices['basicFee.withGateway']!.amount;

// Basic fee ① differs per revision here, so that the revision used shows in the amount (P2).
const catalog = applyOverrides(SHIPPED_CATALOG, {
  revisions: { '2023-12-01': { 'basicFee.withGateway': 2500 }, '2024-04-01': { 'basicFee.withGateway': 3200 } },
});

describe('terminationFee (別紙7 ※11, Decision L2)', () => {
  const contract = aContract({ startDate: '2024-05-10' }); // term 1: 2024-05-10..2025-04-30

  it('cancelling in month 1 costs 11 months of basic fee ①, with its parts', () => {
    expect(terminationFee(SHIPPED_CATALOG, contract, sameDay('2024-05-10'), notTaxable)).toEqual({
      amount: shippedBasicFee * 11,
      basicFee: shippedBasicFee,
      remainingMonths: 11,
      revision: '2024-04-01',
      clause: '別紙7 ※11',
      taxable: false,
      amountIncludingTax: shippedBasicFee * 11,
      placeholder: true,
    });
  });

  it.each([
    ['2024-05-31', 11],
    ['2024-06-01', 10],
    ['2025-03-31', 1],
    ['2025-04-01', 0], // the renewal month costs nothing
    ['2025-04-30', 0],
    ['2025-05-01', 11], // month 1 of the renewed term
    ['2026-04-30', 0],
  ])('effective %s leaves %i months', (date, months) => {
    const fee = terminationFee(catalog, contract, sameDay(date), notTaxable);
    expect(fee.remainingMonths).toBe(months);
    expect(fee.amount).toBe(3200 * months);
  });

  it('uses basic fee ① in force on the effective date: 2024-03-31 vs 2024-04-01 (P2)', () => {
    const started = aContract({ startDate: '2023-12-10', appliedAt: '2023-12-05T10:00:00+09:00' }); // months 2023-12..2024-11
    expect(terminationFee(catalog, started, sameDay('2024-03-31'), notTaxable)).toMatchObject({
      revision: '2023-12-01',
      basicFee: 2500,
      remainingMonths: 8,
      amount: 20000,
      placeholder: false,
    });
    expect(terminationFee(catalog, started, sameDay('2024-04-01'), notTaxable)).toMatchObject({
      revision: '2024-04-01',
      basicFee: 3200,
      remainingMonths: 7,
      amount: 22400,
    });
  });

  it('is 不課税 by default and taxed at 10% rounded down when the operator says so (T3)', () => {
    const odd = applyOverrides(SHIPPED_CATALOG, { prices: { 'basicFee.withGateway': 1001 } });
    expect(terminationFee(odd, contract, sameDay('2025-02-10'), notTaxable)).toMatchObject({ amount: 2002, amountIncludingTax: 2002, taxable: false });
    expect(terminationFee(odd, contract, sameDay('2025-02-10'), { taxable: true })).toMatchObject({ amount: 2002, amountIncludingTax: 2202, taxable: true });
  });

  it.each([
    ['none', { code: 'none' as const }],
    ['prime', { code: 'prime' as const, tier: 50 as const }],
  ])('costs nothing for plan %s (no minimum term)', (_code, plan) => {
    expect(terminationFee(SHIPPED_CATALOG, aContract({ plan, startDate: '2023-12-10' }), sameDay('2024-04-01'), notTaxable)).toEqual(noFee());
  });

  it('costs nothing for a withdrawal taking effect before the start date', () => {
    expect(terminationFee(catalog, contract, sameDay('2024-05-09'), notTaxable)).toMatchObject({ amount: 0, remainingMonths: 0, revision: '2024-04-01' });
  });
});

describe('a request to leave stops the renewal (Decision L5)', () => {
  // Term 1 of a 2024-01-10 start: 2024-01-10..2024-12-31, renewal month 2024-12.
  const january = aContract({ startDate: '2024-01-10', appliedAt: '2024-01-05T10:00:00+09:00' });
  const fee = (requestedOn: string, effectiveDate: string) =>
    terminationFee(catalog, january, { requestedOn: requestedOn as LocalDate, effectiveDate: effectiveDate as LocalDate }, notTaxable);

  it.each([
    ['2024-12-05', '2025-01-15', 0, 'asked in the renewal month, effective in what would have been the next term'],
    ['2024-12-31', '2025-01-01', 0, "asked on the renewal month's last day"],
    ['2024-03-01', '2025-06-30', 0, 'asked early in the term, effective long after its end'],
    ['2024-12-31', '2024-12-31', 0, "effective on the term's last day"],
    ['2024-11-30', '2024-11-30', 1, 'effective in month 11'],
    ['2025-01-01', '2025-01-15', 11, 'asked on the first day of the new term: it belongs to that term'],
    ['2025-01-01', '2026-01-01', 0, 'asked in the new term, effective after its end'],
  ])('asked %s, effective %s: %i months (%s)', (requestedOn, effectiveDate, months) => {
    expect(fee(requestedOn, effectiveDate)).toMatchObject({ remainingMonths: months, amount: 3200 * months });
  });
});

describe('properties', () => {
  const aStart = fc.integer({ min: 0, max: 365 * 5 }).map((n) => addDays('2023-12-01', n));
  const anOffset = fc.integer({ min: 0, max: 365 * 5 });
  const aBasicFee = fc.integer({ min: 0, max: 100_000 });

  it('remaining months are within 0..11 and the fee is basic fee ① × remaining months', () => {
    fc.assert(
      fc.property(aStart, anOffset, aBasicFee, fc.boolean(), (startDate, offset, basic, taxable) => {
        const priced = applyOverrides(SHIPPED_CATALOG, { prices: { 'basicFee.withGateway': basic } });
        const fee = terminationFee(priced, aContract({ startDate }), sameDay(addDays(startDate, offset)), { taxable });
        expect(fee.remainingMonths).toBeGreaterThanOrEqual(0);
        expect(fee.remainingMonths).toBeLessThanOrEqual(11);
        // Independently of the term functions: months since the start month, counted in years of 12.
        expect(fee.remainingMonths).toBe(11 - (monthsBetween(monthOf(startDate), monthOf(addDays(startDate, offset))) % 12));
        expect(fee.basicFee).toBe(basic);
        expect(fee.amount).toBe(basic * fee.remainingMonths);
        expect(fee.amountIncludingTax).toBe(taxable ? fee.amount + Math.floor(fee.amount / 10) : fee.amount);
      }),
    );
  });
});
