import type { Catalog } from '../domain/tariff/catalog';
import type { EventPublisher } from '../events/publisher';
import type { ContractStore } from '../store/contract-store';

/**
 * What the use cases are given: built once per function by the composition root
 * (functions/commons/dependencies.ts), or by a test with its own clock and ids.
 */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}

/** Structured logs: Powertools' Logger in the functions, a silent or recording one in tests. */
export interface Logger {
  info(message: string, ...fields: Array<Record<string, unknown>>): void;
  warn(message: string, ...fields: Array<Record<string, unknown>>): void;
  error(message: string, ...fields: Array<Record<string, unknown>>): void;
}

/** What the lookups need: reads only. */
export interface LookupDeps {
  store: ContractStore;
  catalog: Catalog;
  clock: Clock;
  /** Decision T3. */
  terminationFeeTaxable: boolean;
}

/**
 * What the order use cases need. No publisher: an order's outcome is written with it and
 * published from the table's stream (docs/design.md §3).
 */
export interface OrderDeps extends LookupDeps {
  ids: IdGenerator;
  logger: Logger;
}

/** What the use cases that put events on the bus themselves need: the renewal, the outcome publisher. */
export interface PublishingDeps extends OrderDeps {
  publisher: EventPublisher;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
