/**
 * The DynamoDB table as data, read by the CDK stack (TableV2) and by the local stack
 * (CreateTable on DynamoDB Local), so the two cannot drift. Design: docs/design.md.
 */
export interface IndexDefinition {
  indexName: string;
  partitionKey: string;
  sortKey: string;
  /** ALL where a query must return whole contracts without a second read. */
  projection: 'ALL' | 'KEYS_ONLY';
}

export interface TableDefinition {
  /** Logical name; the deployed name comes from the environment (TABLE_NAME). */
  baseName: string;
  partitionKey: string;
  sortKey: string;
  globalSecondaryIndexes: IndexDefinition[];
}

export const CONTRACTS_TABLE: TableDefinition = {
  baseName: 'omakase-contracts',
  partitionKey: 'PK',
  sortKey: 'SK',
  // KEYS_ONLY: a contract item carries its whole history, so projecting it would copy
  // every contract write into the index; the queries answer keys and the store reads the
  // contracts by key (strongly consistent). No line index: the line item LINE#<lineId>
  // serves R7 and the line lookup with consistent reads.
  globalSecondaryIndexes: [
    // Contracts of a customer: partition CUSTOMER#<customerId>, sort <startDate>#<contractId>.
    { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: 'KEYS_ONLY' },
    // Prime Plus contracts due for renewal: partition RENEWAL#<shard>, sort <renewalMonth>#<contractId>.
    { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK', projection: 'KEYS_ONLY' },
  ],
};

/** Every key attribute is a string. */
export function keyAttributes(table: TableDefinition): string[] {
  const names = [table.partitionKey, table.sortKey];
  for (const index of table.globalSecondaryIndexes) names.push(index.partitionKey, index.sortKey);
  return [...new Set(names)];
}
