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

/** What the state-changing use cases need. */
export interface LifecycleDeps extends LookupDeps {
  publisher: EventPublisher;
  ids: IdGenerator;
  logger: Logger;
}
