import { application, inboundEvent } from './support/fixtures';
import { RequestCounter } from './support/request-counter';
import { useTable } from './support/suite';

const t = useTable('applications');

const submitted = (detail: unknown) => inboundEvent('ContractApplicationSubmitted', detail);
const reasonCodes = (orderId: string) => t.h.bus.forOrder(orderId).flatMap((e) => (e.detail.reasons ?? []).map((r: { code: string }) => r.code));

describe('ContractApplicationSubmitted', () => {
  it('creates the contract and publishes ContractCreated with the interface §2 shape', async () => {
    const detail = application();
    const result = await t.handlers.apply(submitted(detail));

    expect(result).toEqual({ orderId: detail.orderId, outcome: 'ContractCreated', duplicate: false });
    const [event] = t.h.bus.forOrder(detail.orderId);
    expect(event).toMatchObject({ source: 'omakase.contracts', detailType: 'ContractCreated', eventBusName: t.table.settings.eventBusName });
    expect(event?.detail.contract).toMatchObject({
      orderId: detail.orderId,
      lineId: detail.lineId,
      plan: { code: 'prime-plus', tier: 10 },
      startDate: '2024-05-10',
      status: 'live',
      term: { number: 1, start: '2024-05-10', end: '2025-04-30', renewalMonth: '2025-04' },
      cancellation: null,
      version: 1,
    });
    expect(event?.detail.contract.history).toBeUndefined();
    const stored = await t.store.getContract(event?.detail.contract.contractId);
    expect(stored?.history.map((entry) => entry.type)).toEqual(['ContractCreated']);
  });

  it('costs one write request (the transaction) and no read on the happy path', async () => {
    const counter = new RequestCounter(t.table.client);
    await t.handlers.apply(submitted(application()));
    expect(counter.snapshot()).toEqual({ TransactWriteItems: 1 });
  });

  it('defaults startDate to the JST date of appliedAt (15:30Z on 28 Dec is 29 Dec in Japan)', async () => {
    const { startDate: _omitted, ...detail } = application({ appliedAt: '2023-12-28T15:30:00Z' });
    await t.handlers.apply(submitted(detail));
    expect(t.h.bus.forOrder(detail.orderId)[0]?.detail.contract.startDate).toBe('2023-12-29');
  });

  it('has one effect and one outcome when the same event arrives twice', async () => {
    const detail = application();
    const first = await t.handlers.apply(submitted(detail));
    const second = await t.handlers.apply(submitted(detail));

    expect(first).toMatchObject({ duplicate: false });
    expect(second).toEqual({ orderId: detail.orderId, outcome: 'ContractCreated', duplicate: true });
    expect(t.h.bus.forOrder(detail.orderId)).toHaveLength(1);
    expect(await t.store.getLine(detail.lineId)).toMatchObject({ contractIds: [expect.any(String)] });
  });

  it('has one effect and one outcome when the same event arrives 20 times at once', async () => {
    const detail = application();
    const results = await Promise.all(Array.from({ length: 20 }, () => t.handlers.apply(submitted(detail))));

    expect(results.filter((r) => 'duplicate' in r && !r.duplicate)).toHaveLength(1);
    expect(t.h.bus.forOrder(detail.orderId)).toHaveLength(1);
    const line = await t.store.getLine(detail.lineId);
    expect(line?.contractIds).toHaveLength(1);
    expect((await t.store.contractsOfCustomer('C-001')).filter((c) => c.lineId === detail.lineId)).toHaveLength(1);
  });

  it('refuses a different request that reuses an orderId with ORDER_ID_REUSED, once per request', async () => {
    const detail = application();
    await t.handlers.apply(submitted(detail));
    const reuse = { ...application(), orderId: detail.orderId };
    const refused = await t.handlers.apply(submitted(reuse));
    const again = await t.handlers.apply(submitted(reuse));

    expect(refused).toEqual({ orderId: detail.orderId, outcome: 'ContractApplicationRejected', duplicate: false });
    expect(again).toMatchObject({ duplicate: true });
    const events = t.h.bus.forOrder(detail.orderId);
    expect(events.map((e) => e.detailType)).toEqual(['ContractCreated', 'ContractApplicationRejected']);
    expect(events[1]?.detail.reasons).toEqual([expect.objectContaining({ code: 'ORDER_ID_REUSED', clause: expect.any(String), message: expect.any(String) })]);
    // K1: the order's own outcome is keyed by the orderId; the refusal of another request reusing it is another fact.
    expect(events[0]?.detail.eventKey).toBe(detail.orderId);
    expect(events[1]?.detail.eventKey).toMatch(new RegExp(`^${detail.orderId}#REUSED#.+`));
    expect(await t.store.getLine(reuse.lineId)).toBeNull();
  });

  it('refuses an individual applying on or after 2023-12-01 with CORPORATE_ONLY', async () => {
    const detail = application({ customer: { customerId: 'C-002', name: '山田太郎', kind: 'individual', phone: '06-0000-0000' } });
    await t.handlers.apply(submitted(detail));
    expect(reasonCodes(detail.orderId)).toEqual(['CORPORATE_ONLY']);
  });

  it('refuses Prime from 2023-12-29 00:00 JST with PRIME_PLAN_CLOSED, and accepts it a minute earlier', async () => {
    const prime = { plan: { code: 'prime', tier: 10 }, services: { gatewaySecurity: { tier: 10, failureSupport24h: true } }, startDate: '2024-01-10' };
    const late = application({ ...prime, appliedAt: '2023-12-28T15:00:00Z' });
    const inTime = application({ ...prime, appliedAt: '2023-12-28T23:59:00+09:00' });
    await t.handlers.apply(submitted(late));
    await t.handlers.apply(submitted(inTime));

    expect(reasonCodes(late.orderId)).toEqual(['PRIME_PLAN_CLOSED']);
    expect(t.h.bus.forOrder(inTime.orderId).map((e) => e.detailType)).toEqual(['ContractCreated']);
  });

  it('refuses EDR with endpoint security (EDR_ENDPOINT_CONFLICT) and EDR on Prime (EDR_PRIME_CONFLICT)', async () => {
    const both = application({ plan: { code: 'none' }, services: { edrSecurity: { terminals: 3 }, endpointSecurity: { terminals: 3 } } });
    const primeEdr = application({ appliedAt: '2023-12-20T10:00:00+09:00', plan: { code: 'prime', tier: 10 }, services: { edrSecurity: { terminals: 3 } } });
    await t.handlers.apply(submitted(both));
    await t.handlers.apply(submitted(primeEdr));

    expect(reasonCodes(both.orderId)).toEqual(['EDR_ENDPOINT_CONFLICT']);
    expect(reasonCodes(primeEdr.orderId)).toContain('EDR_PRIME_CONFLICT');
  });

  it('refuses Prime Plus applied for on 2023-11-30 with PRODUCT_NOT_AVAILABLE', async () => {
    const detail = application({ appliedAt: '2023-11-30T23:59:00+09:00', startDate: '2023-12-10' });
    await t.handlers.apply(submitted(detail));
    expect(reasonCodes(detail.orderId)).toContain('PRODUCT_NOT_AVAILABLE');
  });

  it('refuses a second contract on a taken line with LINE_ALREADY_CONTRACTED, together with every other broken rule', async () => {
    const first = application();
    await t.handlers.apply(submitted(first));
    const second = application({ lineId: first.lineId });
    const both = application({ lineId: first.lineId, customer: { customerId: 'C-003', name: '個人', kind: 'individual', phone: '06-0000-0000' } });
    await t.handlers.apply(submitted(second));
    await t.handlers.apply(submitted(both));

    expect(reasonCodes(second.orderId)).toEqual(['LINE_ALREADY_CONTRACTED']);
    expect(reasonCodes(both.orderId).sort()).toEqual(['CORPORATE_ONLY', 'LINE_ALREADY_CONTRACTED']);
    expect((await t.store.getLine(first.lineId))?.contractIds).toHaveLength(1);
  });

  it('accepts a new contract on a line whose contract is cancelled before the new start date (R7 handover)', async () => {
    const first = application({ startDate: '2024-05-10' });
    await t.handlers.apply(submitted(first));
    const contractId = t.h.bus.forOrder(first.orderId)[0]?.detail.contract.contractId;
    await t.handlers.cancel(t.handlers.cancelEvent({ contractId, effectiveDate: '2024-06-30' }));
    const onTheLastDay = application({ lineId: first.lineId, startDate: '2024-06-30' });
    const theDayAfter = application({ lineId: first.lineId, startDate: '2024-07-01' });
    await t.handlers.apply(submitted(onTheLastDay));
    await t.handlers.apply(submitted(theDayAfter));

    expect(reasonCodes(onTheLastDay.orderId)).toEqual(['LINE_ALREADY_CONTRACTED']);
    expect(t.h.bus.forOrder(theDayAfter.orderId).map((e) => e.detailType)).toEqual(['ContractCreated']);
    expect((await t.store.getLine(first.lineId))?.contractIds).toHaveLength(2);
  });

  it('refuses a start date before the JST date of appliedAt with INVALID_REQUEST on startDate (rules are judged at appliedAt)', async () => {
    // 23:30 JST and 15:30Z on 30 April are 30 April and 1 May in Japan.
    const sameDay = application({ appliedAt: '2024-04-30T23:30:00+09:00', startDate: '2024-04-30' });
    const dayBefore = application({ appliedAt: '2024-04-30T15:30:00Z', startDate: '2024-04-30' });
    // A start before EDR and Prime Plus were offered would be billed on a tariff without them.
    const beforeTheProducts = application({ appliedAt: '2023-12-01T10:00:00+09:00', startDate: '2023-11-20' });
    for (const detail of [sameDay, dayBefore, beforeTheProducts]) await t.handlers.apply(submitted(detail));

    expect(t.h.bus.forOrder(sameDay.orderId).map((e) => e.detailType)).toEqual(['ContractCreated']);
    for (const refused of [dayBefore, beforeTheProducts]) {
      const [event] = t.h.bus.forOrder(refused.orderId);
      expect(event?.detailType).toBe('ContractApplicationRejected');
      expect(event?.detail.reasons).toEqual([expect.objectContaining({ code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'startDate' })] })]);
    }
  });

  it('refuses dates past the calendar (year 9999 in Japan) with an outcome, instead of failing or creating a term it cannot count', async () => {
    const { startDate: _omitted, ...lateInstant } = application({ appliedAt: '9999-12-31T23:00:00-09:00' });
    const lateStart = application({ startDate: '9999-06-01' });
    const results = [await t.handlers.apply(submitted(lateInstant)), await t.handlers.apply(submitted(lateStart))];

    expect(results.map((r) => 'outcome' in r && r.outcome)).toEqual(['ContractApplicationRejected', 'ContractApplicationRejected']);
    expect(t.h.bus.forOrder(lateInstant.orderId)[0]?.detail.reasons[0].fields.map((f: { path: string }) => f.path)).toEqual(['appliedAt']);
    expect(t.h.bus.forOrder(lateStart.orderId)[0]?.detail.reasons[0].fields.map((f: { path: string }) => f.path)).toEqual(['startDate']);
  });

  it('refuses a malformed application with INVALID_REQUEST naming every failing field', async () => {
    const detail = application({
      appliedAt: '2024-05-01 10:00',
      customer: { customerId: 'C-9', name: 'x', kind: 'company' },
      services: { edrSecurity: { terminals: -1 }, firewall: { units: 1 } },
    });
    await t.handlers.apply(submitted(detail));

    const [event] = t.h.bus.forOrder(detail.orderId);
    expect(event?.detailType).toBe('ContractApplicationRejected');
    const [reason] = event?.detail.reasons ?? [];
    expect(reason.code).toBe('INVALID_REQUEST');
    expect(reason.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'appliedAt',
      'customer.kind',
      'services.edrSecurity.terminals',
      'services.firewall',
    ]);
  });

  it('refuses a count over 100,000, naming the field and the limit (docs/terms.md K2)', async () => {
    const detail = application({ plan: { code: 'none' }, services: { edrSecurity: { terminals: 100_001 }, cloudProxy: { users: Number.MAX_SAFE_INTEGER } } });
    await t.handlers.apply(submitted(detail));
    const [event] = t.h.bus.forOrder(detail.orderId);
    expect(event?.detailType).toBe('ContractApplicationRejected');
    expect(event?.detail.reasons[0].fields).toEqual([
      { path: 'services.edrSecurity.terminals', message: '100,000以下で指定してください' },
      { path: 'services.cloudProxy.users', message: '100,000以下で指定してください' },
    ]);
  });

  describe('sizes (docs/terms.md K2)', () => {
    it('refuses ids over 64 characters, a name over 200 and a phone over 32, naming each field', async () => {
      const detail = application({
        orderId: `ORD-${'x'.repeat(61)}`,
        lineId: 'L'.repeat(65),
        customer: { customerId: 'C'.repeat(65), name: '株'.repeat(201), kind: 'corporation', phone: '0'.repeat(33) },
      });
      await t.handlers.apply(submitted(detail));

      const [event] = t.h.bus.forOrder(detail.orderId);
      const [reason] = event?.detail.reasons ?? [];
      expect(reason).toMatchObject({ code: 'INVALID_REQUEST' });
      expect(reason.fields.map((f: { path: string }) => f.path).sort()).toEqual([
        'customer.customerId',
        'customer.name',
        'customer.phone',
        'lineId',
        'orderId',
      ]);
      expect(reason.moreFields).toBeUndefined();
      // Exactly at the limits, nothing is refused for its size.
      const fits = application({
        customer: { customerId: 'C'.repeat(64), name: '株'.repeat(200), kind: 'corporation', phone: '0'.repeat(32) },
        lineId: 'L'.repeat(64),
      });
      expect(await t.handlers.apply(submitted(fits))).toMatchObject({ outcome: 'ContractCreated' });
    });

    it('lists at most 20 failing fields and counts the rest in moreFields: 4,000 unknown services make a small refusal', async () => {
      const services = Object.fromEntries(Array.from({ length: 4_000 }, (_, i) => [`unknown${i}`, { terminals: 1 }]));
      const detail = application({ services });
      await t.handlers.apply(submitted(detail));

      const [event] = t.h.bus.forOrder(detail.orderId);
      const [reason] = event?.detail.reasons ?? [];
      expect(reason.fields).toHaveLength(20);
      expect(reason.moreFields).toBe(3_980);
      expect(reason.message).toContain('ほか3980件');
      expect(Buffer.byteLength(JSON.stringify(event?.detail))).toBeLessThan(16 * 1024);
    });

    it('dead-letters an orderId too long to carry in an outcome (over 1,024 characters)', async () => {
      const detail = application({ orderId: 'O'.repeat(1_025) });
      expect(await t.handlers.apply(submitted(detail))).toMatchObject({ deadLettered: true, reason: expect.stringContaining('1,024文字以内') });
    });
  });

  it('sends an event without a readable orderId to the dead-letter sink and returns', async () => {
    const { orderId: _missing, ...detail } = application();
    const result = await t.handlers.apply(submitted(detail));

    expect(result).toMatchObject({ deadLettered: true, reason: expect.stringContaining('orderId') });
    expect(t.h.deadLetters.letters).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('orderId'), payload: expect.objectContaining({ detail }) }),
    ]);
    expect(t.h.bus.published).toEqual([]);
  });

  it('dead-letters an event of another detail-type instead of treating it as an application', async () => {
    const result = await t.handlers.apply(inboundEvent('ContractApplicationSubmitted', null));
    const misrouted = await t.handlers.apply(inboundEvent('CancellationRequested', application()) as never);

    expect(result).toMatchObject({ deadLettered: true });
    expect(misrouted).toMatchObject({ deadLettered: true, reason: expect.stringContaining('CancellationRequested') });
    expect(t.h.deadLetters.letters).toHaveLength(2);
  });
});
