import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { firstDayOf, type YearMonth } from '../../domain/calendar';
import type { Contract } from '../../domain/contract';
import { renewalDueMonth } from '../../domain/contract-lifecycle';
import { characters, namePartitionOf, normaliseCustomerName } from '../../domain/customer-name';
import { InvalidCursorError } from '../../domain/errors';
import { billingDueMonth } from '../../domain/invoices/billing-due';
import { readStored, storedContractSchema } from '../../schemas/stored-items';
import type { ContractPage, CustomerPage, DuePage } from '../records';
import { decodeCursor, encodeCursor, type DynamoDbTable, type TransactItem } from './table';

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
const billingPk = (shard: number) => `BILLING#${shard}`;

/**
 * GSI6, contracts by normalised customer name (functions/domain/customer-name.ts):
 * partition CUSTOMER-NAME#<the name's first 2 characters>, sort <name>#<customerId>#<contractId>.
 * `#` separates the parts, so neither of the first two may hold one: a name's `#` is keyed
 * as `＃` (U+FF03, which NFKC never leaves in a normalised name), a customerId's `%` and `#`
 * percent-escaped. No part then runs into the next, and all the rows of one customer under
 * one name sit together, which the paging relies on. The name is keyed by its first
 * NAME_KEY_CHARS characters (NFKC may lengthen a 200-character name many times over): at
 * most 600 bytes, with two 64-character ids within the sort key's 1,024; a prefix is never
 * longer (NAME_PREFIX.max), so the search finds the same names.
 */
const NAME_KEY_CHARS = 150;
export const customerNamePk = (partition: string) => `CUSTOMER-NAME#${partition}`;
export const nameSortPrefix = (normalised: string) => characters(normalised).slice(0, NAME_KEY_CHARS).join('').replaceAll('#', '\uff03');
const escapedId = (id: string) => id.replaceAll('%', '%25').replaceAll('#', '%23');
const NAME_CURSOR_KEYS = ['GSI6PK', 'GSI6SK', 'PK', 'SK'];

/** A contract's GSI6 keys; none (sparse) when its name normalises to fewer characters than a search may ask for: no search could find it. */
export function customerNameKeys(contract: Contract): { GSI6PK: string; GSI6SK: string } | null {
  const normalised = normaliseCustomerName(contract.customer.name);
  const partition = namePartitionOf(normalised);
  if (partition === null) return null;
  return { GSI6PK: customerNamePk(partition), GSI6SK: `${nameSortPrefix(normalised)}#${escapedId(contract.customer.customerId)}#${contract.contractId}` };
}

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
    const keys = [...new Set(contractIds)].map((id) => ({ PK: contractPk(id), SK: CONTRACT_SK }));
    const found = new Map((await this.table.getAll(keys)).map((item) => this.read(item)).map((contract) => [contract.contractId, contract]));
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

  /**
   * Up to `limit` customers whose normalised name starts with `prefix` (normalised, at least
   * NAME_PREFIX.min characters), each with its matching contracts: one GSI6 Query of
   * `limit` + 1 rows, one more each time customers with several contracts leave the page
   * undecided. The page ends before the first row of the customer after the `limit`-th, so
   * the cursor never cuts a customer in two.
   */
  async byCustomerName(prefix: string, cursor: string | null, limit: number): Promise<CustomerPage> {
    const partition = namePartitionOf(prefix);
    if (partition === null || !Number.isInteger(limit) || limit < 1) throw new Error(`a name search needs a normalised prefix and a limit of 1 or more`);
    const pk = customerNamePk(partition);
    const sortPrefix = nameSortPrefix(prefix);
    let start = cursor === null ? undefined : decodeCursor(cursor, NAME_CURSOR_KEYS, { GSI6PK: pk });
    // A token of another prefix in the same partition would start outside the key condition, which DynamoDB refuses.
    if (start && !String(start.GSI6SK).startsWith(sortPrefix)) throw new InvalidCursorError('nextToken');
    const customers = new Map<string, Contract[]>();
    let last: Record<string, unknown> | null = null;
    for (;;) {
      const { Items, LastEvaluatedKey } = await this.table.doc.send(
        new QueryCommand({
          TableName: this.table.name,
          IndexName: 'GSI6',
          KeyConditionExpression: 'GSI6PK = :pk AND begins_with(GSI6SK, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': sortPrefix },
          Limit: limit + 1,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of Items ?? []) {
        const contract = this.read(item);
        const { customerId } = contract.customer;
        if (!customers.has(customerId) && customers.size === limit && last !== null) {
          return { customers: groups(customers), cursor: encodeCursor(Object.fromEntries(NAME_CURSOR_KEYS.map((name) => [name, last?.[name]]))) };
        }
        last = item;
        // An entry keyed under an older normaliser than this one is left out.
        if (!normaliseCustomerName(contract.customer.name).startsWith(prefix)) continue;
        customers.set(customerId, [...(customers.get(customerId) ?? []), contract]);
      }
      if (!LastEvaluatedKey) return { customers: groups(customers), cursor: null };
      start = LastEvaluatedKey;
    }
  }

  /** Contracts of a shard whose renewal month is before `month` (GSI3, keys only). */
  dueForRenewal(shard: number, month: YearMonth, cursor: string | null, limit: number): Promise<DuePage> {
    // '<month>#<id>' < '<M>' exactly when month < M: ISO months sort as strings.
    return this.keysBelow('GSI3', renewalPk(shard), month, cursor, limit);
  }

  /** Contracts of a shard with a month to invoice by `month` (GSI5, keys only): the billing run's pages (I2). */
  dueForBilling(shard: number, month: YearMonth, cursor: string | null, limit: number): Promise<DuePage> {
    // '<month>#<id>' < '<M>$' exactly when month <= M: '$' sorts after '#' and before the digits.
    return this.keysBelow('GSI5', billingPk(shard), `${month}$`, cursor, limit);
  }

  /** A page of the contract ids under a partition of a keys-only index whose sort key is below `bound`. */
  private async keysBelow(indexName: 'GSI3' | 'GSI5', partition: string, bound: string, cursor: string | null, limit: number): Promise<DuePage> {
    const { Items, LastEvaluatedKey } = await this.table.doc.send(
      new QueryCommand({
        TableName: this.table.name,
        IndexName: indexName,
        KeyConditionExpression: '#pk = :pk AND #sk < :bound',
        ExpressionAttributeNames: { '#pk': `${indexName}PK`, '#sk': `${indexName}SK` },
        ExpressionAttributeValues: { ':pk': partition, ':bound': bound },
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

  /**
   * A scheduled run's write of a contract in its transaction (the renewal, the billing run),
   * conditioned on the version read, with how to tell it as this write's own when its answer
   * was lost and the resend's condition fails (docs/terms.md L4): by a random id only this
   * write leaves on the item. Comparing the contract would take the identical contract that
   * a second run for the same month writes at the same time for this one's own.
   */
  putAtVersion(contract: Contract, expectedVersion: number): { put: TransactItem; ours: (existing: Record<string, AttributeValue> | undefined) => boolean } {
    const writeId = randomUUID();
    return {
      put: {
        Put: {
          TableName: this.table.name,
          Item: { ...this.item(contract), writeId },
          ...this.table.atVersion(expectedVersion),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      ours: (existing) => existing?.writeId?.S === writeId,
    };
  }

  /** The stored item of a contract, index keys included (bench/ seeds contracts in bulk through it). */
  item(contract: Contract): Record<string, unknown> {
    // What the billing run changes each month is kept beside `contract`, so that the indexes that copy
    // `contract` (GSI1, GSI2, GSI4, GSI6) are not written again for it (docs/design.md §7).
    const { invoicing, ...stored } = contract;
    const dueMonth = renewalDueMonth(contract);
    const billingDue = billingDueMonth(contract);
    const term = contract.term;
    // GSI4: live in its renewal month (a cancellation taking effect before it ends the listing).
    const listed = term !== null && (contract.cancellation === null || contract.cancellation.effectiveDate >= firstDayOf(term.renewalMonth));
    const byStart = `${contract.startDate}#${contract.contractId}`;
    return {
      PK: contractPk(contract.contractId),
      SK: CONTRACT_SK,
      version: contract.version,
      contract: stored,
      ...(invoicing ? { invoicing } : {}),
      GSI1PK: customerPk(contract.customer.customerId),
      GSI1SK: byStart,
      GSI2PK: linePk(contract.lineId),
      GSI2SK: byStart,
      // Sparse: a contract that will not renew leaves the renewal index.
      ...(dueMonth ? { GSI3PK: renewalPk(this.shardOf(contract.contractId)), GSI3SK: `${dueMonth}#${contract.contractId}` } : {}),
      ...(listed ? { GSI4PK: renewalMonthPk(term.renewalMonth), GSI4SK: contract.contractId } : {}),
      // Sparse: a contract invoiced through its last month leaves the billing index (I2).
      ...(billingDue ? { GSI5PK: billingPk(this.shardOf(contract.contractId)), GSI5SK: `${billingDue}#${contract.contractId}` } : {}),
      // Sparse: a name that is only a legal form (or one character) is found by no search.
      ...customerNameKeys(contract),
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

  /** The contract an item (or an index entry) holds; index entries carry no `invoicing`, which only the billing run reads. */
  read(item: Record<string, unknown>): Contract {
    const contract = item.invoicing === undefined ? item.contract : { ...(item.contract as object), invoicing: item.invoicing };
    return readStored(storedContractSchema, String(item.PK), contract);
  }
}

const groups = (customers: Map<string, Contract[]>): CustomerPage['customers'] => [...customers].map(([customerId, contracts]) => ({ customerId, contracts }));
