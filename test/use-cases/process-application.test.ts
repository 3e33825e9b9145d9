import { applicationDetail } from '../../bench/fixtures';
import { STREAM_PUBLISH_LEASE_MS } from '../../functions/use-cases/order-idempotency';
import { InMemoryStore } from '../support/in-memory-store';
import { codesOf, detailOf, orderDeps, orders, recordingLogger, sequentialIds, type TestOrderDeps } from './harness';

/** processApplication on the in-memory store: R7 on the line item, the idempotency step, stale retries. */
let store: InMemoryStore;
let deps: TestOrderDeps;
beforeEach(() => {
  store = new InMemoryStore();
  deps = orderDeps(store);
});
afterEach(() => jest.restoreAllMocks());

describe('processApplication', () => {
  it('creates the contract with its order and its line in one write, the outcome left for the stream to publish', async () => {
    const result = await orders.apply(deps, applicationDetail('ORD-1', 'L-1'));

    expect(result).toMatchObject({ orderId: 'ORD-1', duplicate: false, outcome: { detailType: 'ContractCreated' } });
    expect(result.outcome.detail).toEqual({
      eventKey: 'ORD-1',
      orderId: 'ORD-1',
      contract: {
        contractId: 'K-000001',
        // Every field of the application as it was sent: order, line, customer, plan, services, billing, dates.
        ...applicationDetail('ORD-1', 'L-1'),
        term: { number: 1, start: '2024-05-10', end: '2025-04-30', renewalMonth: '2025-04' },
        cancellation: null,
        acceptedTermsRevision: '2024-04-01',
        version: 1,
        status: 'live',
      },
    });
    expect(store.writes()).toEqual([{ kind: 'createContract', result: 'written' }]);
    expect(await store.getLine('L-1')).toEqual({ lineId: 'L-1', contractIds: ['K-000001'], version: 1 });
    const stored = await store.getContract('K-000001');
    expect(stored?.history.map((e) => [e.type, e.orderId])).toEqual([['ContractCreated', 'ORD-1']]);
    expect(store.orders()).toEqual([
      {
        orderId: 'ORD-1',
        slot: 'ORDER',
        fingerprint: expect.any(String),
        outcome: result.outcome,
        published: false,
        leaseUntil: expect.any(Number),
        at: '2024-06-01T10:00:00+09:00',
      },
    ]);
    expect(store.unpublished()).toEqual([{ key: { PK: 'ORDER#ORD-1', SK: 'ORDER' }, outcome: result.outcome }]);
  });

  it('refuses an application on a line whose contract still holds it with LINE_ALREADY_CONTRACTED, storing only the refusal', async () => {
    await orders.apply(deps, applicationDetail('ORD-1', 'L-1'));
    const second = await orders.apply(deps, applicationDetail('ORD-2', 'L-1', 'C-002'));

    expect(second).toMatchObject({ orderId: 'ORD-2', duplicate: false, outcome: { detailType: 'ContractApplicationRejected' } });
    expect(second.outcome.detail).toEqual({
      eventKey: 'ORD-2',
      orderId: 'ORD-2',
      reasons: [
        {
          code: 'LINE_ALREADY_CONTRACTED',
          message: 'この回線には有効な契約が既にあります (1回線につき1契約)。既存契約の解約日より後の利用開始日を指定するか、別の回線でお申し込みください。',
          clause: '別紙7 ※12 ※14 (同一契約回線)',
        },
      ],
    });
    // The first attempt assumed a new line, its write found the line taken (stale), the second read it and refused.
    expect(store.writes()).toEqual([
      { kind: 'createContract', result: 'written' },
      { kind: 'createContract', result: 'stale' },
      { kind: 'recordOrder', result: 'written' },
    ]);
    expect(store.contracts().map((c) => c.contractId)).toEqual(['K-000001']);
    expect(await store.getLine('L-1')).toEqual({ lineId: 'L-1', contractIds: ['K-000001'], version: 1 });
  });

  it('takes a line whose contract is cancelled before the new start date (a planned handover): the line lists both', async () => {
    await orders.apply(deps, applicationDetail('ORD-1', 'L-1'));
    await orders.cancel(deps, { orderId: 'ORD-C', requestedAt: '2024-05-20T09:00:00+09:00', contractId: 'K-000001', effectiveDate: '2024-05-31' });
    const next = await orders.apply(deps, { ...applicationDetail('ORD-2', 'L-1', 'C-002'), appliedAt: '2024-05-21T10:00:00+09:00', startDate: '2024-06-01' });

    expect(next.outcome.detailType).toBe('ContractCreated');
    // The first attempt (id K-000002) assumed a new line and was stale; the second read the line and judged R7 on it.
    expect(detailOf(next).contract).toMatchObject({ contractId: 'K-000003', lineId: 'L-1', startDate: '2024-06-01' });
    expect(await store.getLine('L-1')).toEqual({ lineId: 'L-1', contractIds: ['K-000001', 'K-000003'], version: 2 });
    expect(store.writes().filter((w) => w.kind === 'createContract')).toEqual([
      { kind: 'createContract', result: 'written' },
      { kind: 'createContract', result: 'stale' },
      { kind: 'createContract', result: 'written' },
    ]);
  });

  it('refuses every reason at once, R7 included, and an invalid detail with the fields named', async () => {
    await orders.apply(deps, applicationDetail('ORD-1', 'L-1'));
    const individual = await orders.apply(deps, {
      ...applicationDetail('ORD-2', 'L-1'),
      customer: { customerId: 'C-002', name: '山田太郎', kind: 'individual', phone: '06-1111-1111' },
    });
    expect(codesOf(individual.outcome)).toEqual(['CORPORATE_ONLY', 'LINE_ALREADY_CONTRACTED']);

    const invalid = await orders.apply(deps, { ...applicationDetail('ORD-3', 'L-3'), startDate: '2024-02-30', plan: { code: 'gold' } });
    expect(invalid.outcome.detailType).toBe('ContractApplicationRejected');
    expect(codesOf(invalid.outcome)).toEqual(['INVALID_REQUEST']);
    expect((invalid.outcome.detail.reasons as Array<{ fields: Array<{ path: string }> }>)[0].fields.map((f) => f.path).sort()).toEqual([
      'plan.code',
      'startDate',
    ]);
    expect(await store.getLine('L-3')).toBeNull();
    expect(store.contracts()).toHaveLength(1);
  });

  it('answers a redelivered application with the stored outcome, duplicate, and creates one contract', async () => {
    const detail = applicationDetail('ORD-1', 'L-1');
    const first = await orders.apply(deps, detail);
    // A resend may serialize the detail's keys in another order: the same request all the same.
    const resent = Object.fromEntries(Object.entries(detail).reverse());
    const again = await orders.apply(deps, resent);

    expect(again).toEqual({ orderId: 'ORD-1', outcome: first.outcome, duplicate: true });
    expect(store.contracts().map((c) => c.contractId)).toEqual(['K-000001']);
    expect(store.orders()).toHaveLength(1);
    // The redelivery made one fresh id, and its write found the order there.
    expect(store.writes().map((w) => w.result)).toEqual(['written', 'order-exists']);
  });

  it('refuses an orderId reused by a different request with ORDER_ID_REUSED, stored under the REUSED slot, once', async () => {
    await orders.apply(deps, applicationDetail('ORD-1', 'L-1'));
    const other = applicationDetail('ORD-1', 'L-2');
    const reused = await orders.apply(deps, other);
    const records = store.orders();
    const slot = records.find((r) => r.slot !== 'ORDER')?.slot;

    expect(slot).toMatch(/^REUSED#[A-Za-z0-9_-]{43}$/);
    expect(reused).toEqual({
      orderId: 'ORD-1',
      duplicate: false,
      outcome: {
        detailType: 'ContractApplicationRejected',
        detail: {
          eventKey: `ORD-1#${slot}`,
          orderId: 'ORD-1',
          reasons: [{ code: 'ORDER_ID_REUSED', message: expect.stringContaining('ORD-1'), clause: expect.any(String) }],
        },
      },
    });
    expect(records.map((r) => [r.slot, r.outcome.detailType, r.published])).toEqual([
      ['ORDER', 'ContractCreated', false],
      [slot, 'ContractApplicationRejected', false],
    ]);
    expect(records[1]?.fingerprint).toBe(slot?.slice('REUSED#'.length));
    expect(await store.getLine('L-2')).toBeNull();

    // Its redelivery is not refused twice: the stored refusal, duplicate.
    expect(await orders.apply(deps, other)).toEqual({ ...reused, duplicate: true });
    expect(store.orders()).toHaveLength(2);
  });

  it('decides again when a concurrent application takes the line between its read and its write (stale), and refuses', async () => {
    const rival = orderDeps(store, '2024-06-01T10:00:00+09:00', sequentialIds('R'));
    store.beforeNextWrite(async () => {
      await orders.apply(rival, applicationDetail('ORD-R', 'L-1', 'C-R'));
    });
    const mine = await orders.apply(deps, applicationDetail('ORD-1', 'L-1'));

    expect(store.pendingHooks()).toBe(0);
    expect(codesOf(mine.outcome)).toEqual(['LINE_ALREADY_CONTRACTED']);
    expect(store.writes()).toEqual([
      { kind: 'createContract', result: 'written' },
      { kind: 'createContract', result: 'stale' },
      { kind: 'recordOrder', result: 'written' },
    ]);
    expect(await store.getLine('L-1')).toEqual({ lineId: 'L-1', contractIds: ['R-000001'], version: 1 });
    expect(store.contracts().map((c) => c.contractId)).toEqual(['R-000001']);
  });

  it('writes nothing when the write fails, and the redelivered event creates the contract once', async () => {
    store.failNextWrite(Object.assign(new Error('Service unavailable (injected)'), { name: 'ServiceUnavailable' }));
    await expect(orders.apply(deps, applicationDetail('ORD-1', 'L-1'))).rejects.toThrow('Service unavailable (injected)');
    expect(store.orders()).toEqual([]);
    expect(await store.getLine('L-1')).toBeNull();

    const retried = await orders.apply(deps, applicationDetail('ORD-1', 'L-1'));
    expect(retried).toMatchObject({ duplicate: false, outcome: { detailType: 'ContractCreated', detail: { contract: { contractId: 'K-000002' } } } });
    expect(store.contracts().map((c) => c.contractId)).toEqual(['K-000002']);
  });

  it('hands an outcome still unpublished after its lease back to the stream on redelivery, once; a published one is left alone', async () => {
    const logger = recordingLogger();
    deps = { ...deps, logger };
    const detail = applicationDetail('ORD-1', 'L-1');
    await orders.apply(deps, detail);
    const [{ leaseUntil }] = store.orders();
    // A day and a minute later: the stream gave up on it.
    const later = leaseUntil + 60_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);

    expect((await orders.apply(deps, detail)).duplicate).toBe(true);
    expect(store.orders()[0]).toMatchObject({ published: false, leaseUntil: later + STREAM_PUBLISH_LEASE_MS });
    expect(logger.lines).toEqual([{ level: 'warn', message: 'stored outcome handed to the stream again by a redelivery: it was not published in time' }]);
    // While the new lease runs, a redelivery changes nothing.
    await orders.apply(deps, detail);
    expect(store.writes().filter((w) => w.kind === 'requeueOutcome')).toEqual([{ kind: 'requeueOutcome', result: 'true' }]);

    await store.markPublished({ PK: 'ORDER#ORD-1', SK: 'ORDER' });
    jest.spyOn(Date, 'now').mockReturnValue(later + 2 * STREAM_PUBLISH_LEASE_MS);
    expect((await orders.apply(deps, detail)).duplicate).toBe(true);
    expect(store.orders()[0]).toMatchObject({ published: true, leaseUntil: 0 });
    expect(store.unpublished()).toEqual([]);
    expect(logger.lines).toHaveLength(1);
  });
});
