import type { Context } from 'aws-lambda';
import { INBOUND_SOURCE, OUTBOUND_SOURCE, ROUTES, type HandlerName } from '../../functions/topology/routing';
import { LocalEventBus, type BusEntry, type BusEvent, type RetryPolicy } from '../../local/event-bus';
import type { LocalFunction } from '../../local/lambda-runtime';

type Behaviour = (event: BusEvent, context: Context, bus: LocalEventBus) => Promise<unknown>;

const BUS = 'omakase-contracts';
const FAST: RetryPolicy = { maxAttempts: 3, baseDelayMs: 5 };

function busWith(behaviour: Behaviour, options: { retry?: RetryPolicy; timeoutMs?: number; concurrency?: number } = {}) {
  const calls: { target: HandlerName; event: BusEvent; context: Context }[] = [];
  const functions = new Map<HandlerName, LocalFunction>();
  for (const route of ROUTES) {
    functions.set(route.handler, {
      name: route.handler,
      timeoutMs: options.timeoutMs ?? 1000,
      handler: async (event: BusEvent, context: Context) => {
        calls.push({ target: route.handler, event, context });
        return behaviour(event, context, bus);
      },
    });
  }
  const bus = new LocalEventBus({
    busName: BUS,
    functions,
    retry: options.retry ?? FAST,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  return { bus, calls };
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 2000) throw new Error('condition not met within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function entry(overrides: Partial<BusEntry> = {}): BusEntry {
  return {
    eventBusName: BUS,
    source: INBOUND_SOURCE,
    detailType: 'ContractApplicationSubmitted',
    detail: { orderId: 'ORD-1' },
    resources: [],
    time: new Date('2024-02-29T14:59:59.999Z'),
    ...overrides,
  };
}

describe('LocalEventBus', () => {
  it('routes an inbound event to its function with the EventBridge envelope and a Lambda context', async () => {
    const { bus, calls } = busWith(async () => undefined);
    const put = bus.put(entry());
    await bus.idle();

    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.target).toBe('contract-application');
    expect(call?.event).toEqual({
      version: '0',
      id: put.id,
      'detail-type': 'ContractApplicationSubmitted',
      source: INBOUND_SOURCE,
      account: expect.stringMatching(/^\d{12}$/),
      time: '2024-02-29T14:59:59Z',
      region: 'ap-northeast-1',
      resources: [],
      detail: { orderId: 'ORD-1' },
    });
    expect(call?.context.functionName).toBe('contract-application');
    expect(call?.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(call?.context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(bus.events()[0]).toMatchObject({ seq: 1, state: 'delivered', deliveries: [{ target: 'contract-application', attempts: 1 }] });
  });

  it('hands the function a copy, so a handler mutating its event does not change the record', async () => {
    const { bus } = busWith(async (event) => {
      event.detail.orderId = 'changed';
    });
    bus.put(entry());
    await bus.idle();
    expect(bus.events()[0]?.event.detail).toEqual({ orderId: 'ORD-1' });
  });

  it('answers before the function runs, and shows the first attempt as pending', async () => {
    let release: () => void = () => undefined;
    const { bus, calls } = busWith(() => new Promise((resolve) => (release = () => resolve(undefined))));
    bus.put(entry());
    expect(calls).toHaveLength(0);
    await waitFor(() => calls.length === 1);
    expect(bus.events()[0]?.state).toBe('pending');
    release();
    await bus.idle();
    expect(bus.events()[0]?.state).toBe('delivered');
  });

  it('records outbound events and events on the default bus as delivered, with no target', async () => {
    const { bus, calls } = busWith(async () => undefined);
    bus.put(entry({ source: OUTBOUND_SOURCE, detailType: 'ContractCreated' }));
    bus.put(entry({ eventBusName: 'default' }));
    await bus.idle();
    expect(calls).toHaveLength(0);
    expect(bus.events().map((record) => [record.seq, record.state, record.deliveries.length])).toEqual([
      [1, 'delivered', 0],
      [2, 'delivered', 0],
    ]);
  });

  it('retries a failing function with backoff and counts it delivered once an attempt succeeds', async () => {
    let failures = 2;
    const { bus, calls } = busWith(
      async () => {
        if (failures-- > 0) throw new Error('DynamoDB unavailable');
      },
      { retry: { maxAttempts: 3, baseDelayMs: 50 } },
    );
    bus.put(entry());
    await waitFor(() => bus.events()[0]?.state === 'retrying');
    await bus.idle();
    expect(calls).toHaveLength(3);
    expect(bus.events()[0]?.deliveries[0]).toMatchObject({ state: 'delivered', attempts: 3, lastError: 'Error: DynamoDB unavailable' });
    expect(bus.deadLetters()).toEqual([]);
  });

  it('dead-letters the event with its last error once every attempt failed', async () => {
    const { bus, calls } = busWith(async () => {
      throw new TypeError('boom');
    });
    const put = bus.put(entry());
    await bus.idle();
    expect(calls).toHaveLength(FAST.maxAttempts);
    expect(bus.events()[0]?.state).toBe('dead-lettered');
    expect(bus.deadLetters()).toEqual([
      expect.objectContaining({
        origin: 'retries-exhausted',
        target: 'contract-application',
        eventId: put.id,
        reason: 'failed 3 attempts; last error: TypeError: boom',
        payload: expect.objectContaining({ id: put.id }),
      }),
    ]);
  });

  it('treats a timed-out invocation as a failure', async () => {
    const { bus } = busWith(() => new Promise(() => undefined), { retry: { maxAttempts: 1, baseDelayMs: 1 }, timeoutMs: 20 });
    bus.put(entry());
    await bus.idle();
    expect(bus.deadLetters()[0]?.reason).toMatch(/LambdaTimeoutError: contract-application timed out after 20 ms/);
  });

  it('attributes a dead letter written by the function to the event being delivered, without retrying it', async () => {
    const { bus, calls } = busWith(async (event, _context, self) => {
      self.deadLetter('orderId: required', event);
    });
    const put = bus.put(entry({ detail: { nothing: true } }));
    await bus.idle();
    expect(calls).toHaveLength(1);
    expect(bus.events()[0]?.state).toBe('dead-lettered');
    expect(bus.deadLetters()).toEqual([
      expect.objectContaining({ origin: 'handler', target: 'contract-application', eventId: put.id, reason: 'orderId: required' }),
    ]);
  });

  it('keeps a dead letter written outside any delivery, unattributed', () => {
    const { bus } = busWith(async () => undefined);
    bus.deadLetter('renewal item unreadable', { contractId: 'x' });
    expect(bus.deadLetters()).toEqual([expect.objectContaining({ origin: 'handler', target: null, eventId: null })]);
  });

  it('refuses to start without a function for every route', () => {
    expect(() => new LocalEventBus({ busName: BUS, functions: new Map() })).toThrow(/no local function for route targets: contract-application/);
  });

  it('runs at most `concurrency` deliveries of a function at once, the rest pending in turn, and delivers them all', async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let running = 0;
    let most = 0;
    const { bus, calls } = busWith(
      async () => {
        most = Math.max(most, (running += 1));
        await gate;
        await new Promise((resolve) => setTimeout(resolve, 1));
        running -= 1;
      },
      { concurrency: 3 },
    );
    const orderIds = Array.from({ length: 10 }, (_, i) => `ORD-${i}`);
    for (const orderId of orderIds) bus.put(entry({ detail: { orderId } }));
    await waitFor(() => calls.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(calls).toHaveLength(3);
    expect(bus.events().map((record) => [record.state, record.deliveries[0]?.attempts])).toEqual([
      ...Array(3).fill(['pending', 1]),
      ...Array(7).fill(['pending', 0]),
    ]);
    release();
    await bus.idle();
    expect(most).toBe(3);
    expect(calls.map((call) => call.event.detail.orderId)).toEqual(orderIds);
    expect(bus.events().map((record) => record.state)).toEqual(Array(10).fill('delivered'));
  });

  it('queues a retry behind the deliveries waiting for the function, and keeps a delivery queued at close pending', async () => {
    let fail = true;
    const { bus, calls } = busWith(
      async () => {
        if (fail) {
          fail = false;
          throw new Error('first one fails');
        }
        await new Promise((resolve) => setTimeout(resolve, 30));
      },
      { concurrency: 1, retry: { maxAttempts: 2, baseDelayMs: 1 } },
    );
    for (const orderId of ['ORD-A', 'ORD-B', 'ORD-C']) bus.put(entry({ detail: { orderId } }));
    await waitFor(() => calls.length === 2);
    await bus.close();

    // A's retry queued behind B and C; the close abandoned both it and C, never attempted.
    expect(calls.map((call) => call.event.detail.orderId)).toEqual(['ORD-A', 'ORD-B']);
    expect(bus.events().map((record) => [record.state, record.deliveries[0]?.attempts])).toEqual([
      ['retrying', 1],
      ['delivered', 1],
      ['pending', 0],
    ]);
  });

  it('stops waiting retries on close', async () => {
    const { bus, calls } = busWith(
      async () => {
        throw new Error('down');
      },
      { retry: { maxAttempts: 5, baseDelayMs: 60_000 } },
    );
    bus.put(entry());
    await waitFor(() => bus.events()[0]?.state === 'retrying');
    await bus.close();
    expect(calls).toHaveLength(1);
    expect(bus.events()[0]?.state).toBe('retrying');
  });
});
