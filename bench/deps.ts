import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  lookupDependencies,
  orderDependencies,
  publishingDependencies,
  renewalDependencies,
  type LookupHandlerDeps,
  type OrderHandlerDeps,
  type OutcomePublisherDeps,
  type Overrides,
  type RenewalHandlerDeps,
} from '../functions/wiring/dependencies';
import type { Settings } from '../functions/wiring/settings';
import type { Contract } from '../functions/domain/contract';
import { ContractItems } from '../functions/store/dynamodb/contract-items';
import { DynamoDbTable, type DynamoDbTableOptions } from '../functions/store/dynamodb/table';
import type { DeadLetterSink } from '../functions/events/dead-letter';
import { dynamoDbLookupStore, type LookupStore } from '../functions/store/lookup-store';
import { dynamoDbOrderStore, type OrderStore } from '../functions/store/order-store';
import { dynamoDbOutboxStore, type OutboxStore } from '../functions/store/outbox-store';
import { dynamoDbRenewalStore, type RenewalStore } from '../functions/store/renewal-store';

/** Every store port on one table: what the bench and the tests hand any handler they run side by side. */
export type AllStores = OrderStore & LookupStore & RenewalStore & OutboxStore;

export function allStores(settings: Settings, dynamoDb: DynamoDBClient): AllStores {
  return tableStore({ client: dynamoDb, tableName: settings.tableName, renewalShards: settings.renewalShards });
}

export type AllHandlerDeps = Omit<OrderHandlerDeps & RenewalHandlerDeps & OutcomePublisherDeps & LookupHandlerDeps, 'store'> & { store: AllStores };

/**
 * Every handler's dependencies on one set of clients, as the composition root builds each
 * function's (functions/wiring/dependencies.ts), with one store serving every port: the
 * bench and the tests run the handlers side by side in one process.
 */
export function dependenciesFrom(
  clients: { settings: Settings; dynamoDb: DynamoDBClient; eventBridge: EventBridgeClient; deadLetters: DeadLetterSink },
  overrides: Overrides = {},
): AllHandlerDeps {
  const { settings, dynamoDb } = clients;
  return {
    ...lookupDependencies(settings, dynamoDb, overrides),
    ...renewalDependencies(settings, dynamoDb, overrides),
    ...orderDependencies(settings, dynamoDb, clients.deadLetters, overrides),
    ...publishingDependencies(settings, dynamoDb, clients.eventBridge, overrides),
    store: allStores(settings, dynamoDb),
  };
}

/** Every store port on a table, with what the bench's seeding and the tests look at: a contract's item and its renewal shard. */
export type TableStore = AllStores & { shardOf(contractId: string): number; contractItem(contract: Contract): Record<string, unknown> };

export function tableStore(options: DynamoDbTableOptions): TableStore {
  const table = new DynamoDbTable(options);
  const contracts = new ContractItems(table);
  return {
    ...dynamoDbLookupStore(table),
    ...dynamoDbRenewalStore(table),
    ...dynamoDbOutboxStore(table),
    // The order store last: its getOrder takes the time limit a failed order's check passes.
    ...dynamoDbOrderStore(table),
    shardOf: (contractId) => contracts.shardOf(contractId),
    contractItem: (contract) => contracts.item(contract),
  };
}
