import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactionConflictException,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { jitteredBackoff } from '../commons/backoff';
import type { YearMonth } from '../domain/calendar';
import type { Contract } from '../domain/contract';
import { firstDayOf } from '../domain/calendar';
import { canonicalJson } from '../domain/canonical-json';
import { InvalidRequestError } from '../domain/errors';
import { renewalDueMonth } from '../domain/contract-lifecycle';
import type { ContractFact, ContractPage, ContractStore, DuePage, LineRecord, NewOrder, OrderKey, OrderRecord, OutboxKey, WriteResult } from './contract-store';

/**
 * The single-table design of docs/design.md:
 *   CONTRACT#<id> / CONTRACT        the contract with its history (one GetItem answers a lookup)
 *   ORDER#<orderId> / ORDER         request fingerprint, outcome event, published flag, lease
 *   ORDER#<orderId> / REUSED#<fp>   the refusal of another request that reused the orderId
 *   LINE#<lineId> / LINE            the line's contracts, versioned: serializes applications (R7)
 *   FACT#<contractId> / TERM#<n>    ContractRenewed of term n, written with the renewal (the outbox)
 *   FACT#<contractId> / NOTICE#<n>  ContractRenewalMonthStarted of term n (N1)
 * Every item that reports a fact to publish (an order, a FACT) holds it as `outcome` with
 * `published: false` until the outcome publisher, fed by the table's stream, has published
 * it (functions/topology/outcome-stream.ts): one outbox for every event the system sends.
 * GSI1 (customer), GSI2 (line) and GSI4 (renewal month) carry the `contract` attribute, so
 * one Query answers a lookup; GSI3 (renewals due, sharded) holds keys only.
 */
const CONTRACT_SK = 'CONTRACT';
const LINE_SK = 'LINE';
const contractPk = (contractId: string) => `CONTRACT#${contractId}`;
const orderPk = (orderId: string) => `ORDER#${orderId}`;
const linePk = (lineId: string) => `LINE#${lineId}`;
const customerPk = (customerId: string) => `CUSTOMER#${customerId}`;
const renewalPk = (shard: number) => `RENEWAL#${shard}`;
const renewalMonthPk = (month: YearMonth) => `RENEWAL-MONTH#${month}`;
const factKey = (fact: ContractFact): OutboxKey => ({ PK: `FACT#${fact.contractId}`, SK: `${fact.kind === 'renewed' ? 'TERM' : 'NOTICE'}#${fact.term}` });

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** What a failed condition on one item of a transaction means to the caller. */
type FailureMeaning = 'order-exists' | 'stale' | 'impossible';

const NOT_EXISTS = 'attribute_not_exists(PK)';

// DynamoDB caps a BatchGetItem at 100 keys; unprocessed keys come back under load.
const BATCH_GET_LIMIT = 100;
const MAX_RETRY_ROUNDS = 8;

export interface DynamoDbContractStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  renewalShards: number;
}

export class DynamoDbContractStore implements ContractStore {
  readonly renewalShards: number;
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: DynamoDbContractStoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName;
    this.renewalShards = options.renewalShards;
  }

  async getContract(contractId: string): Promise<Contract | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: { PK: contractPk(contractId), SK: CONTRACT_SK }, ConsistentRead: true }));
    return Item ? (Item.contract as Contract) : null;
  }

  async getContracts(contractIds: string[]): Promise<Contract[]> {
    const found = new Map<string, Contract>();
    const unique = [...new Set(contractIds)];
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + BATCH_GET_LIMIT).map((id) => ({ PK: contractPk(id), SK: CONTRACT_SK }));
      for (let round = 0; keys.length > 0; round++) {
        if (round === MAX_RETRY_ROUNDS) throw new Error(`BatchGetItem left ${keys.length} keys unprocessed after ${round} rounds`);
        if (round > 0) await backoff(round);
        const { Responses, UnprocessedKeys } = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[this.table] ?? []) {
          const contract = item.contract as Contract;
          found.set(contract.contractId, contract);
        }
        keys = UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    }
    return contractIds.flatMap((id) => found.get(id) ?? []);
  }

  contractsOfCustomer(customerId: string): Promise<Contract[]> {
    return this.projectedContracts('GSI1', customerPk(customerId));
  }

  contractsOnLine(lineId: string): Promise<Contract[]> {
    return this.projectedContracts('GSI2', linePk(lineId));
  }

  /** The contracts under one partition of an index that carries them: one Query per MB, no read by key. */
  private async projectedContracts(indexName: 'GSI1' | 'GSI2', partition: string): Promise<Contract[]> {
    const items = await this.queryAll({
      IndexName: indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': `${indexName}PK` },
      ExpressionAttributeValues: { ':pk': partition },
    });
    return items.map((item) => item.contract as Contract);
  }

  async getLine(lineId: string): Promise<LineRecord | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: { PK: linePk(lineId), SK: LINE_SK }, ConsistentRead: true }));
    return Item ? { lineId, contractIds: Item.contractIds as string[], version: Item.version as number } : null;
  }

  async getOrder(key: OrderKey, options: { withinMs?: number } = {}): Promise<OrderRecord | null> {
    const { withinMs } = options;
    // Each attempt may take all of it, the attempts together no more.
    const limit = withinMs === undefined ? {} : { requestTimeout: withinMs, abortSignal: AbortSignal.timeout(withinMs) };
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { PK: orderPk(key.orderId), SK: key.slot }, ConsistentRead: true }),
      limit,
    );
    if (!Item) return null;
    return {
      orderId: key.orderId,
      slot: key.slot,
      fingerprint: Item.fingerprint as string,
      outcome: Item.outcome as OrderRecord['outcome'],
      published: Item.published as boolean,
      leaseUntil: Item.leaseUntil as number,
      at: Item.at as string,
    };
  }

  createContract(order: NewOrder, contract: Contract, line: LineRecord | null): Promise<WriteResult> {
    const nextLine = {
      PK: linePk(contract.lineId),
      SK: LINE_SK,
      contractIds: [...(line?.contractIds ?? []), contract.contractId],
      version: (line?.version ?? 0) + 1,
    };
    const putLine: TransactItem = {
      Put: line
        ? { TableName: this.table, Item: nextLine, ...this.atVersion(line.version) }
        : { TableName: this.table, Item: nextLine, ConditionExpression: NOT_EXISTS },
    };
    return this.transact(
      [
        { Put: { TableName: this.table, Item: this.orderItem(order), ConditionExpression: NOT_EXISTS } },
        { Put: { TableName: this.table, Item: this.contractItem(contract), ConditionExpression: NOT_EXISTS } },
        putLine,
      ],
      // A fresh random contract id: a collision would be a bug, never a race.
      ['order-exists', 'impossible', 'stale'],
    );
  }

  updateContract(order: NewOrder, contract: Contract, expectedVersion: number): Promise<WriteResult> {
    return this.transact(
      [
        { Put: { TableName: this.table, Item: this.orderItem(order), ConditionExpression: NOT_EXISTS } },
        { Put: { TableName: this.table, Item: this.contractItem(contract), ...this.atVersion(expectedVersion) } },
      ],
      ['order-exists', 'stale'],
    );
  }

  async recordOrder(order: NewOrder): Promise<WriteResult> {
    const written = await this.conditional(new PutCommand({ TableName: this.table, Item: this.orderItem(order), ConditionExpression: NOT_EXISTS }));
    return written ? { status: 'written' } : { status: 'order-exists' };
  }

  requeueOutcome(key: OrderKey, seenLeaseUntil: number, leaseUntil: number): Promise<boolean> {
    return this.conditional(
      this.updateOrder(key, 'SET leaseUntil = :lease', 'published = :no AND leaseUntil = :seen', {
        ':lease': leaseUntil,
        ':no': false,
        ':seen': seenLeaseUntil,
      }),
    );
  }

  async markPublished(key: OutboxKey): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { PK: key.PK, SK: key.SK },
        // leaseUntil 0: nobody holds the right to publish it any more (an order's lease; facts have none to renew).
        UpdateExpression: 'SET published = :yes, leaseUntil = :none',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':yes': true, ':none': 0 },
      }),
    );
  }

  async contractsInRenewalMonth(month: YearMonth, cursor: string | null, limit: number): Promise<ContractPage> {
    const { Items, LastEvaluatedKey } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI4',
        KeyConditionExpression: 'GSI4PK = :pk',
        ExpressionAttributeValues: { ':pk': renewalMonthPk(month) },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, ['GSI4PK', 'GSI4SK', 'PK', 'SK'], { GSI4PK: renewalMonthPk(month) }) } : {}),
      }),
    );
    return { contracts: (Items ?? []).map((item) => item.contract as Contract), cursor: LastEvaluatedKey ? encodeCursor(LastEvaluatedKey) : null };
  }

  async putFact(fact: ContractFact): Promise<'written' | 'exists'> {
    const written = await this.conditional(new PutCommand({ TableName: this.table, Item: this.factItem(fact), ConditionExpression: NOT_EXISTS }));
    return written ? 'written' : 'exists';
  }

  async dueForRenewal(shard: number, month: YearMonth, cursor: string | null, limit: number): Promise<DuePage> {
    const { Items, LastEvaluatedKey } = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI3',
        // '<month>#<id>' < '<M>' exactly when month < M: ISO months sort as strings.
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK < :month',
        ExpressionAttributeValues: { ':pk': renewalPk(shard), ':month': month },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor) } : {}),
      }),
    );
    return { contractIds: (Items ?? []).map((item) => contractIdOf(item.PK as string)), cursor: LastEvaluatedKey ? encodeCursor(LastEvaluatedKey) : null };
  }

  /**
   * The renewed contract and its ContractRenewed facts in one transaction (the outbox):
   * both land or neither. docs/terms.md L4: when the answer to a committed transaction is
   * lost, the SDK sends it again with the same ClientRequestToken, which DynamoDB answers
   * as the same request; should the condition still fail against our own result, the
   * failed check returns the item, and a contract exactly as we wrote it is ours: written.
   */
  async saveRenewal(contract: Contract, expectedVersion: number, facts: ContractFact[]): Promise<'written' | 'stale'> {
    const result = await this.transact(
      [
        {
          Put: { TableName: this.table, Item: this.contractItem(contract), ...this.atVersion(expectedVersion), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
        },
        ...facts.map((fact): TransactItem => ({ Put: { TableName: this.table, Item: this.factItem(fact), ConditionExpression: NOT_EXISTS } })),
      ],
      // A fact of a term not yet renewed cannot exist while the contract is at the version read.
      ['stale', ...facts.map((): FailureMeaning => 'impossible')],
      (existing) => existing !== undefined && canonicalJson(unmarshall(existing).contract) === canonicalJson(contract),
    );
    return result.status === 'written' ? 'written' : 'stale';
  }

  /** The shard of a contract in the renewal index: a stable hash, so a contract never moves. */
  shardOf(contractId: string): number {
    // FNV-1a: cheap, stable across runtimes, and spreads sequential ids evenly.
    let hash = 0x811c9dc5;
    for (let i = 0; i < contractId.length; i++) {
      hash ^= contractId.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0) % this.renewalShards;
  }

  /** The stored item of a contract, index keys included; public so that bench/ seeds contracts in bulk exactly as they are stored. */
  contractItem(contract: Contract): Record<string, unknown> {
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

  private atVersion(expected: number) {
    return {
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': expected },
    };
  }

  private updateOrder(key: OrderKey, update: string, condition: string, values: Record<string, unknown>): UpdateCommand {
    return new UpdateCommand({
      TableName: this.table,
      Key: { PK: orderPk(key.orderId), SK: key.slot },
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
    });
  }

  /** A fact to publish, as the outbox holds it (see the table layout above). */
  private factItem(fact: ContractFact): Record<string, unknown> {
    return { ...factKey(fact), contractId: fact.contractId, outcome: fact.outcome, published: false, at: fact.at };
  }

  private orderItem(order: NewOrder): Record<string, unknown> {
    const { orderId, slot, ...rest } = order;
    return { PK: orderPk(orderId), SK: slot, orderId, ...rest, published: false };
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ TableName: this.table, ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * A transaction; `onFailed[i]` says what it means when item i's condition fails. A
   * conflict with another transaction in flight is retried as is: the conditions are
   * evaluated again at commit.
   */
  private async transact(
    items: TransactItem[],
    onFailed: FailureMeaning[],
    ours: (existing: Record<string, AttributeValue> | undefined) => boolean = () => false,
  ): Promise<WriteResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return { status: 'written' };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        // The first item's failed condition found our own write there: a resend after a lost answer.
        if (reasons[0]?.Code === 'ConditionalCheckFailed' && ours(reasons[0].Item)) return { status: 'written' };
        const codes = reasons.map((reason) => reason.Code ?? 'None');
        const failed = codes.flatMap((code, i) => (code === 'ConditionalCheckFailed' ? [onFailed[i]] : []));
        if (failed.includes('order-exists')) return { status: 'order-exists' };
        if (failed.includes('stale')) return { status: 'stale' };
        if (failed.includes('impossible')) throw new Error(`write refused by a condition that cannot fail: ${JSON.stringify(codes)}`, { cause: error });
        if (!codes.includes('TransactionConflict') || attempt >= MAX_RETRY_ROUNDS) throw error;
        await backoff(attempt);
      }
    }
  }

  /** A conditional write: false when its condition failed; conflicts with a transaction are retried. */
  /** `ours` tells, from the item a failed condition returned, that the write had landed already (a resend after a lost answer). */
  private async conditional(
    command: PutCommand | UpdateCommand,
    ours: (existing: Record<string, AttributeValue> | undefined) => boolean = () => false,
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(command as PutCommand);
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return ours(error.Item);
        if (!(error instanceof TransactionConflictException) || attempt >= MAX_RETRY_ROUNDS) throw error;
        await backoff(attempt);
      }
    }
  }
}

/** A page's LastEvaluatedKey as an opaque token, and back; a token that is not one of ours is a bad request. */
function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string, names?: string[], expected: Record<string, string> = {}): Record<string, unknown> {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    // A key of another query (another month, say) would make DynamoDB refuse the request.
    if (
      typeof key === 'object' &&
      key !== null &&
      !Array.isArray(key) &&
      Object.values(key).every((v) => typeof v === 'string' && v.length > 0 && v.length <= 1024) &&
      (names === undefined || Object.keys(key).sort().join() === names.join()) &&
      Object.entries(expected).every(([name, value]) => (key as Record<string, unknown>)[name] === value)
    ) {
      return key as Record<string, unknown>;
    }
  } catch {
    // falls through to the refusal
  }
  throw new InvalidRequestError('nextToken is not a token this API gave', [{ path: 'nextToken', message: 'is not a token from a previous page' }]);
}

function contractIdOf(pk: string): string {
  return pk.slice('CONTRACT#'.length);
}

/** Concurrent losers of a transaction conflict, or unprocessed keys under load, spread out before trying again. */
function backoff(attempt: number): Promise<void> {
  return jitteredBackoff(attempt, { baseMs: 20, capMs: 1000 });
}
