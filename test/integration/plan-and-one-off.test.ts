import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createLookupApiHandler } from '../../functions/handlers/lookup-api';
import { testDeps } from '../support/handler-deps';
import { fixedClock } from './support/fixtures';
import { RequestCounter } from './support/request-counter';
import { useTable } from './support/suite';

/** PlanChangeRequested and OneOffServiceOrdered on DynamoDB Local (docs/terms.md §7, §8), and what the lookups then show. */
const t = useTable('plan-one-off');

// One counter per client: the SDK refuses a second middleware of the same name.
let counter: RequestCounter;
beforeAll(() => {
  counter = new RequestCounter(t.table.client);
});

const codesOf = (event: { detail: Record<string, any> }) => (event.detail.reasons as Array<{ code: string }>).map((r) => r.code);
const pathsOf = (event: { detail: Record<string, any> }) =>
  (event.detail.reasons as Array<{ fields?: Array<{ path: string }> }>).flatMap((r) => (r.fields ?? []).map((f) => f.path));

async function get(path: string, query: Record<string, string> | null = null) {
  const lookup = createLookupApiHandler(testDeps({ dynamoDb: t.table.client, settings: t.table.settings, clock: fixedClock('2024-07-15T12:00:00+09:00') }));
  const response = await lookup({ httpMethod: 'GET', path, queryStringParameters: query } as APIGatewayProxyEvent);
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

/** A Prime contract applied for before the closure (2023-12-28), the main path of PC3. */
const primeApplication = {
  appliedAt: '2023-11-01T10:00:00+09:00',
  startDate: '2023-11-10',
  plan: { code: 'prime', tier: 10 },
  services: { gatewaySecurity: { tier: 10, failureSupport24h: true } },
};

describe('PlanChangeRequested', () => {
  it('Prime → Prime Plus: term 1 from the effective date, previousPlan, no fee, eventKey; 1 read + 1 transaction', async () => {
    const contractId = await t.handlers.created(primeApplication);
    counter.reset();
    const event = t.handlers.planChangeEvent({
      contractId,
      requestedAt: '2024-06-20T09:00:00+09:00',
      effectiveDate: '2024-07-01',
      plan: { code: 'prime-plus', tier: 50 },
      services: { edrSecurity: { terminals: 8 } },
    });
    await t.handlers.changePlan(event);
    expect(counter.snapshot()).toEqual({ GetItem: 1, TransactWriteItems: 1 });

    const outcome = t.handlers.outcomeOf(event.detail.orderId);
    expect(outcome.detailType).toBe('ContractPlanChanged');
    expect(outcome.detail).toMatchObject({
      eventKey: event.detail.orderId,
      orderId: event.detail.orderId,
      previousPlan: { code: 'prime', tier: 10 },
      terminationFee: null,
      contract: {
        contractId,
        plan: { code: 'prime-plus', tier: 50 },
        term: { number: 1, start: '2024-07-01', end: '2025-06-30', renewalMonth: '2025-06' },
        version: 2,
      },
    });
    // The month of the change: Prime to 2024-06-30, Prime Plus from 2024-07-01 (PC6).
    const july = await get(`/contracts/${contractId}/charges`, { month: '2024-07' });
    expect(july.body.lines.map((l: { item: string }) => l.item)).toEqual(['primePlus.50', 'edrSecurity']);
    // The renewal-month list of 2025-06 has it, from the index (interface §3).
    const renewals = await get('/renewals', { month: '2025-06' });
    expect(renewals.body.contracts).toEqual([expect.objectContaining({ contractId, willRenew: true })]);
  });

  it('Prime Plus → none in month 11: the L2 fee on the outcome and on that month’s bill, 不課税', async () => {
    const contractId = await t.handlers.created({ lineId: `L-out-${Date.now()}` });
    const event = t.handlers.planChangeEvent({
      contractId,
      requestedAt: '2025-03-01T09:00:00+09:00',
      effectiveDate: '2025-03-16',
      plan: { code: 'none' },
      services: { gatewaySecurity: { tier: 10, failureSupport24h: true } },
    });
    await t.handlers.changePlan(event);
    const outcome = t.handlers.outcomeOf(event.detail.orderId);
    expect(outcome.detail.terminationFee).toMatchObject({ remainingMonths: 1, amount: 3000, taxable: false });
    expect(outcome.detail.contract.term).toBeNull();
    const march = await get(`/contracts/${contractId}/charges`, { month: '2025-03' });
    const fee = march.body.lines.find((l: { kind: string }) => l.kind === 'termination-fee');
    expect(fee).toMatchObject({ amount: 3000, taxLabel: '不課税', orderId: event.detail.orderId });
    expect(march.body.tax.taxableSubtotal).toBe(march.body.subtotal - 3000);
    expect(march.body.tax.total).toBe(march.body.subtotal + march.body.tax.consumptionTax);
  });

  it('refuses: Prime after the closure, the same plan, unknown contract, cancelled contract', async () => {
    const contractId = await t.handlers.created();
    const toPrime = t.handlers.planChangeEvent({ contractId, plan: { code: 'prime', tier: 10 }, services: {} });
    await t.handlers.changePlan(toPrime);
    expect(t.handlers.outcomeOf(toPrime.detail.orderId).detailType).toBe('PlanChangeRejected');
    expect(codesOf(t.handlers.outcomeOf(toPrime.detail.orderId))).toEqual(['PRIME_PLAN_CLOSED']);

    const stored = await t.store.getContract(contractId);
    const same = t.handlers.planChangeEvent({ contractId, plan: stored?.plan, services: stored?.services });
    await t.handlers.changePlan(same);
    expect(pathsOf(t.handlers.outcomeOf(same.detail.orderId))).toEqual(['plan']);

    const unknown = t.handlers.planChangeEvent({ contractId: 'K-none', plan: { code: 'none' }, services: {} });
    await t.handlers.changePlan(unknown);
    expect(codesOf(t.handlers.outcomeOf(unknown.detail.orderId))).toEqual(['CONTRACT_NOT_FOUND']);

    await t.handlers.cancel(t.handlers.cancelEvent({ contractId, requestedAt: '2024-06-01T09:00:00+09:00', effectiveDate: '2024-06-30' }));
    const late = t.handlers.planChangeEvent({ contractId, requestedAt: '2024-07-02T09:00:00+09:00', plan: { code: 'prime-plus', tier: 50 }, services: {} });
    await t.handlers.changePlan(late);
    expect(codesOf(t.handlers.outcomeOf(late.detail.orderId))).toEqual(['CONTRACT_NOT_LIVE']);
    expect((await t.store.getContract(contractId))?.plan).toEqual(stored?.plan);
  });
});

describe('OneOffServiceOrdered', () => {
  it('the first visit order waives the ※1 items, the second pays; both on the month’s bill, tax once', async () => {
    const contractId = await t.handlers.created();
    const visit = (date: string) =>
      t.handlers.oneOffEvent({
        contractId,
        requestedAt: `${date}T09:00:00+09:00`,
        date,
        visitSupport: {
          items: [
            { item: 'basicWork', quantity: 1 },
            { item: 'gatewayInstallation', quantity: 1 },
          ],
        },
      });
    const first = visit('2024-06-05');
    counter.reset();
    await t.handlers.orderOneOff(first);
    expect(counter.snapshot()).toEqual({ GetItem: 1, TransactWriteItems: 1 });
    const second = visit('2024-06-20');
    await t.handlers.orderOneOff(second);

    const charged = t.handlers.outcomeOf(first.detail.orderId);
    expect(charged.detailType).toBe('OneOffFeeCharged');
    expect(charged.detail).toMatchObject({ eventKey: first.detail.orderId, contractId, fee: { date: '2024-06-05', revision: '2024-04-01', subtotal: 0 } });
    expect(charged.detail.fee.lines[0]).toMatchObject({ item: 'visit.basicWork', amount: 0, waived: { unitPrice: 7500 } });
    expect(t.handlers.outcomeOf(second.detail.orderId).detail.fee.subtotal).toBe(7500 + 8500);

    const june = await get(`/contracts/${contractId}/charges`, { month: '2024-06' });
    const oneOff = june.body.lines.filter((l: { kind: string }) => l.kind === 'one-off');
    expect(oneOff.map((l: { orderId: string; amount: number }) => [l.orderId, l.amount])).toEqual([
      [first.detail.orderId, 0],
      [first.detail.orderId, 0],
      [second.detail.orderId, 7500],
      [second.detail.orderId, 8500],
    ]);
    expect(june.body.tax.consumptionTax).toBe(Math.floor(june.body.tax.taxableSubtotal / 10));
    expect(june.body.lines.every((l: Record<string, unknown>) => !('consumptionTax' in l))).toBe(true);
  });

  it('refuses unknown items, zero quantities, a date before the start, with every field named', async () => {
    const contractId = await t.handlers.created();
    const bad = t.handlers.oneOffEvent({
      contractId,
      date: '2024-05-01',
      visitSupport: { items: [{ item: 'teaCeremony', quantity: 1 }] },
      dataMigration: { devices: [{ volumeGB: 0 }] },
      mailTraining: { mails: -1 },
    });
    await t.handlers.orderOneOff(bad);
    const refused = t.handlers.outcomeOf(bad.detail.orderId);
    expect(refused.detailType).toBe('OneOffServiceRejected');
    expect(pathsOf(refused).sort()).toEqual(['dataMigration.devices.0.volumeGB', 'mailTraining.mails', 'visitSupport.items.0.item']);

    const early = t.handlers.oneOffEvent({ contractId, date: '2024-05-01', mailTraining: { mails: 3 } });
    await t.handlers.orderOneOff(early);
    expect(pathsOf(t.handlers.outcomeOf(early.detail.orderId))).toEqual(['date']);

    const empty = t.handlers.oneOffEvent({ contractId });
    await t.handlers.orderOneOff(empty);
    expect(pathsOf(t.handlers.outcomeOf(empty.detail.orderId))).toEqual(['visitSupport']);
    expect((await t.store.getContract(contractId))?.oneOffFees ?? []).toEqual([]);
  });
});

describe('the largest counts an order may state (docs/terms.md K2)', () => {
  it('charges a contract and a one-off order at the largest counts exactly, and refuses one more, naming each field', async () => {
    const most = { endpointSecurity: undefined, edrSecurity: { terminals: 100_000 }, cloudProxy: { users: 100_000 }, elgana: { ids: 100_000 } };
    // elgana only on Prime Plus (E1); no endpoint security beside its EDR (R5).
    const contractId = await t.handlers.created({
      plan: { code: 'prime-plus', tier: 10 },
      services: { edrSecurity: most.edrSecurity, cloudProxy: most.cloudProxy, elgana: most.elgana },
    });
    const largest = t.handlers.oneOffEvent({
      contractId,
      date: '2024-06-05',
      visitSupport: { items: Array.from({ length: 100 }, () => ({ item: 'routerInstallation.basic', quantity: 100_000 })) },
      dataMigration: { devices: Array.from({ length: 100 }, () => ({ volumeGB: 1_000_000 })) },
      mailTraining: { mails: 100_000 },
    });
    await t.handlers.orderOneOff(largest);
    expect(t.handlers.outcomeOf(largest.detail.orderId).detailType).toBe('OneOffFeeCharged');
    const june = await get(`/contracts/${contractId}/charges`, { month: '2024-06' });
    expect(june.status).toBe(200);
    const lines = june.body.lines as Array<{ amount: number }>;
    expect([...lines.map((l) => l.amount), june.body.subtotal, june.body.tax.total].every(Number.isSafeInteger)).toBe(true);
    expect(june.body.tax.total).toBe(june.body.subtotal + june.body.tax.consumptionTax);

    const tooMany = t.handlers.oneOffEvent({
      contractId,
      visitSupport: { items: [{ item: 'osRecovery', quantity: 100_001 }] },
      dataMigration: { devices: [{ volumeGB: 1_000_001 }] },
      mailTraining: { mails: Number.MAX_SAFE_INTEGER },
    });
    await t.handlers.orderOneOff(tooMany);
    const refused = t.handlers.outcomeOf(tooMany.detail.orderId);
    expect(refused.detailType).toBe('OneOffServiceRejected');
    expect(refused.detail.reasons[0].fields).toEqual([
      { path: 'visitSupport.items.0.quantity', message: '100,000以下で指定してください' },
      { path: 'dataMigration.devices.0.volumeGB', message: '1,000,000以下で指定してください' },
      { path: 'mailTraining.mails', message: '100,000以下で指定してください' },
    ]);
  });
});

describe('GET /orders/{orderId}', () => {
  it('answers what became of an order, and 404 ORDER_NOT_FOUND for one never received', async () => {
    const contractId = await t.handlers.created();
    const event = t.handlers.oneOffEvent({ contractId, mailTraining: { mails: 12 } });
    await t.handlers.orderOneOff(event);
    const found = await get(`/orders/${encodeURIComponent(event.detail.orderId)}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      orderId: event.detail.orderId,
      detailType: 'OneOffServiceOrdered',
      receivedAt: expect.stringMatching(/\+09:00$/),
      outcome: { detailType: 'OneOffFeeCharged', detail: expect.objectContaining({ eventKey: event.detail.orderId, contractId }) },
      published: true,
    });
    const missing = await get('/orders/ORD-never');
    expect(missing).toEqual({ status: 404, body: { error: { code: 'ORDER_NOT_FOUND', message: expect.any(String) } } });
  });
});
