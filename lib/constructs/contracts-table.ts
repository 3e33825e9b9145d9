import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { TableDefinition } from '../../functions/topology/table-definition';

/**
 * The contracts table built from the shared definition (the local stack creates the
 * same one on DynamoDB Local). It holds every contract and its order records, so it
 * outlives the stack: deletion protection, RETAIN, point-in-time recovery.
 */
export class ContractsTable extends Construct {
  readonly table: TableV2;
  /** The exact ARNs of the GSIs, so that read grants need no `index/*` wildcard. */
  readonly indexArns: string[];
  private readonly indexNames: string[];

  constructor(scope: Construct, id: string, definition: TableDefinition) {
    super(scope, id);
    const key = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new TableV2(this, 'Table', {
      partitionKey: key(definition.partitionKey),
      sortKey: key(definition.sortKey),
      globalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: ProjectionType[index.projection.ProjectionType],
        ...('NonKeyAttributes' in index.projection ? { nonKeyAttributes: index.projection.NonKeyAttributes } : {}),
      })),
      dynamoStream: StreamViewType[definition.stream],
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.indexArns = definition.globalSecondaryIndexes.map((index) => `${this.table.tableArn}/index/${index.indexName}`);
    this.indexNames = definition.globalSecondaryIndexes.map((index) => index.indexName);
  }

  /** The exact ARN of one GSI of the definition; an index it does not have stops the synth. */
  indexArn(indexName: string): string {
    const found = this.indexNames.indexOf(indexName);
    if (found < 0) throw new Error(`the contracts table has no index ${indexName}`);
    return this.indexArns[found];
  }
}
