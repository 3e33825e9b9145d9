import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { YearMonth } from '../../domain/calendar';
import type { Invoice } from '../../domain/invoices/invoice';
import { readStored } from '../../schemas/stored-items';
import type { BillingRunRecord, BillingShardRecord } from '../records';
import type { DynamoDbTable, TransactItem } from './table';

/**
 * Billing-run items (docs/design.md §1). Under `BILLING-RUN#<month>`: `RUN` (started, for
 * how many shards), `SHARD#<nnn>` (its progress, then its sums and files) and
 * `FAILED#<contractId>` (a contract the run could not bill, with the reason). Under
 * `BILLING-RUN#<month>#<shard>`: one entry `<contractId>#<invoice month>` per invoice the
 * run issued, written in the invoice's transaction: what the shard's files are made of,
 * read consistently (no index lag can leave an invoice out of a file).
 */
const runPk = (month: YearMonth) => `BILLING-RUN#${month}`;
const entriesPk = (month: YearMonth, shard: number) => `BILLING-RUN#${month}#${shard}`;
const shardSk = (shard: number) => `SHARD#${String(shard).padStart(3, '0')}`;
const failedSk = (contractId: string) => `FAILED#${contractId}`;

const count = z.number().check(z.int(), z.minimum(0));
const yen = z.number().check(z.int());
const shardSchema = z.object({
  shard: count,
  startedAt: z.string(),
  completedAt: z.nullable(z.string()),
  invoices: count,
  adjustments: count,
  subtotal: yen,
  consumptionTax: yen,
  total: yen,
  parts: z.array(z.object({ format: z.enum(['csv', 'jsonl']), part: z.string(), rows: count, sha256: z.string(), bytes: count })),
});
const runSchema = z.object({ startedAt: z.string(), shards: count });
const failedSchema = z.object({ contractId: z.string(), reason: z.string(), at: z.string() });

export class BillingRunItems {
  constructor(private readonly table: DynamoDbTable) {}

  /** The run's start, kept from the first start: a rerun leaves it. */
  async start(month: YearMonth, shards: number, at: string): Promise<void> {
    await this.table.conditional(
      new PutCommand({
        TableName: this.table.name,
        Item: { PK: runPk(month), SK: 'RUN', startedAt: at, shards },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  /** A shard (re)started: its start kept from the first time, its completion cleared until it completes again. */
  async startShard(month: YearMonth, shard: number, at: string): Promise<void> {
    await this.table.doc.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: { PK: runPk(month), SK: shardSk(shard) },
        UpdateExpression:
          'SET #shard = :shard, startedAt = if_not_exists(startedAt, :at), completedAt = :null, invoices = if_not_exists(invoices, :zero), adjustments = if_not_exists(adjustments, :zero), subtotal = if_not_exists(subtotal, :zero), consumptionTax = if_not_exists(consumptionTax, :zero), #total = if_not_exists(#total, :zero), parts = if_not_exists(parts, :none)',
        ExpressionAttributeNames: { '#shard': 'shard', '#total': 'total' },
        ExpressionAttributeValues: { ':shard': shard, ':at': at, ':null': null, ':zero': 0, ':none': [] },
      }),
    );
  }

  /** The shard's sums and files, once its contracts are through; its start is kept. */
  async completeShard(month: YearMonth, record: Omit<BillingShardRecord, 'startedAt'>): Promise<void> {
    const { shard, ...rest } = record;
    const names = Object.keys(rest) as Array<keyof typeof rest>;
    await this.table.doc.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: { PK: runPk(month), SK: shardSk(shard) },
        UpdateExpression: `SET #shard = :shard, ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
        ExpressionAttributeNames: { '#shard': 'shard', ...Object.fromEntries(names.map((name) => [`#${name}`, name])) },
        ExpressionAttributeValues: { ':shard': shard, ...Object.fromEntries(names.map((name) => [`:${name}`, rest[name]])) },
      }),
    );
  }

  /** The entry of an invoice the run issued, in the invoice's transaction. */
  entry(month: YearMonth, shard: number, invoice: Invoice): TransactItem {
    return {
      Put: {
        TableName: this.table.name,
        Item: { PK: entriesPk(month, shard), SK: `${invoice.contractId}#${invoice.month}`, contractId: invoice.contractId, month: invoice.month },
      },
    };
  }

  /** The keys of the invoices the run issued in a shard, a page at a time (consistent). */
  async *entries(month: YearMonth, shard: number, pageSize: number): AsyncGenerator<Array<{ contractId: string; month: YearMonth }>> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.table.doc.send(
        new QueryCommand({
          TableName: this.table.name,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': entriesPk(month, shard) },
          ConsistentRead: true,
          Limit: pageSize,
          ExclusiveStartKey: start,
        }),
      );
      yield (page.Items ?? []).map((item) => ({ contractId: String(item.contractId), month: String(item.month) as YearMonth }));
      start = page.LastEvaluatedKey;
    } while (start);
  }

  async fail(month: YearMonth, failure: { contractId: string; reason: string; at: string }): Promise<void> {
    await this.table.doc.send(new PutCommand({ TableName: this.table.name, Item: { PK: runPk(month), SK: failedSk(failure.contractId), ...failure } }));
  }

  async clearFailure(month: YearMonth, contractId: string): Promise<void> {
    await this.table.doc.send(new DeleteCommand({ TableName: this.table.name, Key: { PK: runPk(month), SK: failedSk(contractId) } }));
  }

  /** The whole run: one consistent Query of its partition (per MB). */
  async read(month: YearMonth): Promise<BillingRunRecord> {
    const items = await this.table.queryAll({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': runPk(month) }, ConsistentRead: true });
    const record: BillingRunRecord = { month, run: null, shards: [], failed: [] };
    for (const item of items) {
      const key = `${runPk(month)} ${String(item.SK)}`;
      const sk = String(item.SK);
      if (sk === 'RUN') record.run = readStored(runSchema, key, item);
      else if (sk.startsWith('SHARD#')) record.shards.push(readStored(shardSchema, key, item));
      else if (sk.startsWith('FAILED#')) record.failed.push(readStored(failedSchema, key, item));
    }
    return record;
  }
}
