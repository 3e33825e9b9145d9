import type { Catalog } from '../domain/tariff/catalog';
import type { EventPublisher } from '../events/publisher';
import type { LookupStore } from '../store/lookup-store';
import type { OrderStore } from '../store/order-store';
import type { OutboxStore } from '../store/outbox-store';
import type { RenewalStore } from '../store/renewal-store';

/**
 * What the use cases are given: built once per function by the composition root
 * (functions/wiring/dependencies.ts), or by a test with its own clock and ids.
 */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}

/** The use cases' structured log: what Powertools' Logger gives the functions, a silent or recording one in tests. */
export interface LogPort {
  info(message: string, ...fields: Array<Record<string, unknown>>): void;
  warn(message: string, ...fields: Array<Record<string, unknown>>): void;
  error(message: string, ...fields: Array<Record<string, unknown>>): void;
}

/** The terms every decision is priced and dated by. */
interface Terms {
  catalog: Catalog;
  clock: Clock;
  /** Decision T3. */
  terminationFeeTaxable: boolean;
}

/** What the lookups need: reads only. */
export interface LookupDeps extends Terms {
  store: LookupStore;
}

/**
 * What the order use cases need. No publisher: an order's outcome is written with it and
 * published from the table's stream (docs/design.md §3).
 */
export interface OrderDeps extends Terms {
  store: OrderStore;
  ids: IdGenerator;
  logger: LogPort;
}

/** What the monthly renewal needs: no publisher either, its facts go out through the table's stream. */
export interface RenewalDeps {
  store: RenewalStore;
  clock: Clock;
  logger: LogPort;
}

/** What the outcome publisher needs: the bus, and the outbox it marks. */
export interface PublishingDeps {
  store: OutboxStore;
  publisher: EventPublisher;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
