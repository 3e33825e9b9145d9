import { DEFAULT_RENEWAL_TUNING, runMonthlyRenewal, type RenewalTuning } from '../../functions/use-cases/monthly-renewal';
import { InMemoryStore } from '../support/in-memory-store';
import { noFee } from '../domain/fixtures';
import { created, detailOf, orderDeps, orders, renewalDeps, type TestOrderDeps } from './harness';

/**
 * runMonthlyRenewal on the in-memory store. Prime Plus contracts starting 2024-01-10 have
 * term 1 = 2024-01 … 2024-12 (renewal month 2024-12, Decision L1): the run of 2025-01-01
 * 00:05 JST renews them into 2025-01 … 2025-12, the run of 2024-12-01 sends their notices (N1).
 */
const JANUARY_RUN = '2025-01-01T00:05:00+09:00';
const DECEMBER_RUN = '2024-12-01T00:05:00+09:00';
const APPLIED = { appliedAt: '2023-12-20T10:00:00+09:00', startDate: '2024-01-10' };
const TERM_2 = { number: 2, start: '2025-01-01', end: '2025-12-31', renewalMonth: '2025-12' };

let store: InMemoryStore;
let deps: TestOrderDeps;
beforeEach(() => {
  store = new InMemoryStore();
  deps = orderDeps(store, '2023-12-20T10:00:00+09:00');
});

async function seed(count: number, overrides: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await created(deps, `ORD-${store.contracts().length + 1}`, { ...APPLIED, ...overrides }));
  return ids;
}

function run(scheduledTime = JANUARY_RUN, tuning: Partial<RenewalTuning> = {}, remainingMs = () => 600_000) {
  return runMonthlyRenewal(renewalDeps(store, scheduledTime), { scheduledTime, remainingMs }, { ...DEFAULT_RENEWAL_TUNING, ...tuning });
}

const cancel = (orderId: string, contractId: string, requestedAt: string, effectiveDate: string) =>
  orders.cancel(deps, { orderId, requestedAt, contractId, effectiveDate });

const renewedFact = (contractId: string, term = TERM_2) => ({
  PK: `FACT#${contractId}`,
  SK: `TERM#${term.number}#${term.start}`,
  contractId,
  published: false,
  at: JANUARY_RUN,
  outcome: {
    detailType: 'ContractRenewed',
    detail: { eventKey: `${contractId}#term-${term.number}`, contract: expect.objectContaining({ contractId, term, status: 'live' }) },
  },
});

/** The contract of every fact, sorted. */
const factContractIds = () =>
  store
    .facts()
    .map((f) => f.contractId)
    .sort();

describe('runMonthlyRenewal', () => {
  it('renews a contract that left Prime Plus and came back (its terms count from 1 again, PC3): the new term 2 is a fact of its own', async () => {
    const [id] = await seed(1);
    expect(await run()).toMatchObject({ renewed: 1, failed: [] });
    const change = (orderId: string, requestedAt: string, effectiveDate: string, plan: Record<string, unknown>, services: Record<string, unknown>) =>
      orders.changePlan(deps, { orderId, requestedAt, contractId: id, effectiveDate, plan, services });
    await change('ORD-OUT', '2025-02-10T09:00:00+09:00', '2025-03-01', { code: 'none' }, { endpointSecurity: { terminals: 3 } });
    await change('ORD-BACK', '2025-05-10T09:00:00+09:00', '2025-06-01', { code: 'prime-plus', tier: 10 }, { edrSecurity: { terminals: 5 } });
    expect((await store.getContract(id))?.term).toEqual({ number: 1, start: '2025-06-01', end: '2026-05-31', renewalMonth: '2026-05' });

    const summary = await run('2026-06-01T00:05:00+09:00');

    expect(summary).toMatchObject({ renewed: 1, failed: [] });
    expect(store.facts().map((f) => [f.SK, f.outcome.detail.eventKey])).toEqual([
      ['TERM#2#2025-01-01', `${id}#term-2`],
      ['TERM#2#2026-06-01', `${id}#term-2`],
    ]);
  });

  it('renews every due Prime Plus contract once, each with exactly one ContractRenewed fact; a rerun writes nothing', async () => {
    const due = await seed(3);
    const [other] = await seed(1, { plan: { code: 'none' }, services: { edrSecurity: { terminals: 2 } } });
    const before = store.writes().length;

    const first = await run();

    expect(first).toEqual({
      month: '2025-01',
      scheduledTime: JANUARY_RUN,
      shards: [0, 1, 2, 3],
      complete: true,
      renewed: 3,
      termsRenewed: 3,
      notices: 0,
      skipped: [],
      failed: [],
    });
    expect(store.facts()).toEqual(due.map((id) => renewedFact(id)));
    for (const contract of await store.getContracts(due)) {
      expect(contract).toMatchObject({ term: TERM_2, version: 2, cancellation: null });
      expect(contract.history.map((e) => [e.type, e.at, e.summary])).toEqual([
        ['ContractCreated', '2023-12-20T10:00:00+09:00', expect.any(String)],
        ['ContractRenewed', JANUARY_RUN, '自動更新: 第2期 2025年1月1日〜2025年12月31日'],
      ]);
    }
    expect(await store.getContract(other)).toMatchObject({ version: 1, term: null });
    expect(store.writes().slice(before)).toEqual(due.map(() => ({ kind: 'saveRenewal', result: 'written' })));

    const afterFirst = store.writes().length;
    const second = await run();
    expect(second).toMatchObject({ complete: true, renewed: 0, termsRenewed: 0, notices: 0, skipped: [], failed: [] });
    expect(store.writes()).toHaveLength(afterFirst);
    expect(store.facts()).toHaveLength(3);
  });

  it('renews nothing before the renewal month has ended (the December run)', async () => {
    await seed(2);
    const summary = await run(DECEMBER_RUN);
    expect(summary).toMatchObject({ month: '2024-12', renewed: 0, termsRenewed: 0 });
    expect(store.facts().filter((f) => f.SK.startsWith('TERM#'))).toEqual([]);
  });

  it('does not renew a contract whose customer asked to leave in the renewal month, effective after the term (L5: fee 0), and renews the other once', async () => {
    const [byTheEnd, afterTheEnd, staying] = await seed(3);
    await cancel('ORD-C1', byTheEnd, '2024-12-01T09:00:00+09:00', '2024-12-31');
    // Asked 23:59 JST on the renewal month's last day, to leave in the middle of what would have been term 2.
    const late = await cancel('ORD-C2', afterTheEnd, '2024-12-31T14:59:00Z', '2025-01-15');
    // No minimum term runs on the effective date: nothing to price, no basic fee.
    expect(late.outcome.detail.terminationFee).toEqual(noFee());
    expect(detailOf(late).contract.cancellation.withdrawnTerm).toBeNull();

    const summary = await run();

    expect(summary).toMatchObject({ renewed: 1, termsRenewed: 1, skipped: [], failed: [] });
    expect(store.facts()).toEqual([renewedFact(staying)]);
    expect(await store.getContract(afterTheEnd)).toMatchObject({ term: { number: 1, end: '2024-12-31' }, version: 2 });
    expect(await store.getContract(byTheEnd)).toMatchObject({ term: { number: 1 }, version: 2 });
    expect(await store.getContract(staying)).toMatchObject({ term: TERM_2, version: 2 });

    const writes = store.writes().length;
    expect(await run()).toMatchObject({ renewed: 0, skipped: [], failed: [] });
    expect(store.writes()).toHaveLength(writes);
    expect(store.facts()).toHaveLength(1);
  });

  it('catches up a missed year: two terms, two facts, one write', async () => {
    const [id] = await seed(1);
    const before = store.writes().length;
    const summary = await run('2026-01-01T00:05:00+09:00');

    expect(summary).toMatchObject({ month: '2026-01', renewed: 1, termsRenewed: 2 });
    expect(store.writes().slice(before)).toEqual([{ kind: 'saveRenewal', result: 'written' }]);
    expect(store.facts().map((f) => [f.SK, f.outcome.detail.eventKey])).toEqual([
      ['TERM#2#2025-01-01', `${id}#term-2`],
      ['TERM#3#2026-01-01', `${id}#term-3`],
    ]);
    expect((await store.getContract(id))?.term).toEqual({ number: 3, start: '2026-01-01', end: '2026-12-31', renewalMonth: '2026-12' });
  });

  it('decides again on the fresh contract when a change lands between its read and its write: renewed once, both in the history', async () => {
    const [id] = await seed(1);
    store.beforeNextWrite(async () => {
      await orders.changeServices(deps, {
        orderId: 'ORD-CHG',
        requestedAt: '2024-12-15T09:00:00+09:00',
        contractId: id,
        services: { edrSecurity: { terminals: 9 } },
      });
    }, 'saveRenewal');

    const summary = await run();

    expect(store.pendingHooks()).toBe(0);
    expect(summary).toMatchObject({ renewed: 1, termsRenewed: 1, skipped: [], failed: [] });
    expect(store.writes().slice(-3)).toEqual([
      { kind: 'updateContract', result: 'written' },
      { kind: 'saveRenewal', result: 'stale' },
      { kind: 'saveRenewal', result: 'written' },
    ]);
    const contract = await store.getContract(id);
    expect(contract).toMatchObject({ version: 3, term: TERM_2, services: { edrSecurity: { terminals: 9 } } });
    expect(contract?.history.map((e) => [e.type, e.orderId])).toEqual([
      ['ContractCreated', 'ORD-1'],
      ['ContractServicesChanged', 'ORD-CHG'],
      ['ContractRenewed', null],
    ]);
    expect(store.facts().map((f) => `${f.PK} ${f.SK}`)).toEqual([`FACT#${id} TERM#2#2025-01-01`]);
  });

  it('skips, with the reason, a contract whose cancellation from the renewal month lands between its read and its write', async () => {
    const [id] = await seed(1);
    store.beforeNextWrite(async () => {
      await cancel('ORD-C', id, '2024-12-20T09:00:00+09:00', '2024-12-31');
    }, 'saveRenewal');

    const summary = await run();

    expect(summary).toMatchObject({
      renewed: 0,
      skipped: [{ contractId: id, reason: 'does not renew: no minimum term, or a cancellation takes effect by the end of the term' }],
      failed: [],
    });
    expect(store.facts()).toEqual([]);
    expect(await store.getContract(id)).toMatchObject({ version: 2, term: { number: 1 }, cancellation: { orderId: 'ORD-C' } });
  });

  it('withdraws the renewal with a late cancellation asked in the renewal month (L3): term 1 kept, withdrawnTerm named, not renewed again', async () => {
    const [id] = await seed(1);
    await run();
    expect(await store.getContract(id)).toMatchObject({ term: TERM_2, version: 2 });

    const processedAfterTheRun = orderDeps(store, '2025-01-01T00:06:00+09:00');
    const result = await orders.cancel(processedAfterTheRun, {
      orderId: 'ORD-LATE',
      requestedAt: '2024-12-03T09:00:00+09:00',
      contractId: id,
      effectiveDate: '2024-12-31',
    });

    expect(result.outcome.detailType).toBe('ContractCancelled');
    expect(result.outcome.detail.terminationFee).toMatchObject({ amount: 0, remainingMonths: 0 });
    expect(detailOf(result).contract).toMatchObject({
      term: { number: 1, start: '2024-01-10', end: '2024-12-31', renewalMonth: '2024-12' },
      cancellation: { orderId: 'ORD-LATE', effectiveDate: '2024-12-31', withdrawnTerm: TERM_2 },
      version: 3,
    });
    const writes = store.writes().length;
    expect(await run()).toMatchObject({ renewed: 0, skipped: [], failed: [] });
    expect(store.writes()).toHaveLength(writes);
    // The fact of the withdrawn renewal stays: billing voids it by withdrawnTerm.
    expect(store.facts().map((f) => f.SK)).toEqual(['TERM#2#2025-01-01']);
  });

  it('writes one renewal-month notice per contract and term (N1), none for a contract leaving, none again on a rerun', async () => {
    const renewing = await seed(3);
    const [leaving] = await seed(1);
    await cancel('ORD-C', leaving, '2024-11-20T09:00:00+09:00', '2024-12-31');
    await seed(1, { startDate: '2024-02-10' });

    const first = await run(DECEMBER_RUN, { pageSize: 2 });

    expect(first).toMatchObject({ month: '2024-12', complete: true, renewed: 0, notices: 3, skipped: [], failed: [] });
    expect(store.facts()).toEqual(
      renewing.map((id) => ({
        PK: `FACT#${id}`,
        SK: 'NOTICE#1#2024-01-10',
        contractId: id,
        published: false,
        at: DECEMBER_RUN,
        outcome: {
          detailType: 'ContractRenewalMonthStarted',
          detail: expect.objectContaining({ eventKey: `${id}#notice-1`, renewalMonth: '2024-12', renewsOn: '2025-01-01' }),
        },
      })),
    );

    const before = store.writes().length;
    expect(await run(DECEMBER_RUN, { pageSize: 2 })).toMatchObject({ notices: 0, failed: [] });
    expect(store.writes().slice(before)).toEqual(renewing.map(() => ({ kind: 'putFact', result: 'exists' })));
    expect(store.facts()).toHaveLength(3);

    // Renewed in January, the next renewal month brings the notice of term 2.
    await run(JANUARY_RUN);
    expect(await run('2025-12-01T00:05:00+09:00')).toMatchObject({ notices: 3 });
    expect(
      store
        .facts()
        .filter((f) => f.contractId === renewing[0])
        .map((f) => f.SK),
    ).toEqual(['NOTICE#1#2024-01-10', 'NOTICE#2#2025-01-01', 'TERM#2#2025-01-01']);
  });

  it('pages through a shard, and stops starting pages when the time budget runs out; the next run finishes', async () => {
    store = new InMemoryStore(1);
    deps = orderDeps(store, '2023-12-20T10:00:00+09:00');
    const due = await seed(7);
    let checks = 0;
    const partial = await run(JANUARY_RUN, { pageSize: 3, shardConcurrency: 1 }, () => (checks++ === 0 ? 600_000 : 1_000));

    expect(partial).toMatchObject({ shards: [0], complete: false, renewed: 3 });
    const rest = await run(JANUARY_RUN, { pageSize: 3 });
    expect(rest).toMatchObject({ complete: true, renewed: 4 });
    expect(factContractIds()).toEqual([...due].sort());
  });

  it('reports a failed write and renews the others; the rerun renews the one that failed', async () => {
    const due = await seed(3);
    store.failNextWrite(Object.assign(new Error('Service unavailable (injected)'), { name: 'ServiceUnavailable' }), 'saveRenewal');

    const summary = await run(JANUARY_RUN, { shardConcurrency: 1, writeConcurrency: 1 });

    expect(summary.renewed).toBe(2);
    expect(summary.failed).toEqual([{ contractId: expect.any(String), error: 'ServiceUnavailable: Service unavailable (injected)' }]);
    const failedId = summary.failed[0]?.contractId;
    expect((await store.getContract(failedId ?? ''))?.version).toBe(1);
    expect(await run()).toMatchObject({ renewed: 1, failed: [] });
    expect(factContractIds()).toEqual([...due].sort());
  });
});
