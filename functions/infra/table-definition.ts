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
  globalSecondaryIndexes: [
    // Contracts of a customer.
    { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: 'ALL' },
    // Contracts of a line (the live one is picked in the domain).
    { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK', projection: 'ALL' },
    // Prime Plus contracts due for renewal: partition RENEWAL#<shard>, sort <renewalMonth>#<contractId>.
    { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK', projection: 'ALL' },
  ],
};

/** Every key attribute is a string. */
export function keyAttributes(table: TableDefinition): string[] {
  const names = [table.partitionKey, table.sortKey];
  for (const index of table.globalSecondaryIndexes) names.push(index.partitionKey, index.sortKey);
  return [...new Set(names)];
}
