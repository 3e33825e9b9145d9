import type { EventBridgeEvent } from 'aws-lambda';
import { applicationDetail } from '../../../bench/fixtures';
import type { Clock, IdGenerator } from '../../../functions/domain/ports';
import { InMemoryDeadLetterSink } from '../../../functions/events/dead-letter';
import type { InboundHandlerDeps } from '../../../functions/handlers/lifecycle-deps';
import { silentLogger } from '../../../functions/log';
import { FakeEventBridge } from '../../support/fake-event-bridge';
import type { TestTable } from './dynamodb';

export const fixedClock = (instant: string): Clock => ({ now: () => new Date(instant) });

export function sequentialIds(prefix: string): IdGenerator {
  let n = 0;
  return { next: () => `${prefix}-${String(++n).padStart(6, '0')}` };
}

export interface Harness {
  deps: InboundHandlerDeps;
  bus: FakeEventBridge;
  deadLetters: InMemoryDeadLetterSink;
}

/** Handler deps on a test table, with a fake bus, an in-memory dead-letter sink and a fixed clock. */
export function harness(table: TestTable, now = '2024-06-01T10:00:00+09:00'): Harness {
  const bus = new FakeEventBridge();
  const deadLetters = new InMemoryDeadLetterSink();
  return {
    bus,
    deadLetters,
    deps: { dynamoDb: table.client, settings: table.settings, eventBridge: bus.client, deadLetters, clock: fixedClock(now), logger: silentLogger },
  };
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
