import type { LocalDate } from '../../../functions/domain/calendar';
import { oneOffFeeFor, type OneOffOrder } from '../../../functions/domain/charges/one-off-order';
import { monthlyCharges } from '../../../functions/domain/charges/monthly-charges';
import type { Contract, Plan } from '../../../functions/domain/contract';
import { withOneOffFee, withPlanChange } from '../../../functions/domain/contract-lifecycle';
import { checkOneOffOrder } from '../../../functions/domain/rules/contract-rules';
import { SHIPPED_CATALOG } from '../../../functions/domain/tariff/catalog';
import { aCancellation, aContract } from '../fixtures';

/** docs/terms.md §8 on a contract: what its past decides (V1, V2), priced on the service date (P2). */
const catalog = SHIPPED_CATALOG;
const primePlus: Plan = { code: 'prime-plus', tier: 10 };

let orders = 0;
/** Orders `order` on the contract and returns the contract with its fee kept, and the fee. */
function ordered(contract: Contract, order: OneOffOrder) {
  const fee = oneOffFeeFor(catalog, contract, order);
  const orderId = `ORD-O-${++orders}`;
  return {
    fee,
    contract: withOneOffFee(
      contract,
      { orderId, date: fee.date, revision: fee.revision, lines: fee.lines, subtotal: fee.subtotal },
      `${order.date}T09:00:00+09:00`,
      catalog,
    ),
  };
}
const visit = (date: LocalDate): OneOffOrder => ({
  date,
  visitSupport: {
    items: [
      { item: 'basicWork', quantity: 1 },
      { item: 'gatewayInstallation', quantity: 1 },
      { item: 'osUpdate', quantity: 2 },
    ],
  },
});
const mails = (date: LocalDate, count: number): OneOffOrder => ({ date, mailTraining: { mails: count } });
const mailLine = (fee: ReturnType<typeof oneOffFeeFor>) => fee.lines.find((l) => l.item === 'mailTraining.perMail');

describe('V1: ※1 items are 0 yen on the first visit-support order while on Prime or Prime Plus', () => {
  it('first order waives basic work and gateway installation; the second pays them', () => {
    const first = ordered(aContract({ plan: primePlus }), visit('2024-06-05'));
    expect(first.fee.lines.map((l) => [l.item, l.amount, l.waived?.unitPrice ?? null])).toEqual([
      ['visit.basicWork', 0, 7500],
      ['visit.gatewayInstallation', 0, 8500],
      ['visit.osUpdate', 24200, null],
    ]);
    const second = ordered(first.contract, visit('2024-06-20'));
    expect(second.fee.lines.map((l) => l.amount)).toEqual([7500, 8500, 24200]);
    expect(second.fee.subtotal).toBe(40200);
  });

  const toPrimePlus = (contract: Contract, effectiveDate: LocalDate) =>
    withPlanChange(
      contract,
      { orderId: 'ORD-PC', requestedAt: '2024-06-10T09:00:00+09:00', effectiveDate, plan: primePlus, services: { edrSecurity: { terminals: 5 } } },
      catalog,
      { taxable: false },
    ).contract;

  it('an installation made without a package plan pays every item and leaves the waiver for the first one on Prime Plus', () => {
    const plain = aContract({ plan: { code: 'none' }, services: { gatewaySecurity: { tier: 10, failureSupport24h: true } } });
    const first = ordered(plain, visit('2024-06-05'));
    expect(first.fee.lines.every((l) => l.waived === undefined)).toBe(true);
    const onPrimePlus = ordered(toPrimePlus(first.contract, '2024-07-01'), visit('2024-07-05'));
    expect(onPrimePlus.fee.lines.map((l) => l.amount)).toEqual([0, 0, 24200]);
    expect(ordered(onPrimePlus.contract, visit('2024-07-20')).fee.lines.map((l) => l.amount)).toEqual([7500, 8500, 24200]);
  });

  it('a visit without an installation item pays the tariff and does not use the waiver up (初回設置時に限り)', () => {
    const osUpdate = ordered(aContract({ plan: primePlus }), {
      date: '2024-05-20',
      visitSupport: {
        items: [
          { item: 'basicWork', quantity: 1 },
          { item: 'osUpdate', quantity: 1 },
        ],
      },
    });
    expect(osUpdate.fee.lines.map((l) => [l.item, l.amount])).toEqual([
      ['visit.basicWork', 7500],
      ['visit.osUpdate', 12100],
    ]);
    const installation = ordered(osUpdate.contract, visit('2024-06-05'));
    expect(installation.fee.lines.map((l) => l.amount)).toEqual([0, 0, 24200]);
    expect(installation.fee.lines[1].waived).toEqual({ unitPrice: 8500, clause: '別紙8 ※1' });
  });

  it.each<[string, 'routerInstallation.basic' | 'routerInstallation.highEnd']>([
    ['basic', 'routerInstallation.basic'],
    ['high-end', 'routerInstallation.highEnd'],
  ])('a rental router installation (%s) is an installation too', (_model, item) => {
    const fee = oneOffFeeFor(catalog, aContract({ plan: primePlus }), { date: '2024-06-05', visitSupport: { items: [{ item, quantity: 1 }] } });
    expect(fee.lines).toEqual([expect.objectContaining({ item: `visit.${item}`, amount: 0 })]);
  });

  it('a Prime contract that had its first installation has used the waiver when it moves to Prime Plus (once per contract)', () => {
    const prime = aContract({ plan: { code: 'prime', tier: 10 }, services: {}, startDate: '2023-11-01', appliedAt: '2023-10-20T10:00:00+09:00' });
    const installed = ordered(prime, visit('2023-12-05'));
    expect(installed.fee.lines.map((l) => l.amount)).toEqual([0, 0, 24200]);
    expect(ordered(toPrimePlus(installed.contract, '2024-07-01'), visit('2024-07-05')).fee.lines.map((l) => l.amount)).toEqual([7500, 8500, 24200]);
  });

  it('prices by the revision in force on the service date (P2): 2023-11-30 vs 2023-12-01', () => {
    const contract = aContract({ plan: { code: 'none' }, services: {}, startDate: '2023-06-01', appliedAt: '2023-05-20T10:00:00+09:00' });
    expect(oneOffFeeFor(catalog, contract, visit('2023-11-30'))).toMatchObject({ revision: 'baseline', subtotal: 4500 + 8500 + 14000 });
    expect(oneOffFeeFor(catalog, contract, visit('2023-12-01'))).toMatchObject({ revision: '2023-12-01', subtotal: 7500 + 8500 + 24200 });
  });
});

describe('V2: mail training', () => {
  it('Prime Plus: the 10th mail of a term is included, the 11th charged', () => {
    const nine = ordered(aContract({ plan: primePlus }), mails('2024-06-01', 9));
    expect(mailLine(nine.fee)).toMatchObject({ quantity: 0, includedQuantity: 9, amount: 0 });
    const tenth = ordered(nine.contract, mails('2024-07-01', 1));
    expect(mailLine(tenth.fee)).toMatchObject({ quantity: 0, includedQuantity: 1, amount: 0 });
    const eleventh = ordered(tenth.contract, mails('2024-08-01', 1));
    expect(mailLine(eleventh.fee)).toMatchObject({ quantity: 1, amount: 100 });
    expect(mailLine(eleventh.fee)?.includedQuantity).toBeUndefined();
  });

  it('Prime Plus: a new term brings 10 more (start 2024-05-10: term 2 from 2025-05-01)', () => {
    const used = ordered(aContract({ plan: primePlus }), mails('2025-04-30', 10));
    expect(mailLine(used.fee)).toMatchObject({ includedQuantity: 10, amount: 0 });
    const nextTerm = ordered(used.contract, mails('2025-05-01', 11));
    expect(mailLine(nextTerm.fee)).toMatchObject({ quantity: 1, includedQuantity: 10, amount: 100 });
  });

  it('※7: a contract never on Prime or Prime Plus gets the first 10 of its first order free, only once', () => {
    const plain = aContract({ plan: { code: 'none' }, services: { edrSecurity: { terminals: 2 } } });
    const first = ordered(plain, mails('2024-06-01', 11));
    expect(mailLine(first.fee)).toMatchObject({ quantity: 1, includedQuantity: 10, amount: 100 });
    const second = ordered(first.contract, mails('2024-06-02', 5));
    expect(mailLine(second.fee)).toMatchObject({ quantity: 5, amount: 500 });
  });

  it('※7 is not for a contract that has been on Prime, even once off it', () => {
    const wasPrime = withPlanChange(
      aContract({ plan: { code: 'prime', tier: 10 }, services: {}, startDate: '2023-06-01', appliedAt: '2023-05-20T10:00:00+09:00' }),
      { orderId: 'ORD-PC', requestedAt: '2024-06-01T09:00:00+09:00', effectiveDate: '2024-06-01', plan: { code: 'none' }, services: {} },
      catalog,
      { taxable: false },
    ).contract;
    expect(mailLine(ordered(wasPrime, mails('2024-06-10', 10)).fee)).toMatchObject({ quantity: 10, amount: 1000 });
  });
});

describe('data migration by volume (V3) and the order as a whole', () => {
  it('interface §1.1 example: 3 GB and 5,200 GB, with visit support and 12 mails on Prime Plus', () => {
    const fee = oneOffFeeFor(catalog, aContract({ plan: primePlus }), {
      date: '2024-06-05',
      visitSupport: {
        items: [
          { item: 'basicWork', quantity: 1 },
          { item: 'gatewayInstallation', quantity: 1 },
        ],
      },
      dataMigration: { devices: [{ volumeGB: 3 }, { volumeGB: 5200 }] },
      mailTraining: { mails: 12 },
    });
    expect(fee.lines.map((l) => [l.item, l.quantity, l.amount])).toEqual([
      ['visit.basicWork', 1, 0],
      ['visit.gatewayInstallation', 1, 0],
      ['dataMigration.per4_7GB', 1, 16000],
      ['dataMigration.per4TB', 1, 101500],
      ['dataMigration.perExtraTB', 2, 51200],
      ['mailTraining.perMail', 2, 200],
    ]);
    expect(fee.subtotal).toBe(16000 + 101500 + 51200 + 200);
  });

  it('a service date outside the contract’s life is refused, naming date', () => {
    const contract = aContract({ startDate: '2024-05-10' });
    expect(checkOneOffOrder(contract, { requestedAt: '2024-05-10T09:00:00+09:00', date: '2024-05-09' })[0]?.fields?.map((f) => f.path)).toEqual(['date']);
    expect(checkOneOffOrder(contract, { requestedAt: '2024-05-10T09:00:00+09:00', date: '2024-05-10' })).toEqual([]);
  });

  it('an order on a cancelled contract is CONTRACT_NOT_LIVE; up to the effective date it is accepted', () => {
    const cancelled = aContract({ cancellation: aCancellation('2024-07-31', { orderId: 'ORD-C', requestedAt: '2024-07-01T09:00:00+09:00' }) });
    expect(checkOneOffOrder(cancelled, { requestedAt: '2024-08-01T09:00:00+09:00', date: '2024-08-01' }).map((r) => r.code)).toEqual(['CONTRACT_NOT_LIVE']);
    expect(checkOneOffOrder(cancelled, { requestedAt: '2024-07-20T09:00:00+09:00', date: '2024-07-31' })).toEqual([]);
    expect(checkOneOffOrder(cancelled, { requestedAt: '2024-07-20T09:00:00+09:00', date: '2024-08-01' })[0]?.fields?.map((f) => f.path)).toEqual(['date']);
  });

  it('its lines are lines of the bill of the service date’s month, taxed with it once (T2)', () => {
    const { contract } = ordered(aContract({ plan: primePlus, startDate: '2024-05-01' }), visit('2024-06-05'));
    const june = monthlyCharges(catalog, contract, '2024-06');
    const oneOff = june.lines.filter((l) => l.kind === 'one-off');
    expect(oneOff.map((l) => [l.item, l.amount, l.kind === 'one-off' ? l.date : null])).toEqual([
      ['visit.basicWork', 0, '2024-06-05'],
      ['visit.gatewayInstallation', 0, '2024-06-05'],
      ['visit.osUpdate', 24200, '2024-06-05'],
    ]);
    expect(june.tax.taxableSubtotal).toBe(june.subtotal);
    expect(monthlyCharges(catalog, contract, '2024-07').lines.some((l) => l.kind === 'one-off')).toBe(false);
  });
});
