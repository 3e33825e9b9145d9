import { InMemoryStore } from '../support/in-memory-store';
import { codesOf, created, detailOf, orderDeps, orders, type TestOrderDeps } from './harness';

/** processPlanChange on the in-memory store (docs/terms.md §7): a new term, the PC4 fee, refusals, the renewal index. */
let store: InMemoryStore;
let deps: TestOrderDeps;
beforeEach(() => {
  store = new InMemoryStore(1);
  deps = orderDeps(store);
});

/** A Prime contract applied for before the closure (2023-12-28), the main path of PC3. */
const PRIME = {
  appliedAt: '2023-11-01T10:00:00+09:00',
  startDate: '2023-11-10',
  plan: { code: 'prime', tier: 10 },
  services: { gatewaySecurity: { tier: 10, failureSupport24h: true } },
};
const changePlan = (orderId: string, detail: Record<string, unknown>) =>
  orders.changePlan(deps, { orderId, requestedAt: '2024-06-20T09:00:00+09:00', ...detail });

describe('processPlanChange', () => {
  it('Prime → Prime Plus: term 1 from the effective date, previousPlan, no fee; the contract enters the renewal index', async () => {
    const contractId = await created(deps, 'ORD-1', PRIME);
    expect((await store.dueForRenewal(0, '2099-01', null, 10)).contractIds).toEqual([]);

    const result = await changePlan('ORD-2', {
      contractId,
      effectiveDate: '2024-07-01',
      plan: { code: 'prime-plus', tier: 50 },
      services: { edrSecurity: { terminals: 8 } },
    });

    expect(result.outcome).toMatchObject({
      detailType: 'ContractPlanChanged',
      detail: {
        eventKey: 'ORD-2',
        orderId: 'ORD-2',
        previousPlan: { code: 'prime', tier: 10 },
        effectiveDate: '2024-07-01',
        terminationFee: null,
        contract: {
          contractId,
          plan: { code: 'prime-plus', tier: 50 },
          services: { edrSecurity: { terminals: 8 } },
          term: { number: 1, start: '2024-07-01', end: '2025-06-30', renewalMonth: '2025-06' },
          version: 2,
        },
      },
    });
    expect((await store.getContract(contractId))?.history.at(-1)).toMatchObject({
      type: 'ContractPlanChanged',
      orderId: 'ORD-2',
      plan: { code: 'prime-plus', tier: 50 },
      previousPlan: { code: 'prime', tier: 10 },
      effectiveDate: '2024-07-01',
    });
    // Due in the run after its renewal month, listed in that month.
    expect(await store.dueForRenewal(0, '2025-07', null, 10)).toEqual({ contractIds: [contractId], cursor: null });
    expect((await store.dueForRenewal(0, '2025-06', null, 10)).contractIds).toEqual([]);
    expect((await store.contractsInRenewalMonth('2025-06', null, 10)).contracts.map((c) => c.contractId)).toEqual([contractId]);
  });

  it('Prime Plus → none in month 11 of the term: the L2 fee of 1 month, 不課税; the term ends and the contract leaves the renewal index', async () => {
    const contractId = await created(deps, 'ORD-1');
    expect((await store.dueForRenewal(0, '2025-05', null, 10)).contractIds).toEqual([contractId]);

    const result = await changePlan('ORD-2', {
      contractId,
      requestedAt: '2025-03-01T09:00:00+09:00',
      effectiveDate: '2025-03-16',
      plan: { code: 'none' },
      services: { gatewaySecurity: { tier: 10, failureSupport24h: true } },
    });

    expect(result.outcome.detail.terminationFee).toEqual({
      amount: 3000,
      basicFee: 3000,
      remainingMonths: 1,
      revision: '2024-04-01',
      clause: '別紙7 ※11',
      taxable: false,
      amountIncludingTax: 3000,
      placeholder: true,
    });
    expect(detailOf(result).contract).toMatchObject({ plan: { code: 'none' }, term: null, version: 2 });
    expect((await store.dueForRenewal(0, '2099-01', null, 10)).contractIds).toEqual([]);
    expect((await store.contractsInRenewalMonth('2025-04', null, 10)).contracts).toEqual([]);
  });

  it('refuses Prime after the closure, the same plan, an unknown contract and a cancelled one, changing nothing', async () => {
    const contractId = await created(deps, 'ORD-1');
    const toPrime = await changePlan('ORD-2', { contractId, plan: { code: 'prime', tier: 10 }, services: {} });
    expect(toPrime.outcome).toMatchObject({ detailType: 'PlanChangeRejected', detail: { contractId } });
    expect(codesOf(toPrime.outcome)).toEqual(['PRIME_PLAN_CLOSED']);

    const stored = await store.getContract(contractId);
    const same = await changePlan('ORD-3', { contractId, plan: stored?.plan, services: stored?.services });
    expect((same.outcome.detail.reasons as Array<{ fields?: Array<{ path: string }> }>).flatMap((r) => (r.fields ?? []).map((f) => f.path))).toEqual(['plan']);

    const unknown = await changePlan('ORD-4', { contractId: 'K-none', plan: { code: 'none' }, services: {} });
    expect(codesOf(unknown.outcome)).toEqual(['CONTRACT_NOT_FOUND']);

    await orders.cancel(deps, { orderId: 'ORD-5', requestedAt: '2024-06-01T09:00:00+09:00', contractId, effectiveDate: '2024-06-30' });
    const late = await changePlan('ORD-6', { contractId, requestedAt: '2024-07-02T09:00:00+09:00', plan: { code: 'prime-plus', tier: 50 }, services: {} });
    expect(codesOf(late.outcome)).toEqual(['CONTRACT_NOT_LIVE']);
    expect(await store.getContract(contractId)).toMatchObject({ plan: stored?.plan, version: 2 });
  });
});
