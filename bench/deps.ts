import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  billingDependencies,
  lookupDependencies,
  systemClock,
  type BillingHandlerDeps,
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
import { LocalFolderFiles } from '../functions/exports/local-folder-files';
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
    ...lookupDependencies(settings, dynamoDb, localFiles(overrides), overrides),
    ...renewalDependencies(settings, dynamoDb, overrides),
    ...orderDependencies(settings, dynamoDb, clients.deadLetters, overrides),
    ...publishingDependencies(settings, dynamoDb, clients.eventBridge, overrides),
    store: allStores(settings, dynamoDb),
  };
}

/** The billing run's dependencies on the same clients, its files in a folder of its own (or `filesRoot`). */
export function billingDepsFrom(
  clients: { settings: Settings; dynamoDb: DynamoDBClient; deadLetters: DeadLetterSink; filesRoot?: string },
  overrides: Overrides = {},
): BillingHandlerDeps & { files: LocalFolderFiles } {
  const files = localFiles(overrides, clients.filesRoot);
  return { ...billingDependencies(clients.settings, clients.dynamoDb, files, clients.deadLetters, overrides), files };
}

/** The month's files in a folder, linked as the local server links them. */
// Created by the first file written into it.
function localFiles(overrides: Overrides, root = join(tmpdir(), `omakase-files-${process.pid}`)): LocalFolderFiles {
  return new LocalFolderFiles({ root, baseUrl: 'http://127.0.0.1:3000', clock: overrides.clock ?? systemClock });
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
