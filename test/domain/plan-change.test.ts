import type { LocalDate } from '../../functions/domain/calendar';
import { monthlyCharges } from '../../functions/domain/charges/monthly-charges';
import { planOn, primePlusSince, type Contract, type Plan, type Services } from '../../functions/domain/contract';
import { renewalDueMonth, withCancellation, withPlanChange } from '../../functions/domain/contract-lifecycle';
import type { Reason } from '../../functions/domain/reasons';
import { checkPlanChange } from '../../functions/domain/rules/contract-rules';
import { SHIPPED_CATALOG } from '../../functions/domain/tariff/catalog';
import { aContract } from './fixtures';

/** docs/terms.md §7, PC1–PC6, at their boundaries. */
const catalog = SHIPPED_CATALOG;
const untaxed = { taxable: false };
const codes = (reasons: Reason[]) => reasons.map((r) => r.code);
const fieldsOf = (reasons: Reason[]) => reasons.flatMap((r) => (r.fields ?? []).map((f) => f.path));

const prime10: Plan = { code: 'prime', tier: 10 };
const primePlus10: Plan = { code: 'prime-plus', tier: 10 };
const primePlus50: Plan = { code: 'prime-plus', tier: 50 };
const none: Plan = { code: 'none' };
const edr8: Services = { edrSecurity: { terminals: 8 } };
const gateway: Services = { gatewaySecurity: { tier: 10, failureSupport24h: true } };

/** A Prime contract of 2023 (before the closure), the main path of this terms change. */
const primeContract = (overrides: Partial<Contract> = {}) =>
  aContract({ plan: prime10, services: {}, startDate: '2023-06-01', appliedAt: '2023-05-20T10:00:00+09:00', ...overrides });
const primePlusContract = (overrides: Partial<Contract> = {}) => aContract({ plan: primePlus10, services: edr8, startDate: '2024-05-10', ...overrides });

const change = (requestedAt: string, plan: Plan, services: Services, effectiveDate?: LocalDate) => ({
  orderId: 'ORD-PC',
  requestedAt,
  effectiveDate: effectiveDate ?? (requestedAt.slice(0, 10) as LocalDate),
  plan,
  services,
});

describe('PC2: Prime stays closed to moves into it (※13), judged on requestedAt in JST', () => {
  const plusContract = aContract({ plan: primePlus10, services: edr8, startDate: '2023-12-05', appliedAt: '2023-12-04T10:00:00+09:00' });
  it.each([
    ['2023-12-28T14:59:00Z', []], // 23:59 JST on the 28th
    ['2023-12-28T23:59:00+09:00', []],
    ['2023-12-28T15:00:00Z', ['PRIME_PLAN_CLOSED']], // 00:00 JST on the 29th
    ['2023-12-29T00:00:00+09:00', ['PRIME_PLAN_CLOSED']],
  ])('Prime Plus → Prime requested at %s: %j', (requestedAt, expected) => {
    const reasons = checkPlanChange(catalog, plusContract, change(requestedAt, prime10, {}, '2023-12-31'));
    expect(codes(reasons)).toEqual(expected);
  });

  it('none → Prime after the closure is refused; a tier change within Prime is not a new application', () => {
    const plain = aContract({ plan: none, services: gateway, startDate: '2023-06-01', appliedAt: '2023-05-20T10:00:00+09:00' });
    expect(codes(checkPlanChange(catalog, plain, change('2024-06-01T09:00:00+09:00', prime10, {})))).toEqual(['PRIME_PLAN_CLOSED']);
    expect(checkPlanChange(catalog, primeContract(), change('2024-06-01T09:00:00+09:00', { code: 'prime', tier: 50 }, {}))).toEqual([]);
  });
});

describe('PC3: into Prime Plus, not before 2023-12-01 (R6), term 1 from the effective date', () => {
  it.each([
    // Both Prime Plus and the EDR it is sold with were not offered yet: every reason at once.
    ['2023-11-30T23:59:00+09:00', ['PRODUCT_NOT_AVAILABLE', 'PRODUCT_NOT_AVAILABLE']],
    ['2023-11-30T15:00:00Z', []], // 2023-12-01 00:00 JST
    ['2023-12-01T09:00:00+09:00', []],
  ])('Prime → Prime Plus requested at %s: %j', (requestedAt, expected) => {
    expect(codes(checkPlanChange(catalog, primeContract(), change(requestedAt, primePlus10, edr8, '2023-12-15')))).toEqual(expected);
  });

  it('starts term 1 on the effective date and reckons the fee from it (※15(2))', () => {
    const { contract, terminationFee } = withPlanChange(
      primeContract(),
      change('2024-06-20T09:00:00+09:00', primePlus10, edr8, '2024-07-01'),
      catalog,
      untaxed,
    );
    expect(terminationFee).toBeNull();
    expect(contract.term).toEqual({ number: 1, start: '2024-07-01', end: '2025-06-30', renewalMonth: '2025-06' });
    expect(primePlusSince(contract)).toBe('2024-07-01');
    expect(renewalDueMonth(contract)).toBe('2025-06');
    // Cancelled in month 2 of that term: 10 months of basic fee ①.
    const cancelled = withCancellation(contract, { orderId: 'ORD-C', requestedAt: '2024-08-01T09:00:00+09:00', effectiveDate: '2024-08-31' }, catalog, untaxed);
    expect(cancelled.cancellation?.terminationFee).toMatchObject({ remainingMonths: 10, amount: 30000 });
  });

  it('R3–R5 apply to the plan and services requested', () => {
    const reasons = checkPlanChange(catalog, primeContract(), change('2024-06-01T09:00:00+09:00', primePlus10, { endpointSecurity: { terminals: 2 } }));
    expect(codes(reasons)).toEqual(['EDR_ENDPOINT_CONFLICT']);
    const onPrime = checkPlanChange(catalog, primeContract(), change('2024-06-01T09:00:00+09:00', { code: 'prime', tier: 50 }, edr8));
    expect(codes(onPrime)).toEqual(['EDR_PRIME_CONFLICT']);
  });
});

describe('PC4: leaving Prime Plus is a mid-term termination (L2 fee)', () => {
  // Start 2024-05-10: months 2024-05 … 2025-04; renewal month 2025-04.
  it.each([
    ['2025-03-15', 11, 1, 3000],
    ['2025-04-01', 12, 0, 0],
    ['2025-04-30', 12, 0, 0],
    ['2024-05-10', 1, 11, 33000],
  ])('effective %s (month %i of the term): %i months, %i yen', (effectiveDate, _month, remainingMonths, amount) => {
    const { contract, terminationFee } = withPlanChange(
      primePlusContract(),
      change('2024-05-10T09:00:00+09:00', none, gateway, effectiveDate as LocalDate),
      catalog,
      untaxed,
    );
    expect(terminationFee).toMatchObject({ remainingMonths, amount, clause: '別紙7 ※11', taxable: false });
    expect(contract.term).toBeNull();
    expect(renewalDueMonth(contract)).toBeNull();
  });

  it('asked in the renewal month, effective after the term’s end: the renewal stops and nothing is owed (L5)', () => {
    const { terminationFee } = withPlanChange(primePlusContract(), change('2025-04-20T09:00:00+09:00', none, gateway, '2025-05-15'), catalog, untaxed);
    expect(terminationFee).toMatchObject({ remainingMonths: 0, amount: 0 });
  });

  it('asked on the first day of the renewed term, it costs that term’s fee', () => {
    const { terminationFee } = withPlanChange(primePlusContract(), change('2025-05-01T00:00:00+09:00', none, gateway, '2025-05-15'), catalog, untaxed);
    expect(terminationFee).toMatchObject({ remainingMonths: 11, amount: 33000 });
  });
});

describe('PC5: a tier change within Prime Plus keeps the term and costs nothing', () => {
  it('keeps term and reckoning date', () => {
    const before = primePlusContract();
    const { contract, terminationFee } = withPlanChange(before, change('2024-08-01T09:00:00+09:00', primePlus50, edr8), catalog, untaxed);
    expect(terminationFee).toBeNull();
    expect(contract.term).toEqual(before.term);
    expect(primePlusSince(contract)).toBe('2024-05-10');
    expect(contract.version).toBe(before.version + 1);
    expect(contract.history.at(-1)).toMatchObject({ type: 'ContractPlanChanged', plan: primePlus50, previousPlan: primePlus10, effectiveDate: '2024-08-01' });
  });
});

describe('PC1 and the refusals of interface §1.1', () => {
  const contract = primePlusContract();
  it('refuses an effective date before the request, a change to what the contract has, a missing tier', () => {
    expect(fieldsOf(checkPlanChange(catalog, contract, change('2024-08-10T09:00:00+09:00', primePlus50, edr8, '2024-08-09')))).toEqual(['effectiveDate']);
    expect(
      fieldsOf(
        checkPlanChange(catalog, contract, change('2024-08-10T09:00:00+09:00', primePlus10, { edrSecurity: { terminals: 8 }, cloudProxy: { users: 0 } })),
      ),
    ).toEqual(['plan']);
    expect(fieldsOf(checkPlanChange(catalog, contract, change('2024-08-10T09:00:00+09:00', { code: 'prime-plus' }, edr8)))).toEqual(['plan.tier']);
  });

  it('refuses a date after the cancellation takes effect, and any change on a cancelled contract', () => {
    const cancelling = withCancellation(
      contract,
      { orderId: 'ORD-C', requestedAt: '2024-08-01T09:00:00+09:00', effectiveDate: '2024-09-30' },
      catalog,
      untaxed,
    );
    expect(fieldsOf(checkPlanChange(catalog, cancelling, change('2024-08-10T09:00:00+09:00', primePlus50, edr8, '2024-10-01')))).toEqual(['effectiveDate']);
    expect(checkPlanChange(catalog, cancelling, change('2024-08-10T09:00:00+09:00', primePlus50, edr8, '2024-09-30'))).toEqual([]);
    expect(codes(checkPlanChange(catalog, cancelling, change('2024-10-01T09:00:00+09:00', primePlus50, edr8)))).toEqual(['CONTRACT_NOT_LIVE']);
  });

  it('a later change may not take effect before an earlier one', () => {
    const first = withPlanChange(contract, change('2024-08-01T09:00:00+09:00', primePlus50, edr8, '2024-09-01'), catalog, untaxed).contract;
    expect(fieldsOf(checkPlanChange(catalog, first, change('2024-08-02T09:00:00+09:00', primePlus10, edr8, '2024-08-15')))).toEqual(['effectiveDate']);
  });
});

describe('PC6: the month of a change splits at the effective date', () => {
  // Prime (2024-04 tariff: 17,000 + basic fee ① 3,000 placeholder) → Prime Plus 10 (19,000, EDR 8: 3 over the 5 included).
  const moved = (effectiveDate: LocalDate) =>
    withPlanChange(primeContract(), change('2024-06-20T09:00:00+09:00', primePlus10, edr8, effectiveDate), catalog, untaxed).contract;
  const items = (contract: Contract, month: '2024-07' | '2024-06') =>
    monthlyCharges(catalog, contract, month)
      .lines.filter((l) => l.kind === 'monthly')
      .map((l) => [l.item, l.amount]);

  it('a change effective on the 1st charges the new plan for the whole month', () => {
    expect(items(moved('2024-07-01'), '2024-07')).toEqual([
      ['primePlus.10', 19000],
      ['edrSecurity', 3300],
    ]);
    expect(items(moved('2024-07-01'), '2024-06')).toEqual([
      ['prime.10', 17000],
      ['basicFee.withGateway', 3000],
    ]);
  });

  it('mid-month: the old plan to the day before, the new one from the effective date (C1 proration)', () => {
    // 2024-07-16: 15 days of Prime, 16 days of Prime Plus, of 31.
    expect(items(moved('2024-07-16'), '2024-07')).toEqual([
      ['prime.10', Math.floor((17000 * 15) / 31)],
      ['basicFee.withGateway', Math.floor((3000 * 15) / 31)],
      ['primePlus.10', Math.floor((19000 * 16) / 31)],
      ['edrSecurity', Math.floor((3300 * 16) / 31)],
    ]);
    expect(planOn(moved('2024-07-16'), '2024-07-15')).toEqual(prime10);
    expect(planOn(moved('2024-07-16'), '2024-07-16')).toEqual(primePlus10);
  });

  it('the PC4 fee is a 不課税 line of the bill of its effective month, outside the taxable subtotal (T2, T3)', () => {
    const { contract } = withPlanChange(primePlusContract(), change('2024-08-01T09:00:00+09:00', none, gateway, '2024-08-01'), catalog, untaxed);
    const august = monthlyCharges(catalog, contract, '2024-08');
    const fee = august.lines.find((l) => l.kind === 'termination-fee');
    expect(fee).toMatchObject({ amount: 3000 * 8, taxable: false, taxLabel: '不課税', date: '2024-08-01', orderId: 'ORD-PC' });
    expect(august.tax.taxableSubtotal).toBe(august.subtotal - 24000);
    expect(august.tax.total).toBe(august.subtotal + august.tax.consumptionTax);
  });
});
