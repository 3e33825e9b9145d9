import { applicationDetail } from '../../bench/fixtures';
import { ContractNotFoundError, ContractNotLiveError, InvalidCursorError, LineContractNotFoundError, OrderNotFoundError } from '../../functions/domain/errors';
import { errorResponse } from '../../functions/http/errors';
import * as lookups from '../../functions/use-cases/lookups';
import { InMemoryStore } from '../support/in-memory-store';
import { created, lookupDeps, orderDeps, orders, type TestOrderDeps } from './harness';

/** The customer-service lookups (interface §3) on the in-memory store, on 2024-07-15 (JST) unless said otherwise. */
const TODAY = '2024-07-15T12:00:00+09:00';
let store: InMemoryStore;
let deps: TestOrderDeps;
beforeEach(() => {
  store = new InMemoryStore();
  deps = orderDeps(store);
});
const on = (now = TODAY) => lookupDeps(store, now);

const JULY_2024 = {
  contractId: 'K-000001',
  month: '2024-07',
  revision: '2024-04-01',
  revisionEffectiveFrom: '2024-04-01',
  lines: [
    {
      item: 'primePlus.10',
      label: 'プライムPlusプラン (10クライアント向け)',
      quantity: 1,
      unitPrice: 19000,
      amount: 19000,
      clause: '別紙7 ※11 ※15',
      kind: 'monthly',
    },
    {
      item: 'edrSecurity',
      label: 'EDRセキュリティツール利用料',
      quantity: 3,
      unitPrice: 1100,
      amount: 3300,
      clause: '別紙7 ※12 ※14',
      includedQuantity: 5,
      kind: 'monthly',
    },
  ],
  subtotal: 22300,
  tax: { ratePercent: 10, taxableSubtotal: 22300, consumptionTax: 2230, total: 24530 },
  placeholders: false,
  exemptions: [{ item: 'invoice.issuance', reason: '契約者が法人のため対象外', clause: '別紙12 3(3)ii' }],
};

describe('lookups', () => {
  it('getContract: the contract as today shows it, with its history; an unknown one is ContractNotFoundError', async () => {
    const id = await created(deps, 'ORD-1');
    const view = await lookups.getContract(on(), id);
    expect(view).toMatchObject({ contractId: id, status: 'live', version: 1, term: { number: 1, renewalMonth: '2025-04' } });
    expect(view.history.map((e) => [e.type, e.orderId])).toEqual([['ContractCreated', 'ORD-1']]);
    await expect(lookups.getContract(on(), 'K-none')).rejects.toBeInstanceOf(ContractNotFoundError);
  });

  it('terminationQuote: today by default, month 3 of the term (9 months); 0 in the renewal month; 409 once a cancellation is recorded', async () => {
    const id = await created(deps, 'ORD-1');
    expect(await lookups.terminationQuote(on(), id, undefined)).toEqual({
      contractId: id,
      effectiveDate: '2024-07-15',
      amount: 27000,
      basicFee: 3000,
      remainingMonths: 9,
      revision: '2024-04-01',
      clause: '別紙7 ※11',
      taxable: false,
      amountIncludingTax: 27000,
      placeholder: true,
    });
    expect(await lookups.terminationQuote(on(), id, '2025-04-30')).toMatchObject({ amount: 0, remainingMonths: 0 });

    await orders.cancel(deps, { orderId: 'ORD-C', requestedAt: '2024-07-10T09:00:00+09:00', contractId: id, effectiveDate: '2024-08-31' });
    const refused = await lookups.terminationQuote(on(), id, undefined).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ContractNotLiveError);
    expect(refused).toMatchObject({ contractId: id, effectiveDate: '2024-08-31' });
    const response = errorResponse(refused);
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'CONTRACT_NOT_LIVE' } });
  });

  it('charges: the month asked for (prorated from the start date), this month by default, the termination fee in its month, 400 before the start', async () => {
    const id = await created(deps, 'ORD-1');
    expect(await lookups.charges(on(), id, undefined)).toEqual(JULY_2024);

    const may = await lookups.charges(on(), id, '2024-05');
    // Live 10–31 May: 22 of 31 days.
    expect(may.lines.map((l) => [l.item, l.amount, l.prorated])).toEqual([
      ['primePlus.10', 13483, { liveDays: 22, daysInMonth: 31, fullAmount: 19000 }],
      ['edrSecurity', 2341, { liveDays: 22, daysInMonth: 31, fullAmount: 3300 }],
    ]);
    expect(may.tax).toEqual({ ratePercent: 10, taxableSubtotal: 15824, consumptionTax: 1582, total: 17406 });

    await orders.cancel(deps, { orderId: 'ORD-C', requestedAt: '2024-06-15T09:00:00+09:00', contractId: id, effectiveDate: '2024-06-30' });
    const june = await lookups.charges(on(), id, '2024-06');
    expect(june.lines.at(-1)).toEqual({
      kind: 'termination-fee',
      item: 'terminationFee',
      label: '解約金',
      quantity: 10,
      unitPrice: 3000,
      amount: 30000,
      clause: '別紙7 ※11',
      date: '2024-06-30',
      orderId: 'ORD-C',
      taxable: false,
      taxLabel: '不課税',
      placeholder: true,
    });
    expect(june).toMatchObject({ subtotal: 52300, tax: { taxableSubtotal: 22300, consumptionTax: 2230, total: 54530 }, placeholders: true });

    await expect(lookups.charges(on(), id, '2024-04')).rejects.toMatchObject({ name: 'FieldRefusal', fields: [{ path: 'month' }] });
  });

  it('contractsOfCustomer by start date; lineContract the one in service, then the planned successor; none when all are gone', async () => {
    const later = await created(deps, 'ORD-1', { lineId: 'L-A', startDate: '2024-06-01', appliedAt: '2024-05-20T10:00:00+09:00' });
    const earlier = await created(deps, 'ORD-2', { lineId: 'L-B' });
    await created(deps, 'ORD-3', { lineId: 'L-C', customer: { customerId: 'C-OTHER', name: '別会社', kind: 'corporation', phone: '06-2222-2222' } });
    expect((await lookups.contractsOfCustomer(on(), 'C-001')).contracts.map((c) => [c.contractId, c.startDate])).toEqual([
      [earlier, '2024-05-10'],
      [later, '2024-06-01'],
    ]);

    await orders.cancel(deps, { orderId: 'ORD-C', requestedAt: '2024-07-01T09:00:00+09:00', contractId: later, effectiveDate: '2024-07-31' });
    const successor = await created(deps, 'ORD-4', {
      lineId: 'L-A',
      customer: { customerId: 'C-NEXT', name: '後継', kind: 'corporation', phone: '06-3333-3333' },
      appliedAt: '2024-07-02T10:00:00+09:00',
      startDate: '2024-08-01',
    });
    expect((await lookups.lineContract(on(), 'L-A')).contractId).toBe(later);
    expect((await lookups.lineContract(on('2024-08-01T09:00:00+09:00'), 'L-A')).contractId).toBe(successor);

    await orders.cancel(deps, { orderId: 'ORD-C2', requestedAt: '2024-07-20T09:00:00+09:00', contractId: successor, effectiveDate: '2024-08-01' });
    await expect(lookups.lineContract(on('2024-08-02T09:00:00+09:00'), 'L-A')).rejects.toBeInstanceOf(LineContractNotFoundError);
  });

  it('order: what became of an order, published once the outcome publisher marked it; an unknown one is OrderNotFoundError', async () => {
    const result = await orders.apply(deps, applicationDetail('ORD-1', 'L-1'));
    const expected = { orderId: 'ORD-1', detailType: 'ContractApplicationSubmitted', receivedAt: '2024-06-01T10:00:00+09:00', outcome: result.outcome };
    expect(await lookups.order(on(), 'ORD-1')).toEqual({ ...expected, published: false });
    await store.markPublished({ PK: 'ORDER#ORD-1', SK: 'ORDER' });
    expect(await lookups.order(on(), 'ORD-1')).toEqual({ ...expected, published: true });
    await expect(lookups.order(on(), 'ORD-never')).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('renewals: the month’s contracts page by page, willRenew false for one leaving; a token of another query is refused', async () => {
    const applied = { appliedAt: '2023-12-20T10:00:00+09:00', startDate: '2024-01-10' };
    const renewing: string[] = [];
    for (let i = 1; i <= 4; i++) renewing.push(await created(deps, `ORD-${i}`, applied));
    const leaving = await created(deps, 'ORD-5', applied);
    await orders.cancel(deps, { orderId: 'ORD-C5', requestedAt: '2024-11-20T09:00:00+09:00', contractId: leaving, effectiveDate: '2024-12-31' });
    // Gone before the renewal month begins: not listed.
    const gone = await created(deps, 'ORD-6', applied);
    await orders.cancel(deps, { orderId: 'ORD-C6', requestedAt: '2024-11-01T09:00:00+09:00', contractId: gone, effectiveDate: '2024-11-30' });
    await created(deps, 'ORD-7', { ...applied, startDate: '2024-02-10' });

    const december = on('2024-12-02T12:00:00+09:00');
    const pages: Array<{ ids: Array<[string, boolean]>; nextToken: string | null }> = [];
    let nextToken: string | undefined;
    do {
      const page = await lookups.renewals(december, { month: '2024-12', limit: 2, ...(nextToken ? { nextToken } : {}) });
      expect(page.month).toBe('2024-12');
      pages.push({ ids: page.contracts.map((c) => [c.contractId, c.willRenew]), nextToken: page.nextToken });
      nextToken = page.nextToken ?? undefined;
    } while (nextToken && pages.length < 10);

    // By contractId, as the index (GSI4) sorts them.
    expect(pages.map((p) => p.ids)).toEqual([
      [
        [renewing[0], true],
        [renewing[1], true],
      ],
      [
        [renewing[2], true],
        [renewing[3], true],
      ],
      [[leaving, false]],
    ]);
    expect(pages.map((p) => p.nextToken === null)).toEqual([false, false, true]);
    // This month by default: 2024-12 on 2 December.
    expect((await lookups.renewals(december, {})).contracts).toHaveLength(5);

    const first = await lookups.renewals(december, { month: '2024-12', limit: 2 });
    await expect(lookups.renewals(december, { month: '2024-11', nextToken: first.nextToken ?? '' })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(lookups.renewals(december, { month: '2024-12', nextToken: 'bm90LWEta2V5' })).rejects.toMatchObject({ parameter: 'nextToken' });
  });
});
