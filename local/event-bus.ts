import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROUTES, routesFor, type HandlerName } from '../functions/topology/routing';
import { invokeFunction, LOCAL_ACCOUNT, LOCAL_REGION, type LocalFunction } from './lambda-runtime';

/**
 * The local EventBridge bus: records every event it is given, routes it by the same
 * ROUTES the CDK stack turns into rules, and invokes the matched handler functions
 * asynchronously, retrying failures with backoff and then dead-lettering them, as the
 * AWS wiring does (rule target -> Lambda async invoke -> on-failure destination). Each
 * function runs at most `concurrency` deliveries at once, as a Lambda with that reserved
 * concurrency would; the rest wait their turn, as throttled invocations wait in Lambda's
 * queue, without it counting as an attempt.
 */

/** The EventBridge envelope, as a Lambda target receives it. */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface BusEntry {
  eventBusName: string;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  resources: string[];
  time: Date;
}

/**
 * `pending` is the first attempt waiting for its function or running: neither delivered
 * yet nor failed, and reporting it as either would mislead whoever polls /_local/events.
 */
export type DeliveryState = 'pending' | 'delivered' | 'retrying' | 'dead-lettered';

export interface Delivery {
  target: HandlerName;
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
}

interface StoredEvent {
  seq: number;
  receivedAt: string;
  eventBusName: string;
  deliveries: Delivery[];
  event: BusEvent;
}

export interface EventRecord extends StoredEvent {
  state: DeliveryState;
}

export interface DeadLetter {
  seq: number;
  at: string;
  /** `handler`: the function judged the event unreadable; `retries-exhausted`: every attempt failed. */
  origin: 'handler' | 'retries-exhausted';
  target: HandlerName | null;
  eventId: string | null;
  reason: string;
  payload: unknown;
}

export interface RetryPolicy {
  /** Attempts in all, the first included; AWS Lambda async invoke makes 3 by default. */
  maxAttempts: number;
  /** Wait before the second attempt, doubled before each later one (AWS waits 1 min, then 2). */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200 };

/**
 * Deliveries each function runs at once. Unbounded, a burst of a few hundred events
 * opened as many writes at once on DynamoDB Local, which left connections unaccepted
 * until the SDK gave up, and the events were dead-lettered. On AWS no bound is reserved:
 * DynamoDB on demand absorbs the burst.
 */
export const DEFAULT_CONCURRENCY = 8;

export interface LocalEventBusOptions {
  busName: string;
  functions: ReadonlyMap<HandlerName, LocalFunction>;
  retry?: RetryPolicy;
  /** Deliveries each function runs at once; default DEFAULT_CONCURRENCY. */
  concurrency?: number;
}

interface Attempt {
  record: StoredEvent;
  delivery: Delivery;
}

const STATE_SEVERITY: DeliveryState[] = ['delivered', 'pending', 'retrying', 'dead-lettered'];

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** At most `limit` runs at once; the others wait, first come first served. */
class Slots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // A slot freed goes straight to the next in line, so no newcomer overtakes it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** Second precision with a Z, as EventBridge writes `time`. */
function eventTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class LocalEventBus {
  readonly busName: string;
  private readonly functions: ReadonlyMap<HandlerName, LocalFunction>;
  private readonly slots = new Map<HandlerName, Slots>();
  private readonly retry: RetryPolicy;
  private readonly records: StoredEvent[] = [];
  private readonly letters: DeadLetter[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly currentAttempt = new AsyncLocalStorage<Attempt>();
  private readonly shutdown = new AbortController();

  constructor(options: LocalEventBusOptions) {
    this.busName = options.busName;
    const missing = ROUTES.filter((route) => !options.functions.has(route.handler)).map((route) => route.handler);
    if (missing.length > 0) throw new Error(`no local function for route targets: ${missing.join(', ')}`);
    this.functions = options.functions;
    for (const name of options.functions.keys()) this.slots.set(name, new Slots(options.concurrency ?? DEFAULT_CONCURRENCY));
    this.retry = options.retry ?? DEFAULT_RETRY;
    // Each delivery waiting to retry listens for the shutdown: many at once in an outage, not a leak.
    setMaxListeners(0, this.shutdown.signal);
  }

  /** Records the entry and starts its deliveries without waiting for them (PutEvents answers first). */
  put(entry: BusEntry): BusEvent {
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.detailType,
      source: entry.source,
      account: LOCAL_ACCOUNT,
      time: eventTime(entry.time),
      region: LOCAL_REGION,
      resources: entry.resources,
      detail: entry.detail,
    };
    // Rules live on the bus they were created on: only this bus has the ROUTES rules.
    // Events that match no rule (the outbound ones, which downstream systems consume on
    // AWS, and anything sent to the default bus) have no target here: they count as
    // delivered, and stay visible in /_local/events.
    const routes = entry.eventBusName === this.busName ? routesFor(event) : [];
    const record: StoredEvent = {
      seq: this.records.length + 1,
      receivedAt: new Date().toISOString(),
      eventBusName: entry.eventBusName,
      deliveries: routes.map((route) => ({ target: route.handler, state: 'pending', attempts: 0, lastError: null })),
      event,
    };
    this.records.push(record);
    for (const delivery of record.deliveries) this.track(this.deliver(record, delivery));
    return event;
  }

  events(): EventRecord[] {
    return this.records.map(({ seq, ...rest }) => ({ seq, state: overallState(rest.deliveries), ...rest }));
  }

  deadLetters(): DeadLetter[] {
    return [...this.letters];
  }

  /**
   * Where a handler function sends an event it cannot read (the dead-letter sink port).
   * Called during a delivery, it marks that delivery dead-lettered so that the handler's
   * normal return does not count as a successful delivery. A function the bus does not
   * deliver to (the outcome publisher, fed by the table's stream) names itself.
   */
  deadLetter(reason: string, payload: unknown, from: HandlerName | null = null): void {
    const attempt = this.currentAttempt.getStore();
    if (attempt) attempt.delivery.state = 'dead-lettered';
    this.letters.push({
      seq: this.letters.length + 1,
      at: new Date().toISOString(),
      origin: 'handler',
      target: attempt?.delivery.target ?? from,
      eventId: attempt?.record.event.id ?? null,
      reason,
      payload,
    });
  }

  /** Resolves once no delivery is running or waiting for a retry. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Abandons waiting retries (their deliveries stay `retrying`) and waits for running attempts. */
  async close(): Promise<void> {
    this.shutdown.abort();
    await this.idle();
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async deliver(record: StoredEvent, delivery: Delivery): Promise<void> {
    // Checked in the constructor.
    const fn = this.functions.get(delivery.target) as LocalFunction;
    const slots = this.slots.get(delivery.target) as Slots;
    // Let PutEvents answer before the target runs, as the asynchronous invoke does on AWS.
    await sleep(0);
    while (!this.shutdown.signal.aborted) {
      const done = await slots.run(() => this.attempt(fn, record, delivery));
      if (done) return;
      const delay = this.retry.baseDelayMs * 2 ** (delivery.attempts - 1);
      await sleep(delay, undefined, { signal: this.shutdown.signal }).catch(() => undefined);
    }
  }

  /** One attempt, once the function has a slot for it: true when the delivery is over (or the bus closing), false to retry. */
  private async attempt(fn: LocalFunction, record: StoredEvent, delivery: Delivery): Promise<boolean> {
    // Waiting for the slot may have outlasted the bus: the delivery stays as it was.
    if (this.shutdown.signal.aborted) return true;
    delivery.attempts += 1;
    try {
      await this.currentAttempt.run({ record, delivery }, () => invokeFunction(fn, record.event));
      if (delivery.state !== 'dead-lettered') delivery.state = 'delivered';
      return true;
    } catch (error) {
      delivery.lastError = describe(error);
      if (delivery.state === 'dead-lettered') return true;
      if (delivery.attempts >= this.retry.maxAttempts) {
        this.exhausted(record, delivery);
        return true;
      }
      delivery.state = 'retrying';
      return false;
    }
  }

  private exhausted(record: StoredEvent, delivery: Delivery): void {
    delivery.state = 'dead-lettered';
    this.letters.push({
      seq: this.letters.length + 1,
      at: new Date().toISOString(),
      origin: 'retries-exhausted',
      target: delivery.target,
      eventId: record.event.id,
      reason: `failed ${delivery.attempts} attempts; last error: ${delivery.lastError}`,
      payload: record.event,
    });
  }
}

/** An event is as far along as its least advanced delivery; no target means nothing left to do. */
function overallState(deliveries: Delivery[]): DeliveryState {
  return deliveries.reduce<DeliveryState>(
    (worst, delivery) => (STATE_SEVERITY.indexOf(delivery.state) > STATE_SEVERITY.indexOf(worst) ? delivery.state : worst),
    'delivered',
  );
}
