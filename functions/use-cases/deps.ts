import type { Clock, IdGenerator } from '../domain/ports';
import type { Catalog } from '../domain/tariff/catalog';
import type { EventPublisher } from '../events/publisher';
import type { Logger } from '../log';
import type { ContractStore } from '../store/contract-store';

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
export interface LifecycleDeps extends LookupDeps {
  ids: IdGenerator;
  logger: Logger;
}

/** What the use cases that put events on the bus themselves need: the renewal, the outcome publisher. */
export interface PublishingDeps extends LifecycleDeps {
  publisher: EventPublisher;
}
