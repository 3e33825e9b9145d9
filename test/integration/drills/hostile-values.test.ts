import type { PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { UNKNOWN_FIELD } from '../../../functions/schemas/field-issues';
import { MAX_BYTES } from '../../../functions/schemas/fields';
import type { DeadLetter, EventRecord } from '../../../local/event-bus';
import { rawHttp } from '../../support/raw-http';
import { application, newOrderId } from '../support/fixtures';
import { drillCounts, printDrill, type DrillCounts } from './support/drills';
import { orderIdOf, outcomesIn, tally, useLocalStackDrill, type BusEntry } from './support/local-stack-drill';

/**
 * Drills: values at and past the sizes of docs/terms.md K2 and EventBridge's 256 KB (a
 * detail of almost 256 KB, 4,000 unknown keys, 130 KB names, 20,000-deep nesting), and
 * empty values (empty maps, lists and strings) everywhere they may go, put on the local
 * stack's bus as the order system would. Every event put gets one outcome or a dead
 * letter; none is lost or stalls; an ordinary order afterwards still gets its outcome,
 * and the stack stays healthy.
 */
jest.setTimeout(90_000);

const local = useLocalStackDrill('values', { retry: { maxAttempts: 2, baseDelayMs: 50 } });

/** One PutEvents call per detail (a detail near 256 KB fills a call); the entries' results in order. */
async function put(...events: BusEntry[]): Promise<PutEventsResultEntry[]> {
  const results: PutEventsResultEntry[] = [];
  for (const event of events) results.push(...((await local.put([event])).Entries ?? []));
  return results;
}

/** Waits until every order has an outcome or a dead letter (or 30 s), then counts. */
async function counted(orderIds: string[]): Promise<{ counts: DrillCounts; events: EventRecord[] }> {
  const { events, deadLetters } = await local.waitFor((seen) => tally(orderIds, seen).lost === 0, 30_000, 100);
  const outcomes = outcomesIn(events).filter((record) => orderIds.includes(orderIdOf(record.event)));
  const lettered = deadLetters.map((letter) => orderIdOf(letter.payload)).filter((id) => orderIds.includes(id));
  const counts = drillCounts(
    orderIds,
    outcomes.map((record) => record.event.detail.eventKey as string),
    lettered,
    await local.stalled(5_000),
  );
  return { counts, events };
}

const outcomeOf = (events: EventRecord[], orderId: string) => outcomesIn(events).find((record) => orderIdOf(record.event) === orderId)?.event;

/** A detail with a value nested `depth` deep, as JSON text (JSON.stringify itself overflows on it). */
const nestedDetail = (orderId: string, depth: number): string =>
  `{"orderId":${JSON.stringify(orderId)},"nested":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;

it('sizes: 256 KB details, 4,000 unknown keys, 130 KB names, 20,000-deep nesting; then an ordinary order', async () => {
  const unknownKeys = application({ services: Object.fromEntries(Array.from({ length: 4_000 }, (_, i) => [`service${i}`, { terminals: 1 }])) });
  const padded = application({ padding: 'x'.repeat(250_000) });
  const longNames = Array.from({ length: 4 }, () =>
    application({ customer: { customerId: 'C-BIG', name: '株'.repeat(43_000), kind: 'corporation', phone: '06-0000-0000' } }),
  );
  const deep = nestedDetail(newOrderId('deep'), 20_000);
  const ordinary = application();

  const accepted = await put(...[unknownKeys, padded, ...longNames].map((detail) => ({ type: 'ContractApplicationSubmitted', detail })));
  const [deepResult] = await put({ type: 'ContractApplicationSubmitted', detail: deep });
  await put({ type: 'ContractApplicationSubmitted', detail: ordinary });

  const orderIds = [unknownKeys, padded, ...longNames, ordinary].map((detail) => detail.orderId);
  const { counts, events } = await counted(orderIds);
  const refusal = outcomeOf(events, unknownKeys.orderId)?.detail as { reasons: Array<{ fields: unknown[]; moreFields: number }> };
  const largestOutcome = Math.max(...orderIds.map((id) => JSON.stringify(outcomeOf(events, id)?.detail ?? {}).length));
  const health = (await local.answer<unknown>('/health')).status;
  printDrill('sizes', counts, {
    accepted: accepted.filter((entry) => entry.EventId).length,
    deepNesting: deepResult?.ErrorCode ?? 'accepted',
    fieldsListed: refusal.reasons[0]?.fields.length,
    moreFields: refusal.reasons[0]?.moreFields,
    largestOutcomeBytes: largestOutcome,
    ordinary: outcomeOf(events, ordinary.orderId)?.['detail-type'],
    health,
  });

  expect(accepted.every((entry) => entry.EventId)).toBe(true);
  expect(deepResult).toMatchObject({ ErrorCode: 'MalformedDetail' });
  expect(counts).toEqual({ delivered: 7, outcomes: 7, duplicates: 0, deadLetters: 0, lost: 0, stalled: 0 });
  expect(refusal.reasons[0]).toMatchObject({ fields: expect.any(Array), moreFields: 4_000 - 20 });
  expect(refusal.reasons[0]?.fields).toHaveLength(20);
  // Every outcome far under EventBridge's 256 KB entry limit (K2).
  expect(largestOutcome).toBeLessThan(64 * 1024);
  expect(outcomeOf(events, ordinary.orderId)?.['detail-type']).toBe('ContractCreated');
  expect((await local.answer<unknown>('/_local/events')).status).toBe(200);
  expect((await local.answer<unknown>('/_local/dead-letters')).status).toBe(200);
  expect(health).toBe(200);
});

it('hostile keys and text: a 200 KB unknown service key, ten of 24 KB, lone surrogates in a key, a name and an orderId; then an ordinary order', async () => {
  const longKey = application({ services: { ['k'.repeat(200_000)]: { terminals: 1 } } });
  const longKeys = application({ services: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i).padEnd(24_000, 'k'), { terminals: 1 }])) });
  const surrogateKey = application();
  const surrogateName = application();
  const surrogateOrderId = `${newOrderId('surrogate')}-`;
  // Lone surrogates only survive as JSON escapes: JSON.stringify writes them so, and the bus parses them back.
  await put(
    ...[longKey, longKeys].map((detail) => ({ type: 'ContractApplicationSubmitted', detail })),
    { type: 'ContractApplicationSubmitted', detail: JSON.stringify({ ...surrogateKey, services: { '\ud800': {} } }) },
    {
      type: 'ContractApplicationSubmitted',
      detail: JSON.stringify({ ...surrogateName, customer: { ...(surrogateName.customer as Record<string, unknown>), name: '株式会社\udc00' } }),
    },
    { type: 'ContractApplicationSubmitted', detail: JSON.stringify({ ...application(), orderId: `${surrogateOrderId}\ud83d` }) },
  );
  const ordinary = application();
  await put({ type: 'ContractApplicationSubmitted', detail: ordinary });

  const orderIds = [longKey, longKeys, surrogateKey, surrogateName, ordinary].map((detail) => detail.orderId);
  const { counts, events } = await counted(orderIds);
  const { deadLetters } = (await local.answer<{ deadLetters: DeadLetter[] }>('/_local/dead-letters')).body;
  const pathsOf = (orderId: string) =>
    (outcomeOf(events, orderId)?.detail as { reasons?: Array<{ fields?: Array<{ path: string }> }> } | undefined)?.reasons
      ?.flatMap((r) => r.fields ?? [])
      .map((f) => f.path);
  const largestOutcome = Math.max(...orderIds.map((id) => JSON.stringify(outcomeOf(events, id)?.detail ?? {}).length));
  printDrill('hostile keys and text', counts, { largestOutcomeBytes: largestOutcome, surrogateKeyPaths: pathsOf(surrogateKey.orderId) });

  expect(counts).toEqual({ delivered: 5, outcomes: 5, duplicates: 0, deadLetters: 0, lost: 0, stalled: 0 });
  expect(orderIds.slice(0, 4).map((id) => outcomeOf(events, id)?.['detail-type'])).toEqual(Array(4).fill('ContractApplicationRejected'));
  expect(pathsOf(longKey.orderId)).toEqual([`services.${'k'.repeat(64)}… (200000文字)`]);
  expect(pathsOf(longKeys.orderId)).toHaveLength(10);
  expect(pathsOf(surrogateKey.orderId)).toEqual(['services.\uFFFD']);
  expect(pathsOf(surrogateName.orderId)).toEqual(['customer.name']);
  expect(largestOutcome).toBeLessThan(16 * 1024);
  // The orderId no outcome can carry went to the dead-letter store with its reason.
  expect(
    deadLetters.filter((letter) => orderIdOf(letter.payload).startsWith(surrogateOrderId) && letter.reason.includes('対になっていないサロゲート')),
  ).toHaveLength(1);
  expect(outcomeOf(events, ordinary.orderId)?.['detail-type']).toBe('ContractCreated');
  expect((await local.answer<unknown>('/health')).status).toBe(200);
});

it('ids sized in bytes: an orderId of 700 あ (2,100 bytes, over what a key holds) and one of as many bytes as may be; their lookups', async () => {
  const overKey = application({ orderId: 'あ'.repeat(700) });
  const longest = application({ orderId: 'あ'.repeat(Math.floor(MAX_BYTES.orderId / 3)) });
  await put(...[overKey, longest].map((detail) => ({ type: 'ContractApplicationSubmitted', detail })));
  const { counts, events } = await counted([overKey.orderId, longest.orderId]);
  const { deadLetters } = (await local.answer<{ deadLetters: DeadLetter[] }>('/_local/dead-letters')).body;
  const letters = deadLetters.filter((letter) => orderIdOf(letter.payload) === overKey.orderId);
  const delivery = events.find((record) => orderIdOf(record.event) === overKey.orderId)?.deliveries[0];
  const lookups = [overKey, longest].map(async (detail) => (await fetch(`${local.stack.url}/orders/${encodeURIComponent(detail.orderId)}`)).status);
  const [overKeyLookup, longestLookup] = await Promise.all(lookups);
  printDrill('ids sized in bytes', counts, { attempts: delivery?.attempts, reason: letters[0]?.reason, lookups: [overKeyLookup, longestLookup] });

  expect(counts).toEqual({ delivered: 2, outcomes: 1, duplicates: 0, deadLetters: 1, lost: 0, stalled: 0 });
  // Dead-lettered by the handler with its reason at once, not after failed writes.
  expect(letters).toEqual([
    expect.objectContaining({ origin: 'handler', reason: expect.stringContaining(`長すぎます。文字コード換算で${MAX_BYTES.orderId}バイト以内にしてください`) }),
  ]);
  expect(delivery).toMatchObject({ attempts: 1, state: 'dead-lettered' });
  expect(outcomeOf(events, longest.orderId)?.['detail-type']).toBe('ContractApplicationRejected');
  expect([overKeyLookup, longestLookup]).toEqual([400, 200]);
});

it('empty values: empty maps, lists and strings in every order kind; then an ordinary order', async () => {
  const created = application({ services: {} });
  await put({ type: 'ContractApplicationSubmitted', detail: created });
  const first = await counted([created.orderId]);
  const contractId = (outcomeOf(first.events, created.orderId)?.detail.contract as { contractId: string }).contractId;

  const requestedAt = '2024-06-01T09:00:00+09:00';
  const orders = [
    { type: 'ServicesChangeRequested', detail: { orderId: newOrderId('empty-chg'), requestedAt, contractId, services: {} } },
    {
      type: 'PlanChangeRequested',
      detail: { orderId: newOrderId('empty-plan'), requestedAt, contractId, plan: { code: 'prime-plus', tier: 50 }, services: {} },
    },
    { type: 'OneOffServiceOrdered', detail: { orderId: newOrderId('empty-one'), requestedAt, contractId, visitSupport: { items: [] } } },
    { type: 'OneOffServiceOrdered', detail: { orderId: newOrderId('empty-parts'), requestedAt, contractId } },
    { type: 'ContractApplicationSubmitted', detail: application({ customer: { customerId: '', name: '', kind: 'corporation', phone: '' }, lineId: '' }) },
    { type: 'CancellationRequested', detail: { orderId: newOrderId('empty-cxl'), requestedAt, contractId, effectiveDate: '' } },
    { type: 'CancellationRequested', detail: { orderId: newOrderId('empty-ok'), requestedAt, contractId } },
    { type: 'ServicesChangeRequested', detail: { orderId: '', requestedAt, contractId, services: {} } },
    { type: 'ContractApplicationSubmitted', detail: {} },
  ];
  await put(...orders);
  const withOrderId = orders.map((order) => order.detail.orderId).filter((id): id is string => typeof id === 'string' && id !== '');
  const ordinary = application();
  await put({ type: 'ContractApplicationSubmitted', detail: ordinary });
  const { counts, events } = await counted([created.orderId, ...withOrderId, ordinary.orderId]);
  const { deadLetters } = (await local.answer<{ deadLetters: DeadLetter[] }>('/_local/dead-letters')).body;
  const typeOf = (orderId: string) => outcomeOf(events, orderId)?.['detail-type'];
  const kinds = Object.fromEntries(withOrderId.map((id) => [id.replace(/-\d+-\w+$/, ''), typeOf(id)]));
  printDrill('empty values', counts, { outcomeTypes: kinds, unreadableDeadLettered: deadLetters.filter((l) => orderIdOf(l.payload) === '').length });

  expect(counts).toMatchObject({ delivered: 2 + withOrderId.length, duplicates: 0, lost: 0, stalled: 0 });
  expect(counts.outcomes).toBe(counts.delivered);
  expect(withOrderId.map(typeOf)).toEqual([
    'ContractServicesChanged',
    'ContractPlanChanged',
    'OneOffServiceRejected',
    'OneOffServiceRejected',
    'ContractApplicationRejected',
    'CancellationRejected',
    'ContractCancelled',
  ]);
  // The two without a readable orderId went to the dead-letter store, with their reasons.
  expect(deadLetters.filter((l) => orderIdOf(l.payload) === '' && l.reason.includes('orderId'))).toHaveLength(2);
  expect(typeOf(ordinary.orderId)).toBe('ContractCreated');
  expect((await local.answer<unknown>('/health')).status).toBe(200);
});

it('hostile HTTP: raw requests that are no HTTP or no URL, and an oversized body, between orders; every order still answered', async () => {
  const before = application();
  await put({ type: 'ContractApplicationSubmitted', detail: before });
  const size = 2 * 1024 * 1024;
  const answers = [
    await rawHttp(local.stack.url, 'GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n'),
    await rawHttp(local.stack.url, Buffer.from([0, 1, 2, 255, 13, 10, 13, 10])),
    await rawHttp(
      local.stack.url,
      Buffer.concat([
        Buffer.from(`POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSEvents.PutEvents\r\nContent-Length: ${size}\r\n\r\n`),
        Buffer.alloc(size, 'x'),
      ]),
    ),
    await rawHttp(local.stack.url, 'GET /contracts/%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n'),
  ];
  const after = application();
  await put({ type: 'ContractApplicationSubmitted', detail: after });
  const { counts, events } = await counted([before.orderId, after.orderId]);
  const statuses = answers.map(({ text }) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0));
  const health = (await local.answer<unknown>('/health')).status;
  printDrill('hostile HTTP', counts, { statuses, oversizedClosed: answers[2]?.closed, health });

  expect(statuses).toEqual([400, 400, 413, 400]);
  expect(answers[2]?.closed).toBe(true);
  expect(counts).toEqual({ delivered: 2, outcomes: 2, duplicates: 0, deadLetters: 0, lost: 0, stalled: 0 });
  expect(outcomeOf(events, after.orderId)?.['detail-type']).toBe('ContractCreated');
  expect(health).toBe(200);
});

it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
  'hostile names: %s as a query parameter is refused as unknown, as a header name is served',
  async (name) => {
    const request = (target: string, header = '') => rawHttp(local.stack.url, `GET ${target} HTTP/1.1\r\nHost: x\r\n${header}Connection: close\r\n\r\n`);
    const asQuery = await request(`/tariff?${name}=1&${name}=2`);
    const asHeader = await request('/tariff', `${name}: 1\r\n`);

    expect(asQuery.text).toMatch(/^HTTP\/1\.1 400/);
    // The raw answer is read byte for byte (latin1): its JSON body is UTF-8.
    const body = Buffer.from(asQuery.text, 'latin1').toString('utf8');
    expect(body).toContain(JSON.stringify({ path: name, message: UNKNOWN_FIELD }));
    expect(body).toContain(`「${name}」: ${UNKNOWN_FIELD}`);
    expect(asHeader.text).toMatch(/^HTTP\/1\.1 200/);
  },
);
