import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { readStored, storedLineSchema } from '../../schemas/stored-items';
import type { LineRecord } from '../records';
import { linePk } from './contract-items';
import { NOT_EXISTS, type DynamoDbTable, type TransactItem } from './table';

/** Line items (docs/design.md §1): `LINE#<lineId>` / `LINE`, the contracts a line has had, versioned: they serialize applications (R7). */
const LINE_SK = 'LINE';

export class LineItems {
  constructor(private readonly table: DynamoDbTable) {}

  /** Strongly consistent: what R7 decides on. */
  async get(lineId: string): Promise<LineRecord | null> {
    const { Item } = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: { PK: linePk(lineId), SK: LINE_SK }, ConsistentRead: true }));
    return Item ? readStored(storedLineSchema, linePk(lineId), { ...Item, lineId }) : null;
  }

  /** The line with one more contract, in a transaction: conditioned on the line as read (null: never used), else `stale`. */
  putWith(lineId: string, line: LineRecord | null, contractId: string): TransactItem {
    const item = { PK: linePk(lineId), SK: LINE_SK, contractIds: [...(line?.contractIds ?? []), contractId], version: (line?.version ?? 0) + 1 };
    return {
      Put: line
        ? { TableName: this.table.name, Item: item, ...this.table.atVersion(line.version) }
        : { TableName: this.table.name, Item: item, ConditionExpression: NOT_EXISTS },
    };
  }
}
