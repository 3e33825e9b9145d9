import type { EventBridgeEvent } from 'aws-lambda';
import { applicationDetail } from '../../../bench/fixtures';
import type { Clock, IdGenerator } from '../../../functions/use-cases/deps';
import { createOutcomePublisherHandler } from '../../../functions/handlers/outcome-publisher';
import { isUnpublishedOutcome } from '../../../functions/topology/outcome-stream';
import { StreamMapping, type CloseReport } from '../../../local/stream-mapping';
import { localStreamsClient } from '../../../local/table-stream';
import { FakeEventBridge } from '../../support/fake-event-bridge';
import { testDeps, type TestClients } from '../../support/handler-deps';
import { InMemoryDeadLetterSink, silentLogger } from '../../support/observability';
import { dynamoDbEndpoint, extraClient, type TestTable } from './dynamodb';

export const fixedClock = (instant: string): Clock => ({ now: () => new Date(instant) });

export function sequentialIds(prefix: string): IdGenerator {
  let n = 0;
  return { next: () => `${prefix}-${String(++n).padStart(6, '0')}` };
}

export interface Harness {
  /** What the handlers run on: pass through testDeps (with changes, if a test needs them). */
  deps: TestClients;
  bus: FakeEventBridge;
  deadLetters: InMemoryDeadLetterSink;
  /** Resolves once the outcome publisher reads the table's stream: orders written from then on are published. */
  started: Promise<void>;
  /** Resolves once every outcome stored before the call is published on `bus` (the stream mapping's drain). */
  drain(): Promise<void>;
  /** Stops the outcome publisher; useTable calls it after each test, and every harness still open is closed after the file. */
  close(): Promise<CloseReport>;
}

/**
 * Handler deps on a test table, with a fake bus, an in-memory dead-letter sink and a
 * fixed clock; and the table's stream mapped to the real outcome publisher, as the local
 * stack maps it, which publishes the stored outcomes on the same fake bus.
 */
export function harness(table: TestTable, now = '2024-06-01T10:00:00+09:00'): Harness {
  const bus = new FakeEventBridge();
  const deadLetters = new InMemoryDeadLetterSink();
  const deps: TestClients = { dynamoDb: table.client, settings: table.settings, eventBridge: bus.client, deadLetters, clock: fixedClock(now) };
  return { bus, deadLetters, deps, ...outcomePublisher(deps) };
}

const openHarnesses = new Set<() => Promise<CloseReport>>();
// Harnesses a test file made for itself (in beforeAll, say) stop with the file.
afterAll(() => Promise.all([...openHarnesses].map((close) => close())));

/**
 * On clients of its own, as a function of its own on AWS: the handlers' request counts
 * stay theirs. Retries come faster than the stack's so that failure tests stay quick.
 */
function outcomePublisher(deps: TestClients): Pick<Harness, 'started' | 'drain' | 'close'> {
  const dynamoDb = extraClient();
  const streams = localStreamsClient(dynamoDbEndpoint());
  const mapping = new StreamMapping({
    clients: { dynamoDb, streams },
    tableName: deps.settings.tableName,
    fn: { name: 'outcome-publisher', timeoutMs: 30_000, handler: createOutcomePublisherHandler(testDeps({ ...deps, dynamoDb })) },
    filter: isUnpublishedOutcome,
    retry: { baseDelayMs: 20, maxDelayMs: 500 },
    logger: silentLogger(),
  });
  const started = mapping.start();
  // A failed start is reported by whoever awaits `started` or drain(), not as an unhandled rejection.
  started.catch(() => undefined);
  const close = async (): Promise<CloseReport> => {
    openHarnesses.delete(close);
    const report = await started.then(() => mapping.close(5_000)).catch(() => ({ unprocessed: 0 }));
    dynamoDb.destroy();
    streams.destroy();
    return report;
  };
  openHarnesses.add(close);
  return { started, drain: () => started.then(() => mapping.drain()), close };
}

export function inboundEvent<D extends string, T>(detailType: D, detail: T): EventBridgeEvent<D, T> {
  return {
    version: '0',
    id: `evt-${Math.random().toString(36).slice(2)}`,
    'detail-type': detailType,
    source: 'omakase.orders',
    account: '000000000000',
    time: '2024-06-01T01:00:00Z',
    region: 'ap-northeast-1',
    resources: [],
    detail,
  };
}

let orders = 0;
export const newOrderId = (tag: string): string => `ORD-${tag}-${++orders}-${Math.random().toString(36).slice(2, 8)}`;

export type Detail = { orderId: string; lineId: string } & Record<string, unknown>;

/** A valid Prime Plus application (interface §1.1's example) for a fresh line and order. */
export function application(overrides: Record<string, unknown> = {}): Detail {
  return { ...applicationDetail(newOrderId('app'), `L-${Math.random().toString(36).slice(2, 10)}`), ...overrides };
}
