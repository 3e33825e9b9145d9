/**
 * The DynamoDB table as data, read by the CDK stack (TableV2) and by the local stack
 * (CreateTable on DynamoDB Local), so the two cannot drift. Design: docs/design.md.
 */
export interface IndexDefinition {
  indexName: string;
  partitionKey: string;
  sortKey: string;
  /**
   * What the index copies besides the table's and its own keys, in DynamoDB's spelling
   * (CreateTable and CloudFormation take it as it is): INCLUDE where a query must return
   * whole contracts without a second read.
   */
  projection: { ProjectionType: 'KEYS_ONLY' } | { ProjectionType: 'INCLUDE'; NonKeyAttributes: string[] };
}

export interface TableDefinition {
  /** Logical name; the deployed name comes from the environment (TABLE_NAME). */
  baseName: string;
  partitionKey: string;
  sortKey: string;
  globalSecondaryIndexes: IndexDefinition[];
  /**
   * The table's change stream: NEW_IMAGE, so that the outcome publisher gets each new
   * order item with its stored outcome (functions/topology/outcome-stream.ts).
   */
  stream: 'NEW_IMAGE';
}

/** The `contract` attribute of a contract item: all the store needs to rebuild the contract. */
const WITH_CONTRACT: IndexDefinition['projection'] = { ProjectionType: 'INCLUDE', NonKeyAttributes: ['contract'] };

export const CONTRACTS_TABLE: TableDefinition = {
  baseName: 'omakase-contracts',
  partitionKey: 'PK',
  sortKey: 'SK',
  stream: 'NEW_IMAGE',
  // GSI1 and GSI2 copy the `contract` attribute (the whole contract, history included) so
  // that one Query answers the customer and the line lookups; the price is that every
  // contract write is written again into both (docs/design.md §2). Their reads are
  // eventually consistent: R7 keeps reading the line item LINE#<lineId>, consistently.
  // GSI3 holds keys only: the renewal reads each due contract by key, consistently,
  // before writing it on its version.
  globalSecondaryIndexes: [
    // Contracts of a customer: partition CUSTOMER#<customerId>, sort <startDate>#<contractId>.
    { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: WITH_CONTRACT },
    // Contracts of a line: partition LINE#<lineId>, sort <startDate>#<contractId>.
    { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK', projection: WITH_CONTRACT },
    // Prime Plus contracts due for renewal: partition RENEWAL#<shard>, sort <renewalMonth>#<contractId>.
    { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK', projection: { ProjectionType: 'KEYS_ONLY' } },
    // Prime Plus contracts by renewal month, renewing or not (GET /renewals, the N1 notices):
    // partition RENEWAL-MONTH#<month>, sort <contractId>; one Query answers a page.
    { indexName: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK', projection: WITH_CONTRACT },
    // Keys only, two kinds of item (docs/design.md §1): contracts with a month to bill,
    // partition BILLING#<shard>, sort <first month not yet invoiced>#<contractId> (sparse: a
    // contract invoiced through its last month leaves it); and each invoice by its id,
    // partition INVOICE#<invoiceId>, sort INVOICE (GET /invoices/{invoiceId}: this, then one GetItem).
    { indexName: 'GSI5', partitionKey: 'GSI5PK', sortKey: 'GSI5SK', projection: { ProjectionType: 'KEYS_ONLY' } },
    // Contracts by normalised customer name (GET /customers?namePrefix=): partition
    // CUSTOMER-NAME#<first two characters of the normalised name>, sort <normalised name>#<customerId>#<contractId>
    // (a `#` within the name or the customerId escaped: functions/store/dynamodb/contract-items.ts); sparse.
    { indexName: 'GSI6', partitionKey: 'GSI6PK', sortKey: 'GSI6SK', projection: WITH_CONTRACT },
  ],
};

/** Every key attribute is a string. */
export function keyAttributes(table: TableDefinition): string[] {
  const names = [table.partitionKey, table.sortKey];
  for (const index of table.globalSecondaryIndexes) names.push(index.partitionKey, index.sortKey);
  return [...new Set(names)];
}
