import type { LocalDate, YearMonth } from '../../../functions/domain/calendar';
import fc from 'fast-check';
import { addDays, addMonths, monthOf } from '../../../functions/domain/calendar';
import { monthlyCharges, servicesForMonth, type MonthlyCharges } from '../../../functions/domain/charges/monthly-charges';
import type { Contract, HistoryEntry, PlanCode, Services, Tier } from '../../../functions/domain/contract';
import { FieldRefusal, NotChargeableError, TariffNotInForceError } from '../../../functions/domain/errors';
import { SHIPPED_CATALOG } from '../../../functions/domain/tariff/catalog';
import { applyOverrides } from '../../../functions/domain/tariff/versioned-tariff';
import { aCancellation, aContract, aCustomer } from '../fixtures';

const catalog = SHIPPED_CATALOG;

const cancellation = (effectiveDate: LocalDate) => aCancellation(effectiveDate);

function change(at: string, services: Services): HistoryEntry {
  return { at, type: 'ContractServicesChanged', orderId: `ORD-${at}`, summary: 'サービス変更', services };
}

/** item → [quantity, unitPrice, amount], to state a bill in one line. */
function bill(charges: MonthlyCharges): Record<string, [number, number, number]> {
  return Object.fromEntries(charges.lines.map((l) => [l.item, [l.quantity, l.unitPrice, l.amount]]));
}

const primePlus = (overrides: Partial<Contract> = {}) =>
  aContract({
    plan: { code: 'prime-plus', tier: 10 },
    startDate: '2024-05-10',
    services: {
      edrSecurity: { terminals: 8 },
      cloudProxy: { users: 2 },
      elgana: { ids: 5 },
      gatewaySecurity: { tier: 10, failureSupport24h: true },
      cloudSandbox: { terminals: 20 },
    },
    ...overrides,
  });

describe('Prime Plus: bundle and quantities above it (※11, Decision B1)', () => {
  it('charges the plan and only the EDR terminals above the 5 included', () => {
    const charges = monthlyCharges(catalog, primePlus(), '2024-06');
    expect(charges).toMatchObject({ month: '2024-06', revision: '2024-04-01', subtotal: 22300, placeholders: false });
    expect(bill(charges)).toEqual({ 'primePlus.10': [1, 19000, 19000], edrSecurity: [3, 1100, 3300] });
    expect(charges.lines.find((l) => l.item === 'edrSecurity')).toMatchObject({ includedQuantity: 5, clause: '別紙7 ※12 ※14' });
    expect(charges.lines.find((l) => l.item === 'primePlus.10')?.clause).toMatch(/※11/);
  });

  it('charges cloud proxy above 2 users and elgana above 5 IDs at their (placeholder) unit prices, flagged', () => {
    const contract = primePlus({
      plan: { code: 'prime-plus', tier: 50 },
      services: { edrSecurity: { terminals: 5 }, cloudProxy: { users: 3 }, elgana: { ids: 7 } },
    });
    const charges = monthlyCharges(catalog, contract, '2024-06');
    expect(bill(charges)).toEqual({ 'primePlus.50': [1, 21000, 21000], cloudProxy: [1, 500, 500], elgana: [2, 300, 600] });
    expect(charges.lines.filter((l) => l.placeholder).map((l) => l.item)).toEqual(['cloudProxy', 'elgana']);
    expect(charges.placeholders).toBe(true);
    expect(charges.subtotal).toBe(22100);
  });

  it('charges no basic fee, gateway or cloud sandbox on top of the plan', () => {
    const items = monthlyCharges(catalog, primePlus(), '2024-07').lines.map((l) => l.item);
    expect(items.some((i) => i.startsWith('gatewaySecurity') || i === 'cloudSandbox' || i.startsWith('basicFee'))).toBe(false);
  });

  it('a missing tier is refused with its field', () => {
    const contract = primePlus({ plan: { code: 'prime-plus' } });
    expect(() => monthlyCharges(catalog, contract, '2024-06')).toThrow(FieldRefusal);
  });
});

describe('no package plan: basic fee ① or ②, ※4', () => {
  const gatewayContract = (failureSupport24h: boolean, overrides: Partial<Contract> = {}) =>
    aContract({
      plan: { code: 'none' },
      startDate: '2023-10-01',
      appliedAt: '2023-09-20T10:00:00+09:00',
      customer: aCustomer({ kind: 'individual', name: '山田太郎' }),
      billing: { method: 'invoice' },
      services: { gatewaySecurity: { tier: 50, failureSupport24h }, endpointSecurity: { terminals: 10 }, cloudSandbox: { terminals: 3 } },
      ...overrides,
    });

  it('2023-11 (until 2023-11-30): ① + gateway less ※4 + endpoint + sandbox, no invoice fee yet', () => {
    const charges = monthlyCharges(catalog, gatewayContract(false), '2023-11');
    expect(charges.revision).toBe('baseline');
    expect(bill(charges)).toEqual({
      'basicFee.withGateway': [1, 3000, 3000],
      'gatewaySecurity.50': [1, 7000, 7000],
      endpointSecurity: [10, 500, 5000],
      cloudSandbox: [3, 1000, 3000],
    });
    expect(charges.lines.find((l) => l.item === 'gatewaySecurity.50')).toMatchObject({ discount: { perUnit: 3000, clause: '別紙7 ※4' } });
    expect(charges.lines.find((l) => l.item === 'basicFee.withGateway')?.placeholder).toBe(true);
    expect(charges.exemptions).toEqual([]);
    expect(charges.subtotal).toBe(18000);
  });

  it('2023-12 (from 2023-12-01): invoice billing of an individual adds issuance and collection fees (別紙12)', () => {
    const charges = monthlyCharges(catalog, gatewayContract(false), '2023-12');
    expect(charges.revision).toBe('2023-12-01');
    expect(bill(charges)).toMatchObject({ 'invoice.issuance': [1, 150, 150], 'invoice.collection': [1, 50, 50] });
    expect(charges.subtotal).toBe(18200);
    expect(charges.tax).toEqual({ ratePercent: 10, taxableSubtotal: 18200, consumptionTax: 1820, total: 18200 + 1820 });
  });

  it('2024-03 / 2024-04: the April revision’s prices apply from the April bill', () => {
    expect(monthlyCharges(catalog, gatewayContract(false), '2024-03').subtotal).toBe(18200);
    const april = monthlyCharges(catalog, gatewayContract(false), '2024-04');
    expect(april.revision).toBe('2024-04-01');
    expect(bill(april)).toMatchObject({
      'gatewaySecurity.50': [1, 8000, 8000],
      endpointSecurity: [10, 600, 6000],
      cloudSandbox: [3, 1100, 3300],
    });
    expect(april.subtotal).toBe(3000 + 8000 + 6000 + 3300 + 200);
  });

  it('with 24-hour failure support the gateway is at the full price, no discount', () => {
    const line = monthlyCharges(catalog, gatewayContract(true), '2024-04').lines.find((l) => l.item === 'gatewaySecurity.50');
    expect(line).toMatchObject({ unitPrice: 11000, amount: 11000 });
    expect(line?.discount).toBeUndefined();
  });

  it.each<[string, Services, string[]]>([
    ['endpoint only', { endpointSecurity: { terminals: 3 } }, ['basicFee.withoutGateway', 'endpointSecurity']],
    ['EDR only', { edrSecurity: { terminals: 3 } }, ['basicFee.withoutGateway', 'edrSecurity']],
    ['cloud proxy only', { cloudProxy: { users: 4 } }, ['basicFee.withoutGateway', 'cloudProxy']],
    ['cloud sandbox only', { cloudSandbox: { terminals: 2 } }, ['cloudSandbox']],
    ['elgana only', { elgana: { ids: 2 } }, ['elgana']],
    ['counts of 0', { endpointSecurity: { terminals: 0 }, cloudProxy: { users: 0 } }, []],
    [
      'gateway and endpoint',
      { gatewaySecurity: { tier: 10, failureSupport24h: true }, endpointSecurity: { terminals: 1 } },
      ['basicFee.withGateway', 'gatewaySecurity.10', 'endpointSecurity'],
    ],
  ])('%s: basic fee per 別紙7 ※1', (_name, services, items) => {
    const contract = aContract({ plan: { code: 'none' }, startDate: '2024-01-01', services });
    expect(monthlyCharges(catalog, contract, '2024-02').lines.map((l) => l.item)).toEqual(items);
  });

  it('with the operator’s basic fee set, nothing is a placeholder', () => {
    const configured = applyOverrides(catalog, { prices: { 'basicFee.withGateway': 2500 } });
    const charges = monthlyCharges(configured, gatewayContract(true), '2024-05');
    expect(bill(charges)['basicFee.withGateway']).toEqual([1, 2500, 2500]);
    expect(charges.placeholders).toBe(false);
    expect(charges.lines.some((l) => l.placeholder)).toBe(false);
  });
});

describe('Prime', () => {
  const prime = (tier: Tier) =>
    aContract({
      plan: { code: 'prime', tier },
      startDate: '2023-06-01',
      appliedAt: '2023-05-25T10:00:00+09:00',
      services: { gatewaySecurity: { tier, failureSupport24h: false }, endpointSecurity: { terminals: 20 } },
    });

  it('the plan covers the gateway (no ※4), basic fee ① on top (lead’s decision)', () => {
    const charges = monthlyCharges(catalog, prime(50), '2023-11');
    expect(bill(charges)).toEqual({ 'prime.50': [1, 17000, 17000], 'basicFee.withGateway': [1, 3000, 3000], endpointSecurity: [20, 500, 10000] });
  });

  it.each([
    ['2023-11', 'baseline', 23000],
    ['2023-12', '2023-12-01', 23000],
    ['2024-03', '2023-12-01', 23000],
    ['2024-04', '2024-04-01', 26000],
  ])('%s uses revision %s (Prime 100: %i)', (month, revision, price) => {
    const charges = monthlyCharges(catalog, prime(100), month as YearMonth);
    expect(charges.revision).toBe(revision);
    expect(bill(charges)['prime.100']).toEqual([1, price, price]);
  });
});

describe('services of the month (Decision C2)', () => {
  const created = { edrSecurity: { terminals: 8 } };
  const raised = { edrSecurity: { terminals: 12 } };

  it('a change made on the last day of the month (23:59 JST) counts for that whole month', () => {
    const contract = primePlus({ services: raised, history: [{ ...primePlus().history[0], services: created }, change('2024-06-30T23:59:00+09:00', raised)] });
    expect(bill(monthlyCharges(catalog, contract, '2024-05')).edrSecurity?.[0]).toBe(3);
    expect(bill(monthlyCharges(catalog, contract, '2024-06')).edrSecurity?.[0]).toBe(7);
    expect(bill(monthlyCharges(catalog, contract, '2024-06')).edrSecurity?.[2]).toBe(7700); // not prorated
  });

  it('a change at 00:00 JST on the 1st (15:00Z the day before) counts from the next month', () => {
    const contract = primePlus({ services: raised, history: [{ ...primePlus().history[0], services: created }, change('2024-06-30T15:00:00Z', raised)] });
    expect(servicesForMonth(contract, '2024-06')).toEqual(created);
    expect(servicesForMonth(contract, '2024-07')).toEqual(raised);
  });

  it('the last of several changes in a month wins', () => {
    const contract = primePlus({
      history: [primePlus().history[0], change('2024-06-03T10:00:00+09:00', { edrSecurity: { terminals: 20 } }), change('2024-06-20T10:00:00+09:00', raised)],
    });
    expect(servicesForMonth(contract, '2024-06')).toEqual(raised);
    expect(servicesForMonth(contract, '2024-05')).toEqual(primePlus().services);
  });
});

describe('part months (Decision C1)', () => {
  it('the start month is prorated by live days, the start date counted', () => {
    const charges = monthlyCharges(catalog, primePlus(), '2024-05');
    expect(bill(charges)).toEqual({ 'primePlus.10': [1, 19000, 13483], edrSecurity: [3, 1100, 2341] });
    expect(charges.lines[0].prorated).toEqual({ liveDays: 22, daysInMonth: 31, fullAmount: 19000 });
    expect(charges.subtotal).toBe(13483 + 2341);
  });

  it('a start on the 1st is a whole month, not prorated', () => {
    const charges = monthlyCharges(catalog, primePlus({ startDate: '2024-05-01' }), '2024-05');
    expect(charges.lines.every((l) => l.prorated === undefined)).toBe(true);
    expect(charges.subtotal).toBe(22300);
  });

  it('a start on 31 Jan is one day of 31', () => {
    const charges = monthlyCharges(catalog, primePlus({ startDate: '2024-01-31' }), '2024-01');
    expect(bill(charges)['primePlus.10']).toEqual([1, 19000, 612]); // 612.9
  });

  it('a start on 29 Feb is one day of 29', () => {
    const charges = monthlyCharges(catalog, primePlus({ startDate: '2024-02-29' }), '2024-02');
    expect(charges.lines[0].prorated).toEqual({ liveDays: 1, daysInMonth: 29, fullAmount: 19000 });
    expect(charges.lines[0].amount).toBe(655); // 655.17
  });

  it('the cancellation month is prorated up to and including the effective date; later months are not chargeable', () => {
    const contract = primePlus({ cancellation: cancellation('2024-07-15') });
    expect(monthlyCharges(catalog, contract, '2024-06').subtotal).toBe(22300);
    const july = monthlyCharges(catalog, contract, '2024-07');
    expect(july.lines[0]).toMatchObject({ amount: 9193, prorated: { liveDays: 15, daysInMonth: 31, fullAmount: 19000 } });
    expect(() => monthlyCharges(catalog, contract, '2024-08')).toThrow(NotChargeableError);
  });

  it('a cancellation effective on the 1st leaves one day; on the last day a whole month', () => {
    expect(monthlyCharges(catalog, primePlus({ cancellation: cancellation('2024-03-01'), startDate: '2024-01-31' }), '2024-03').lines[0].amount).toBe(612);
    const whole = monthlyCharges(catalog, primePlus({ cancellation: cancellation('2024-02-29'), startDate: '2024-01-31' }), '2024-02');
    expect(whole.lines[0].amount).toBe(19000);
    expect(whole.lines[0].prorated).toBeUndefined();
  });

  it('start and cancellation in the same month count the days between, both included', () => {
    const contract = primePlus({ startDate: '2024-02-10', cancellation: cancellation('2024-02-29') });
    expect(monthlyCharges(catalog, contract, '2024-02').lines[0].prorated).toEqual({ liveDays: 20, daysInMonth: 29, fullAmount: 19000 });
  });

  it('a month before the start is not chargeable', () => {
    expect(() => monthlyCharges(catalog, primePlus(), '2024-04')).toThrow(NotChargeableError);
  });

  it('a contract cancelled before it started is never chargeable', () => {
    const contract = primePlus({ startDate: '2024-05-10', cancellation: cancellation('2024-05-09') });
    expect(() => monthlyCharges(catalog, contract, '2024-05')).toThrow(NotChargeableError);
  });

  it('a malformed month is refused with its field; a month before the first revision is an error', () => {
    expect(() => monthlyCharges(catalog, primePlus(), '2024-5')).toThrow(FieldRefusal);
    expect(() => monthlyCharges(catalog, primePlus({ startDate: '2010-01-01' }), '2014-03')).toThrow(TariffNotInForceError);
  });
});

describe('invoice fees (別紙12) and their exemptions', () => {
  const individual = (method: 'invoice' | 'account-transfer' | 'credit-card', startDate: LocalDate = '2023-12-15') =>
    aContract({
      plan: { code: 'none' },
      startDate,
      appliedAt: '2023-11-20T10:00:00+09:00',
      customer: aCustomer({ kind: 'individual' }),
      billing: { method },
      services: { endpointSecurity: { terminals: 1 } },
    });
  const invoiceItems = (charges: MonthlyCharges) => charges.lines.map((l) => l.item).filter((i) => i.startsWith('invoice.'));

  it('not charged in the start month nor the next; charged from the month after', () => {
    const contract = individual('invoice');
    for (const month of ['2023-12', '2024-01'] as const) {
      const charges = monthlyCharges(catalog, contract, month);
      expect(invoiceItems(charges)).toEqual([]);
      expect(charges.exemptions).toEqual([
        { item: 'invoice.issuance', reason: expect.stringMatching(/翌料金月/), clause: '別紙12 3(1)' },
        { item: 'invoice.collection', reason: expect.stringMatching(/翌料金月/), clause: '別紙12 3(1)' },
      ]);
    }
    expect(invoiceItems(monthlyCharges(catalog, contract, '2024-02'))).toEqual(['invoice.issuance', 'invoice.collection']);
  });

  it('are not prorated in the cancellation month', () => {
    const contract = { ...individual('invoice', '2023-06-01'), cancellation: cancellation('2024-02-10') };
    const charges = monthlyCharges(catalog, contract, '2024-02');
    expect(bill(charges)['invoice.issuance']).toEqual([1, 150, 150]);
    expect(charges.lines.find((l) => l.item === 'invoice.issuance')?.prorated).toBeUndefined();
  });

  it('account transfer: the issuance fee only; credit card: none', () => {
    expect(invoiceItems(monthlyCharges(catalog, individual('account-transfer'), '2024-02'))).toEqual(['invoice.issuance']);
    const card = monthlyCharges(catalog, individual('credit-card'), '2024-02');
    expect(invoiceItems(card)).toEqual([]);
    expect(card.exemptions).toEqual([]);
  });

  it('corporations are exempt', () => {
    const contract = { ...individual('invoice', '2023-06-01'), customer: aCustomer({ kind: 'corporation' }) };
    const charges = monthlyCharges(catalog, contract, '2024-02');
    expect(invoiceItems(charges)).toEqual([]);
    expect(charges.exemptions.map((e) => e.clause)).toEqual(['別紙12 3(3)ii', '別紙12 3(3)ii']);
  });

  it('do not exist before 2023-12-01', () => {
    const contract = individual('invoice', '2023-06-01');
    expect(invoiceItems(monthlyCharges(catalog, contract, '2023-11'))).toEqual([]);
    expect(invoiceItems(monthlyCharges(catalog, contract, '2023-12'))).toEqual(['invoice.issuance', 'invoice.collection']);
  });
});

describe('invariants (property tests)', () => {
  const count = fc.integer({ min: 0, max: 30 });
  const services: fc.Arbitrary<Services> = fc.record(
    {
      endpointSecurity: fc.record({ terminals: count }),
      edrSecurity: fc.record({ terminals: count }),
      cloudSandbox: fc.record({ terminals: count }),
      cloudProxy: fc.record({ users: count }),
      elgana: fc.record({ ids: count }),
      gatewaySecurity: fc.record({ tier: fc.constantFrom<Tier>(10, 50, 100), failureSupport24h: fc.boolean() }),
    },
    { requiredKeys: [] },
  );
  const contracts = fc
    .record({
      plan: fc.constantFrom<PlanCode>('none', 'prime', 'prime-plus'),
      tier: fc.constantFrom<Tier>(10, 50, 100),
      startOffset: fc.integer({ min: 0, max: 800 }),
      services,
      kind: fc.constantFrom<'corporation' | 'individual'>('corporation', 'individual'),
      method: fc.constantFrom<'invoice' | 'account-transfer' | 'credit-card'>('invoice', 'account-transfer', 'credit-card'),
      liveDays: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
      monthOffset: fc.integer({ min: 0, max: 20 }),
    })
    .map((g) => {
      const startDate = addDays('2023-12-01', g.startOffset);
      const contract = aContract({
        plan: { code: g.plan, tier: g.tier },
        startDate,
        appliedAt: `${startDate}T09:00:00+09:00`,
        services: g.services,
        customer: aCustomer({ kind: g.kind }),
        billing: { method: g.method },
        cancellation: g.liveDays === undefined ? null : cancellation(addDays(startDate, g.liveDays)),
      });
      const lastMonth = contract.cancellation ? monthOf(contract.cancellation.effectiveDate) : addMonths(monthOf(startDate), 20);
      const month = addMonths(monthOf(startDate), g.monthOffset);
      return { contract, month: month > lastMonth ? lastMonth : month };
    });

  it('subtotal is the sum of the lines; integer yen everywhere; placeholders flagged on their lines', () => {
    fc.assert(
      fc.property(contracts, ({ contract, month }) => {
        const charges = monthlyCharges(catalog, contract, month);
        expect(charges.subtotal).toBe(charges.lines.reduce((s, l) => s + l.amount, 0));
        // T2: once on the bill, rounded down: never more than a tenth of the taxable lines, never a yen less.
        const taxable = charges.lines.filter((l) => l.kind !== 'termination-fee' || l.taxable).reduce((s, l) => s + l.amount, 0);
        expect(charges.tax.taxableSubtotal).toBe(taxable);
        expect(charges.tax.consumptionTax).toBe(Math.floor(taxable / 10));
        expect(charges.tax.total).toBe(charges.subtotal + charges.tax.consumptionTax);
        for (const line of charges.lines) {
          if (line.kind === 'termination-fee') continue;
          for (const yen of [line.quantity, line.unitPrice, line.amount]) {
            expect(Number.isSafeInteger(yen) && yen >= 0).toBe(true);
          }
          expect(line.quantity).toBeGreaterThan(0);
          if (line.prorated) {
            expect(line.prorated.fullAmount).toBe(line.unitPrice * line.quantity);
            expect(line.amount).toBeLessThanOrEqual(line.prorated.fullAmount);
          } else {
            expect(line.amount).toBe(line.unitPrice * line.quantity);
          }
          expect(line.placeholder === true).toBe(catalog.some((r) => r.id === charges.revision && r.prices[line.item]?.placeholder === true));
        }
        expect(charges.placeholders).toBe(charges.lines.some((l) => l.placeholder));
      }),
    );
  });

  it('a part month never costs more than the same month in full', () => {
    const monthlyFees = (c: MonthlyCharges) => c.lines.filter((l) => !l.item.startsWith('invoice.')).reduce((sum, l) => sum + l.amount, 0);
    fc.assert(
      fc.property(contracts, ({ contract, month }) => {
        const full = monthlyCharges(catalog, { ...contract, startDate: '2023-12-01', cancellation: null }, month);
        expect(monthlyFees(monthlyCharges(catalog, contract, month))).toBeLessThanOrEqual(monthlyFees(full));
      }),
    );
  });
});
