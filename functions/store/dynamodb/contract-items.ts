import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { firstDayOf, type YearMonth } from '../../domain/calendar';
import type { Contract } from '../../domain/contract';
import { renewalDueMonth } from '../../domain/contract-lifecycle';
import { readStored, storedContractSchema } from '../../schemas/stored-items';
import type { ContractPage, DuePage } from '../records';
import { backoff, decodeCursor, encodeCursor, type DynamoDbTable } from './table';

/**
 * Contract items (docs/design.md §1): `CONTRACT#<id>` / `CONTRACT`, the whole contract with
 * its history, and the keys of the four indexes that find it by customer (GSI1), line
 * (GSI2), renewal due (GSI3, sharded) and renewal month (GSI4).
 */
const CONTRACT_SK = 'CONTRACT';
export const contractPk = (contractId: string) => `CONTRACT#${contractId}`;
export const linePk = (lineId: string) => `LINE#${lineId}`;
const customerPk = (customerId: string) => `CUSTOMER#${customerId}`;
const renewalPk = (shard: number) => `RENEWAL#${shard}`;
const renewalMonthPk = (month: YearMonth) => `RENEWAL-MONTH#${month}`;

// DynamoDB caps a BatchGetItem at 100 keys; unprocessed keys come back under load.
const BATCH_GET_LIMIT = 100;
const MAX_ROUNDS = 8;

export class ContractItems {
  constructor(private readonly table: DynamoDbTable) {}

  /** One strongly consistent read: the contract with its history. */
  async get(contractId: string): Promise<Contract | null> {
    const { Item } = await this.table.doc.send(
      new GetCommand({ TableName: this.table.name, Key: { PK: contractPk(contractId), SK: CONTRACT_SK }, ConsistentRead: true }),
    );
    return Item ? this.read(Item) : null;
  }

  /** Strongly consistent; missing ids are left out, order follows `contractIds`. */
  async getMany(contractIds: string[]): Promise<Contract[]> {
    const found = new Map<string, Contract>();
    const unique = [...new Set(contractIds)];
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + BATCH_GET_LIMIT).map((id) => ({ PK: contractPk(id), SK: CONTRACT_SK }));
      for (let round = 0; keys.length > 0; round++) {
        if (round === MAX_ROUNDS) throw new Error(`BatchGetItem left ${keys.length} keys unprocessed after ${round} rounds`);
        if (round > 0) await backoff(round);
        const { Responses, UnprocessedKeys } = await this.table.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table.name]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[this.table.name] ?? []) {
          const contract = this.read(item);
          found.set(contract.contractId, contract);
        }
        keys = UnprocessedKeys?.[this.table.name]?.Keys ?? [];
      }
    }
    return contractIds.flatMap((id) => found.get(id) ?? []);
  }

  ofCustomer(customerId: string): Promise<Contract[]> {
    return this.projected('GSI1', customerPk(customerId));
  }

  onLine(lineId: string): Promise<Contract[]> {
    return this.projected('GSI2', linePk(lineId));
  }

  /** The Prime Plus contracts whose current term's renewal month is `month`: one GSI4 Query per page. */
  async inRenewalMonth(month: YearMonth, cursor: string | null, limit: number): Promise<ContractPage> {
    const { Items, LastEvaluatedKey } = await this.table.doc.send(
      new QueryCommand({
        TableName: this.table.name,
        IndexName: 'GSI4',
        KeyConditionExpression: 'GSI4PK = :pk',
        ExpressionAttributeValues: { ':pk': renewalMonthPk(month) },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, ['GSI4PK', 'GSI4SK', 'PK', 'SK'], { GSI4PK: renewalMonthPk(month) }) } : {}),
      }),
    );
    return { contracts: (Items ?? []).map((item) => this.read(item)), cursor: LastEvaluatedKey ? encodeCursor(LastEvaluatedKey) : null };
  }

  /** Contracts of a shard whose renewal month is before `month` (GSI3, keys only). */
  async dueForRenewal(shard: number, month: YearMonth, cursor: string | null, limit: number): Promise<DuePage> {
    const { Items, LastEvaluatedKey } = await this.table.doc.send(
      new QueryCommand({
        TableName: this.table.name,
        IndexName: 'GSI3',
        // '<month>#<id>' < '<M>' exactly when month < M: ISO months sort as strings.
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK < :month',
        ExpressionAttributeValues: { ':pk': renewalPk(shard), ':month': month },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor) } : {}),
      }),
    );
    return {
      contractIds: (Items ?? []).map((item) => String(item.PK).slice('CONTRACT#'.length)),
      cursor: LastEvaluatedKey ? encodeCursor(LastEvaluatedKey) : null,
    };
  }

  /** The shard of a contract in the renewal index: a stable hash, so a contract never moves. */
  shardOf(contractId: string): number {
    // FNV-1a: cheap, stable across runtimes, and spreads sequential ids evenly.
    let hash = 0x811c9dc5;
    for (let i = 0; i < contractId.length; i++) {
      hash ^= contractId.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0) % this.table.renewalShards;
  }

  /** The stored item of a contract, index keys included (bench/ seeds contracts in bulk through it). */
  item(contract: Contract): Record<string, unknown> {
    const dueMonth = renewalDueMonth(contract);
    const term = contract.term;
    // GSI4: live in its renewal month (a cancellation taking effect before it ends the listing).
    const listed = term !== null && (contract.cancellation === null || contract.cancellation.effectiveDate >= firstDayOf(term.renewalMonth));
    const byStart = `${contract.startDate}#${contract.contractId}`;
    return {
      PK: contractPk(contract.contractId),
      SK: CONTRACT_SK,
      version: contract.version,
      contract,
      GSI1PK: customerPk(contract.customer.customerId),
      GSI1SK: byStart,
      GSI2PK: linePk(contract.lineId),
      GSI2SK: byStart,
      // Sparse: a contract that will not renew leaves the renewal index.
      ...(dueMonth ? { GSI3PK: renewalPk(this.shardOf(contract.contractId)), GSI3SK: `${dueMonth}#${contract.contractId}` } : {}),
      ...(listed ? { GSI4PK: renewalMonthPk(term.renewalMonth), GSI4SK: contract.contractId } : {}),
    };
  }

  /** The contracts under one partition of an index that carries them: one Query per MB, no read by key. */
  private async projected(indexName: 'GSI1' | 'GSI2', partition: string): Promise<Contract[]> {
    const items = await this.table.queryAll({
      IndexName: indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': `${indexName}PK` },
      ExpressionAttributeValues: { ':pk': partition },
    });
    return items.map((item) => this.read(item));
  }

  private read(item: Record<string, unknown>): Contract {
    return readStored(storedContractSchema, String(item.PK), item.contract);
  }
}
