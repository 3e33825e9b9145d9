import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { loadSettings } from '../../functions/wiring/settings';
import { DEFAULT_BUS_NAME, INBOUND_SOURCE, OUTBOUND_SOURCE } from '../../functions/topology/routing';
import { englishWordsIn } from '../support/japanese-text';
import { silentLogger } from '../support/observability';
import type { EventRecord } from '../../local/event-bus';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { application, newOrderId, type Detail } from '../integration/support/fixtures';

/**
 * The local stack as its users meet it: started in-process on a free port, then driven
 * only from outside, with the AWS SDK's EventBridgeClient (PutEvents) and HTTP. Uses the
 * DynamoDB at DYNAMODB_ENDPOINT when the run has one (a fresh table), else starts its own.
 */
jest.setTimeout(60_000);

// Basic fee ① is a placeholder in the shipped catalog: the operator's amount flows in through TARIFF_OVERRIDES.
const BASIC_FEE_WITH_GATEWAY = 3_300;

let stack: LocalStack;
let client: EventBridgeClient;

beforeAll(async () => {
  const settings = loadSettings({
    TABLE_NAME: `e2e-${randomUUID().slice(0, 8)}`,
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT,
    RENEWAL_SHARDS: '4',
    TARIFF_OVERRIDES: JSON.stringify({ prices: { 'basicFee.withGateway': BASIC_FEE_WITH_GATEWAY } }),
  });
  stack = await startLocalStack({ port: 0, settings, retry: { maxAttempts: 2, baseDelayMs: 20 }, logger: silentLogger() });
  client = new EventBridgeClient({
    endpoint: stack.url,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'any-secret' },
  });
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await stack?.stop();
});

/** Parsed JSON bodies, read field by field. */
type Json = Record<string, any>;

async function get(path: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${stack.url}${path}`);
  return { status: response.status, body: (await response.json()) as Json };
}

async function post(path: string, body: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, body: (await response.json()) as Json };
}

const entry = (detailType: string, detail: unknown): PutEventsRequestEntry => ({
  EventBusName: DEFAULT_BUS_NAME,
  Source: INBOUND_SOURCE,
  DetailType: detailType,
  Detail: typeof detail === 'string' ? detail : JSON.stringify(detail),
});

async function put(...entries: PutEventsRequestEntry[]): Promise<string[]> {
  const result = await client.send(new PutEventsCommand({ Entries: entries }));
  expect(result.FailedEntryCount).toBe(0);
  return (result.Entries ?? []).map((e) => e.EventId as string);
}

async function events(): Promise<EventRecord[]> {
  return (await get('/_local/events')).body.events as EventRecord[];
}

/** Waits until the given inbound events are settled (delivered or dead-lettered), then returns every event. */
async function settled(eventIds: string[]): Promise<EventRecord[]> {
  for (let waited = 0; waited < 15_000; waited += 50) {
    const all = await events();
    const mine = all.filter((record) => eventIds.includes(record.event.id));
    if (mine.length === eventIds.length && mine.every((record) => record.state === 'delivered' || record.state === 'dead-lettered')) return all;
    await sleep(50);
  }
  throw new Error(`events ${eventIds.join(', ')} not settled: ${JSON.stringify(await events())}`);
}

/** The order's outcomes once its inbound events are settled and the table's stream has published them (a few ms later). */
async function outcomes(orderId: string, eventIds: string[]): Promise<EventRecord[]> {
  for (let waited = 0; waited < 15_000; waited += 50) {
    const found = (await settled(eventIds)).filter((record) => record.event.source === OUTBOUND_SOURCE && record.event.detail.orderId === orderId);
    if (found.length > 0) return found;
    await sleep(50);
  }
  throw new Error(`no outcome for ${orderId}: ${JSON.stringify(await events())}`);
}

/**
 * Every event the bus saw once the table's stream has published what was written so far
 * (the renewal's facts go out that way): a later order's outcome means the stream passed them.
 */
async function streamCaughtUp(): Promise<EventRecord[]> {
  // No Prime Plus: the marker is nothing any renewal run would pick up.
  await createdContract(application({ plan: { code: 'none' }, services: { endpointSecurity: { terminals: 1 } } }));
  return events();
}

/** Applies through the bus and returns the created contract's id. */
async function createdContract(detail: Detail): Promise<string> {
  const [outcome] = await outcomes(detail.orderId, await put(entry('ContractApplicationSubmitted', detail)));
  expect(outcome?.event['detail-type']).toBe('ContractCreated');
  return (outcome?.event.detail.contract as Json).contractId as string;
}

describe('local stack, driven from outside', () => {
  it('is healthy once started', async () => {
    expect(await get('/health')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('turns an application into a contract, visible on the bus and through every lookup', async () => {
    const detail = application();
    const [eventId] = await put(entry('ContractApplicationSubmitted', detail));
    const found = await outcomes(detail.orderId, [eventId]);

    expect(found.map((record) => [record.event['detail-type'], record.state, record.deliveries])).toEqual([['ContractCreated', 'delivered', []]]);
    const all = await events();
    const inbound = all.find((record) => record.event.id === eventId);
    expect(inbound).toMatchObject({ state: 'delivered', deliveries: [{ target: 'contract-application', state: 'delivered', attempts: 1 }] });
    expect((inbound?.seq ?? Infinity) < (found[0]?.seq ?? -Infinity)).toBe(true);

    const contractId = (found[0]?.event.detail.contract as Json).contractId as string;
    const contract = await get(`/contracts/${contractId}`);
    expect(contract.status).toBe(200);
    expect(contract.body).toMatchObject({
      contractId,
      orderId: detail.orderId,
      lineId: detail.lineId,
      plan: { code: 'prime-plus', tier: 10 },
      startDate: '2024-05-10',
      term: { number: 1, start: '2024-05-10', end: '2025-04-30', renewalMonth: '2025-04' },
      cancellation: null,
      version: 1,
      history: [{ type: 'ContractCreated', orderId: detail.orderId }],
    });
    expect((await get(`/lines/${detail.lineId}/contract`)).body).toMatchObject({ contractId });
    expect((await get('/customers/C-001/contracts')).body.contracts.map((c: Json) => c.contractId)).toContain(contractId);
    expect(await get('/contracts/no-such-contract')).toEqual({ status: 404, body: { error: { code: 'CONTRACT_NOT_FOUND', message: expect.any(String) } } });
    const badMonth = await get(`/contracts/${contractId}/charges?month=2024-13`);
    expect(badMonth.status).toBe(400);
    expect(badMonth.body.error).toMatchObject({ code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'month' })] });
  });

  it('publishes the outcome of every order on a contract whose services are empty (an empty map in the stream)', async () => {
    const detail = application({ services: {} });
    const contractId = await createdContract(detail);

    const change = { orderId: newOrderId('empty-change'), requestedAt: '2024-06-01T09:00:00+09:00', contractId, services: {} };
    const [changed] = await outcomes(change.orderId, await put(entry('ServicesChangeRequested', change)));
    expect(changed?.event['detail-type']).toBe('ContractServicesChanged');
    expect((changed?.event.detail.contract as Json).services).toEqual({});

    const cancel = { orderId: newOrderId('empty-cancel'), requestedAt: '2024-06-02T09:00:00+09:00', contractId };
    const [cancelled] = await outcomes(cancel.orderId, await put(entry('CancellationRequested', cancel)));
    expect(cancelled?.event['detail-type']).toBe('ContractCancelled');
    expect((await get('/_local/dead-letters')).body.deadLetters.filter((letter: Json) => letter.target === 'outcome-publisher')).toEqual([]);
  });

  it('answers a detail of almost 256 KB with a small refusal, and an ordinary application after it still gets its outcome', async () => {
    const huge = application({ customer: { customerId: 'C-HUGE', name: '株'.repeat(80_000), kind: 'corporation', phone: '06-0000-0000' } });
    const [refused] = await outcomes(huge.orderId, await put(entry('ContractApplicationSubmitted', huge)));
    expect(refused?.event['detail-type']).toBe('ContractApplicationRejected');
    expect((refused?.event.detail.reasons as Json[])[0]).toMatchObject({
      code: 'INVALID_REQUEST',
      fields: [expect.objectContaining({ path: 'customer.name' })],
    });
    expect(Buffer.byteLength(JSON.stringify(refused?.event.detail))).toBeLessThan(8 * 1024);
    await createdContract(application());
    expect((await get('/health')).status).toBe(200);
  });

  it('refuses an application breaking several rules with every reason at once', async () => {
    const detail = application({
      customer: { customerId: 'C-E2E-IND', name: '山田太郎', kind: 'individual', phone: '06-0000-0000' },
      plan: { code: 'none' },
      services: { endpointSecurity: { terminals: 3 }, edrSecurity: { terminals: 3 } },
    });
    const found = await outcomes(detail.orderId, await put(entry('ContractApplicationSubmitted', detail)));
    expect(found).toHaveLength(1);
    expect(found[0]?.event['detail-type']).toBe('ContractApplicationRejected');
    const reasons = found[0]?.event.detail.reasons as Json[];
    expect(reasons.map((reason) => reason.code).sort()).toEqual(['CORPORATE_ONLY', 'EDR_ENDPOINT_CONFLICT']);
    for (const reason of reasons) expect(reason).toEqual(expect.objectContaining({ message: expect.any(String), clause: expect.any(String) }));
    // In Japanese, for customer service to read out (docs/interface.md §1.2).
    expect(reasons.flatMap((reason) => englishWordsIn(reason.message))).toEqual([]);
    expect(reasons.find((reason) => reason.code === 'CORPORATE_ONLY')?.message).toContain('2023年12月1日以降、法人のお客様のみ');
    expect((await get(`/lines/${detail.lineId}/contract`)).status).toBe(404);
  });

  it('gives the same order delivered twice one contract and one outcome', async () => {
    const detail = application();
    const first = await put(entry('ContractApplicationSubmitted', detail), entry('ContractApplicationSubmitted', detail));
    const second = await put(entry('ContractApplicationSubmitted', detail));
    const found = await outcomes(detail.orderId, [...first, ...second]);
    expect(found.map((record) => record.event['detail-type'])).toEqual(['ContractCreated']);
    const onLine = (await get(`/lines/${detail.lineId}/contract`)).body;
    expect(onLine.contractId).toBe((found[0]?.event.detail.contract as Json).contractId);
    const ofCustomer = (await get('/customers/C-001/contracts')).body.contracts as Json[];
    expect(ofCustomer.filter((c) => c.lineId === detail.lineId)).toHaveLength(1);
  });

  it('cancels a Prime Plus contract with the termination fee of its remaining months', async () => {
    const contractId = await createdContract(application());
    // Effective 2024-07-31: month 3 of the term that started 2024-05-10, so 9 months remain.
    const quote = await get(`/contracts/${contractId}/termination-quote?date=2024-07-31`);
    expect(quote.status).toBe(200);

    const cancellation = { orderId: newOrderId('e2e-cxl'), requestedAt: '2024-07-15T09:00:00+09:00', contractId, effectiveDate: '2024-07-31' };
    const found = await outcomes(cancellation.orderId, await put(entry('CancellationRequested', cancellation)));
    expect(found.map((record) => record.event['detail-type'])).toEqual(['ContractCancelled']);
    const fee = found[0]?.event.detail.terminationFee as Json;
    expect(fee).toMatchObject({ remainingMonths: 9, basicFee: BASIC_FEE_WITH_GATEWAY, amount: BASIC_FEE_WITH_GATEWAY * 9, clause: '別紙7 ※11' });
    expect(quote.body).toMatchObject(fee);

    const contract = (await get(`/contracts/${contractId}`)).body;
    expect(contract).toMatchObject({
      status: 'cancelled',
      version: 2,
      cancellation: { orderId: cancellation.orderId, effectiveDate: '2024-07-31', terminationFee: fee },
    });
    expect(contract.history.map((h: Json) => h.type)).toEqual(['ContractCreated', 'ContractCancelled']);
  });

  it('renews a due Prime Plus contract once when the schedule runs, however often it runs', async () => {
    const contractId = await createdContract(application());
    const scheduledTime = '2025-05-01T00:05:00+09:00';

    const run = await post('/_local/schedules/monthly-renewal', JSON.stringify({ scheduledTime }));
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ month: '2025-05', scheduledTime, complete: true, failed: [] });
    expect(run.body.renewed).toBeGreaterThanOrEqual(1);

    const renewedEvents = (await streamCaughtUp()).filter(
      (r) => r.event['detail-type'] === 'ContractRenewed' && (r.event.detail.contract as Json).contractId === contractId,
    );
    expect(renewedEvents).toHaveLength(1);
    expect(renewedEvents[0]?.event.detail.contract).toMatchObject({ term: { number: 2, start: '2025-05-01', end: '2026-04-30', renewalMonth: '2026-04' } });
    expect((await get(`/contracts/${contractId}`)).body.term).toEqual({ number: 2, start: '2025-05-01', end: '2026-04-30', renewalMonth: '2026-04' });

    const again = await post('/_local/schedules/monthly-renewal', JSON.stringify({ scheduledTime }));
    expect(again.body).toMatchObject({ renewed: 0, complete: true });
    expect(
      (await streamCaughtUp()).filter((r) => r.event['detail-type'] === 'ContractRenewed' && (r.event.detail.contract as Json).contractId === contractId),
    ).toHaveLength(1);
  });

  it('changes a plan and charges a one-off order through the bus; the order lookup and the bill show them', async () => {
    const contractId = await createdContract(application());
    const planChange = {
      orderId: newOrderId('e2e-plan'),
      requestedAt: '2024-06-20T09:00:00+09:00',
      contractId,
      effectiveDate: '2024-07-01',
      plan: { code: 'prime-plus', tier: 50 },
      services: { edrSecurity: { terminals: 8 } },
    };
    const [changed] = await outcomes(planChange.orderId, await put(entry('PlanChangeRequested', planChange)));
    expect(changed?.event['detail-type']).toBe('ContractPlanChanged');
    expect(changed?.event.detail).toMatchObject({ eventKey: planChange.orderId, previousPlan: { code: 'prime-plus', tier: 10 }, terminationFee: null });

    const oneOff = {
      orderId: newOrderId('e2e-one'),
      requestedAt: '2024-06-03T09:00:00+09:00',
      contractId,
      date: '2024-06-05',
      visitSupport: { items: [{ item: 'basicWork', quantity: 1 }] },
      mailTraining: { mails: 12 },
    };
    const [charged] = await outcomes(oneOff.orderId, await put(entry('OneOffServiceOrdered', oneOff)));
    expect(charged?.event['detail-type']).toBe('OneOffFeeCharged');
    // V1: a visit without an installation item pays basic work (7,500円); the ※1 waiver waits for the first installation.
    expect(charged?.event.detail.fee).toMatchObject({ date: '2024-06-05', revision: '2024-04-01', subtotal: 7700 });

    let order = await get(`/orders/${oneOff.orderId}`);
    for (let waited = 0; !order.body.published && waited < 5_000; waited += 50) {
      await sleep(50);
      order = await get(`/orders/${oneOff.orderId}`);
    }
    expect(order).toEqual({
      status: 200,
      body: {
        orderId: oneOff.orderId,
        detailType: 'OneOffServiceOrdered',
        receivedAt: expect.any(String),
        outcome: { detailType: 'OneOffFeeCharged', detail: expect.any(Object) },
        published: true,
      },
    });
    expect((await get('/orders/ORD-unknown-e2e')).status).toBe(404);

    const june = await get(`/contracts/${contractId}/charges?month=2024-06`);
    expect(june.status).toBe(200);
    expect(june.body.lines.filter((l: Json) => l.kind === 'one-off').map((l: Json) => [l.item, l.amount, l.orderId])).toEqual([
      ['visit.basicWork', 7500, oneOff.orderId],
      ['mailTraining.perMail', 200, oneOff.orderId],
    ]);
    expect(june.body.tax).toEqual({
      ratePercent: 10,
      taxableSubtotal: june.body.subtotal,
      consumptionTax: Math.floor(june.body.subtotal / 10),
      total: june.body.subtotal + Math.floor(june.body.subtotal / 10),
    });
    const july = await get(`/contracts/${contractId}/charges?month=2024-07`);
    expect(july.body.lines[0]).toMatchObject({ item: 'primePlus.50', amount: 21000 });
  });

  it("sends the renewal-month notice once from the schedule, and lists the month's contracts", async () => {
    const contractId = await createdContract(application());
    const scheduledTime = '2025-04-01T00:05:00+09:00';
    const run = await post('/_local/schedules/monthly-renewal', JSON.stringify({ scheduledTime }));
    expect(run.status).toBe(200);
    expect(run.body.notices).toBeGreaterThanOrEqual(1);
    await post('/_local/schedules/monthly-renewal', JSON.stringify({ scheduledTime }));
    const notices = (await streamCaughtUp()).filter(
      (r) => r.event['detail-type'] === 'ContractRenewalMonthStarted' && (r.event.detail.contract as Json).contractId === contractId,
    );
    expect(notices.map((r) => r.event.detail.eventKey)).toEqual([`${contractId}#notice-1`]);
    expect(notices[0]?.event.detail).toMatchObject({ renewalMonth: '2025-04', renewsOn: '2025-05-01' });
    const listed = await get('/renewals?month=2025-04&limit=200');
    expect(listed.status).toBe(200);
    expect(listed.body.contracts).toContainEqual(expect.objectContaining({ contractId, willRenew: true }));
  });

  it('answers a renewal request without a scheduledTime with 400 naming the field', async () => {
    const response = await post('/_local/schedules/monthly-renewal', '{}');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'scheduledTime' })] });
  });

  it('puts an event without a readable orderId in the dead-letter store with its reason', async () => {
    const [eventId] = await put(entry('ContractApplicationSubmitted', { customer: { name: 'no order id' } }));
    const all = await settled([eventId]);
    expect(all.find((record) => record.event.id === eventId)).toMatchObject({
      state: 'dead-lettered',
      deliveries: [{ target: 'contract-application', state: 'dead-lettered', attempts: 1 }],
    });
    const letters = (await get('/_local/dead-letters')).body.deadLetters as Json[];
    expect(letters.filter((letter) => letter.eventId === eventId)).toEqual([
      expect.objectContaining({
        origin: 'handler',
        target: 'contract-application',
        reason: expect.stringContaining('orderId'),
        payload: expect.objectContaining({ id: eventId }),
      }),
    ]);
    expect(all.filter((record) => record.event.source === OUTBOUND_SOURCE && record.seq > (all.find((r) => r.event.id === eventId)?.seq ?? 0))).toEqual([]);
  });

  it('fails a malformed Detail in its slot and still takes the other entries of the call', async () => {
    const good = application();
    const result = await client.send(
      new PutEventsCommand({ Entries: [entry('ContractApplicationSubmitted', '{"orderId": "ORD-broken",'), entry('ContractApplicationSubmitted', good)] }),
    );
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    const goodId = result.Entries?.[1]?.EventId as string;
    expect((await outcomes(good.orderId, [goodId])).map((r) => r.event['detail-type'])).toEqual(['ContractCreated']);
    expect((await events()).some((record) => record.event.detail.orderId === 'ORD-broken')).toBe(false);
  });
  /** Dead letters the outcome publisher wrote for stream records (a notice item among them would be one). */
  async function streamDeadLetters(): Promise<Json[]> {
    await streamCaughtUp();
    return ((await get('/_local/dead-letters')).body.deadLetters as Json[]).filter((letter) => letter.target === 'outcome-publisher');
  }

  it('a request to leave in the renewal month stops the renewal whatever its effective date (L5): no ContractRenewed, fee 0, no notice once asked', async () => {
    // Renewal month 2025-07; no other test of this file runs the schedule for it.
    const asksInRenewalMonth = await createdContract(application({ startDate: '2024-08-10' }));
    const asksBefore = await createdContract(application({ startDate: '2024-08-10' }));
    const staying = await createdContract(application({ startDate: '2024-08-10' }));
    const cancel = async (contractId: string, requestedAt: string) => {
      const order = { orderId: newOrderId('e2e-l5'), requestedAt, contractId, effectiveDate: '2025-08-15' };
      const [outcome] = await outcomes(order.orderId, await put(entry('CancellationRequested', order)));
      expect(outcome?.event['detail-type']).toBe('ContractCancelled');
      return outcome?.event.detail.terminationFee as Json;
    };
    expect(await cancel(asksBefore, '2025-06-20T09:00:00+09:00')).toMatchObject({ amount: 0, remainingMonths: 0 });

    // The schedule run of a month, then the contracts of this test that got an event of the type, once the stream has published it.
    const ours = [asksInRenewalMonth, asksBefore, staying];
    const runThen = async (scheduledTime: string, detailType: string) => {
      expect((await post('/_local/schedules/monthly-renewal', JSON.stringify({ scheduledTime }))).status).toBe(200);
      const events = (await streamCaughtUp()).filter((r) => r.event['detail-type'] === detailType);
      return events.map((r) => (r.event.detail.contract as Json).contractId as string).filter((id) => ours.includes(id));
    };
    expect((await runThen('2025-07-01T00:05:00+09:00', 'ContractRenewalMonthStarted')).sort()).toEqual([asksInRenewalMonth, staying].sort());
    const listed = (await get('/renewals?month=2025-07&limit=200')).body.contracts as Json[];
    expect(listed.find((c) => c.contractId === asksBefore)?.willRenew).toBe(false);

    // 23:59 JST on the renewal month's last day.
    expect(await cancel(asksInRenewalMonth, '2025-07-31T14:59:00Z')).toMatchObject({ amount: 0, remainingMonths: 0 });
    expect(await runThen('2025-08-01T00:05:00+09:00', 'ContractRenewed')).toEqual([staying]);
    for (const id of [asksInRenewalMonth, asksBefore]) {
      expect((await get(`/contracts/${id}`)).body).toMatchObject({ term: { number: 1, end: '2025-07-31' }, cancellation: { effectiveDate: '2025-08-15' } });
      expect((await get(`/contracts/${id}/charges?month=2025-08`)).body.lines[0]).toMatchObject({
        item: 'primePlus.10',
        amount: Math.floor((19000 * 15) / 31),
      });
    }
    expect(await streamDeadLetters()).toEqual([]);
  });

  it('waives the ※1 items on the first installation, not on an earlier visit without one (V1)', async () => {
    const contractId = await createdContract(application());
    const visit = async (date: string, items: Array<{ item: string; quantity: number }>) => {
      const order = { orderId: newOrderId('e2e-v1'), requestedAt: `${date}T09:00:00+09:00`, contractId, date, visitSupport: { items } };
      const [outcome] = await outcomes(order.orderId, await put(entry('OneOffServiceOrdered', order)));
      return (outcome?.event.detail.fee as Json).lines.map((l: Json) => [l.item, l.amount]);
    };
    expect(await visit('2024-05-20', [{ item: 'osUpdate', quantity: 1 }])).toEqual([['visit.osUpdate', 12100]]);
    expect(
      await visit('2024-06-05', [
        { item: 'basicWork', quantity: 1 },
        { item: 'gatewayInstallation', quantity: 1 },
      ]),
    ).toEqual([
      ['visit.basicWork', 0],
      ['visit.gatewayInstallation', 0],
    ]);
    expect(await visit('2024-06-20', [{ item: 'gatewayInstallation', quantity: 1 }])).toEqual([['visit.gatewayInstallation', 8500]]);
  });

  it('publishes renewal-month notices without a dead letter: no notice item is taken for an unpublished outcome', async () => {
    const contractId = await createdContract(application({ startDate: '2024-09-10' }));
    const run = await post('/_local/schedules/monthly-renewal', JSON.stringify({ scheduledTime: '2025-08-01T00:05:00+09:00' }));
    expect(run.status).toBe(200);
    const notices = (await streamCaughtUp()).filter(
      (r) => r.event['detail-type'] === 'ContractRenewalMonthStarted' && (r.event.detail.contract as Json).contractId === contractId,
    );
    expect(notices).toHaveLength(1);
    expect(await streamDeadLetters()).toEqual([]);
  });
});
