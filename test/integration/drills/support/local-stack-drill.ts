import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import type { Clock } from '../../../../functions/use-cases/deps';
import { loadSettings, type Settings } from '../../../../functions/wiring/settings';
import { DEFAULT_BUS_NAME, INBOUND_SOURCE, OUTBOUND_SOURCE } from '../../../../functions/topology/routing';
import type { DeadLetter, EventRecord } from '../../../../local/event-bus';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../../../local/stack';
import { silentLogger } from '../../../support/observability';
import { dynamoDbEndpoint, extraClient } from '../../support/dynamodb';
import { stalledAfter } from './drills';
import { FaultyProxy } from './faulty-proxy';

/** Setup and helpers the drills share that run on the local stack, as `npm start` runs it. */

/** What the local stack's bus has seen: every event (inbound and outcomes) and every dead letter. */
export interface BusSeen {
  events: EventRecord[];
  deadLetters: DeadLetter[];
}

/** An event to put on the bus: its detail-type and its detail (a string is put as it is). */
export interface BusEntry {
  type: string;
  detail: unknown;
}

export interface LocalStackDrillOptions {
  /** A FaultyProxy between the stack and DynamoDB Local (`drill.proxy`). */
  proxied?: boolean;
  /** Settings beyond the table's name, the DynamoDB endpoint and 4 renewal shards. */
  env?: Record<string, string>;
  retry?: LocalStackOptions['retry'];
  /** Silent unless given. */
  logger?: LocalStackOptions['logger'];
  /** The functions' business clock; the system's unless given. */
  clock?: Clock;
}

export interface LocalStackDrill {
  readonly stack: LocalStack;
  readonly tableName: string;
  /** The settings the stack's functions run with (the DynamoDB endpoint: the proxy's, with `proxied`). */
  readonly settings: Settings;
  /** Only with `proxied`. */
  readonly proxy: FaultyProxy;
  /** The stack's JSON answer at `path`. */
  get<T>(path: string): Promise<T>;
  /** The stack's status and JSON answer at `path`. */
  answer<T>(path: string): Promise<{ status: number; body: T }>;
  /** One PutEvents call with these entries on the stack's bus, as the order system puts them. */
  put(entries: readonly BusEntry[]): Promise<PutEventsCommandOutput>;
  /** The bus's events and dead letters. */
  seen(): Promise<BusSeen>;
  /** What the bus has seen once `done` says so, every `everyMs`; after `withinMs`, what there is, for the counts to show what is missing. */
  waitFor(done: (seen: BusSeen) => boolean, withinMs: number, everyMs: number): Promise<BusSeen>;
  /**
   * Waits until no inbound event is pending or retrying and every order has what `done`
   * asks of it (outcomes come from the table's stream a moment after the delivery), then
   * returns every event and dead letter; after `withinMs`, what there is.
   */
  settled(orderIds: readonly string[], done: (counts: Tally) => boolean, withinMs: number): Promise<BusSeen>;
  /** Orders stored and not published, once that has come down to 0 or after `withinMs` (stalledAfter, on a client of its own). */
  stalled(withinMs: number): Promise<number>;
}

/**
 * Starts the local stack before the file's tests on a fresh table (`drill-<name>-…`), with
 * an EventBridge client for its bus, and stops it after them.
 */
export function useLocalStackDrill(name: string, options: LocalStackDrillOptions = {}): LocalStackDrill {
  let proxy: FaultyProxy | undefined;
  let stack: LocalStack | undefined;
  let eventBridge: EventBridgeClient | undefined;
  let settings: Settings | undefined;

  beforeAll(async () => {
    if (options.proxied) proxy = await FaultyProxy.start(dynamoDbEndpoint());
    settings = loadSettings({
      TABLE_NAME: `drill-${name}-${randomUUID().slice(0, 8)}`,
      DYNAMODB_ENDPOINT: proxy?.url ?? dynamoDbEndpoint(),
      RENEWAL_SHARDS: '4',
      ...options.env,
    });
    stack = await startLocalStack({
      port: 0,
      settings,
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      logger: options.logger ?? silentLogger(),
    });
    eventBridge = new EventBridgeClient({ endpoint: stack.url, region: 'ap-northeast-1', credentials: { accessKeyId: 'drill', secretAccessKey: 'drill' } });
  });

  afterAll(async () => {
    eventBridge?.destroy();
    await stack?.stop();
    await proxy?.close();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started`);
    return value;
  };

  const drill: LocalStackDrill = {
    get stack() {
      return started(stack, 'the local stack');
    },
    get tableName() {
      return started(settings, 'the local stack').tableName;
    },
    get settings() {
      return started(settings, 'the local stack');
    },
    get proxy() {
      return started(proxy, 'the proxy (useLocalStackDrill with proxied)');
    },
    async get<T>(path: string): Promise<T> {
      return (await drill.answer<T>(path)).body;
    },
    async answer<T>(path: string): Promise<{ status: number; body: T }> {
      const response = await fetch(`${drill.stack.url}${path}`);
      return { status: response.status, body: (await response.json()) as T };
    },
    put(entries: readonly BusEntry[]): Promise<PutEventsCommandOutput> {
      return started(eventBridge, 'the EventBridge client').send(
        new PutEventsCommand({
          Entries: entries.map(({ type, detail }) => ({
            EventBusName: DEFAULT_BUS_NAME,
            Source: INBOUND_SOURCE,
            DetailType: type,
            Detail: typeof detail === 'string' ? detail : JSON.stringify(detail),
          })),
        }),
      );
    },
    async seen(): Promise<BusSeen> {
      const { events } = await drill.get<{ events: EventRecord[] }>('/_local/events');
      const { deadLetters } = await drill.get<{ deadLetters: DeadLetter[] }>('/_local/dead-letters');
      return { events, deadLetters };
    },
    async waitFor(done: (seen: BusSeen) => boolean, withinMs: number, everyMs: number): Promise<BusSeen> {
      for (let waited = 0; ; waited += everyMs) {
        const seen = await drill.seen();
        if (done(seen) || waited >= withinMs) return seen;
        await sleep(everyMs);
      }
    },
    settled(orderIds: readonly string[], done: (counts: Tally) => boolean, withinMs: number): Promise<BusSeen> {
      return drill.waitFor((seen) => busSettled(seen.events) && done(tally(orderIds, seen)), withinMs, 200);
    },
    async stalled(withinMs: number): Promise<number> {
      const reader = extraClient();
      try {
        return await stalledAfter(reader, drill.tableName, withinMs);
      } finally {
        reader.destroy();
      }
    },
  };
  return drill;
}

/** Applications to put: each detail as a ContractApplicationSubmitted. */
export const applications = (details: readonly unknown[]): BusEntry[] => details.map((detail) => ({ type: 'ContractApplicationSubmitted', detail }));

/** The orderId of an event or a dead letter's payload; '' where it has none. */
export const orderIdOf = (value: unknown): string => (value as { detail?: { orderId?: string } } | null)?.detail?.orderId ?? '';

/** The outcomes among the bus's events. */
export const outcomesIn = (events: readonly EventRecord[]): EventRecord[] => events.filter((record) => record.event.source === OUTBOUND_SOURCE);

/** No event pending or retrying: each delivered or dead-lettered. */
export const busSettled = (events: readonly EventRecord[]): boolean =>
  events.every((record) => record.state === 'delivered' || record.state === 'dead-lettered');

export type Tally = ReturnType<typeof tally>;

/** What the bus has seen of these orders: outcomes, repeats, orders with an outcome or a dead letter, orders with neither. */
export function tally(orderIds: readonly string[], { events, deadLetters }: BusSeen) {
  const outcomes = outcomesIn(events);
  const withOutcome = new Set(outcomes.map((record) => orderIdOf(record.event)));
  const withLetter = new Set(deadLetters.map((letter) => orderIdOf(letter.payload)));
  const ofOurs = outcomes.filter((record) => orderIds.includes(orderIdOf(record.event)));
  return {
    outcomes: outcomes.length,
    // Deliveries beyond the first of an order's outcome (at-least-once: bounded by the failed marks).
    duplicates: ofOurs.length - new Set(ofOurs.map((record) => orderIdOf(record.event))).size,
    ordersWithOutcome: orderIds.filter((id) => withOutcome.has(id)).length,
    ordersDeadLettered: orderIds.filter((id) => withLetter.has(id)).length,
    lost: orderIds.filter((id) => !withOutcome.has(id) && !withLetter.has(id)).length,
    lettersWithoutReason: deadLetters.filter((letter) => letter.reason.trim() === '').length,
  };
}
