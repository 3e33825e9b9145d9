import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { YearMonth } from '../../domain/calendar';
import type { Invoice } from '../../domain/invoices/invoice';
import { outcomes } from '../../domain/outbound-events';
import { readStored, storedInvoiceSchema } from '../../schemas/stored-items';
import type { InvoicePage } from '../records';
import { decodeCursor, encodeCursor, NOT_EXISTS, type DynamoDbTable, type TransactItem } from './table';

/**
 * Invoice items (docs/design.md §1): `INVOICES#<contractId>` / `MONTH#<YYYY-MM>`, the invoice
 * as issued, never updated but for the outbox's mark: `InvoiceIssued` as `outcome`,
 * `published` false until the outcome publisher has published it (the one outbox). GSI5
 * finds one by its id. No TTL: kept at least 7 years (I6).
 */
export const invoicesPk = (contractId: string) => `INVOICES#${contractId}`;
export const invoiceSk = (month: YearMonth) => `MONTH#${month}`;
const invoiceIdPk = (invoiceId: string) => `INVOICE#${invoiceId}`;

export class InvoiceItems {
  constructor(private readonly table: DynamoDbTable) {}

  /** A new invoice in a transaction; an item already under its key is a defect (an id collision), never overwritten. */
  put(invoice: Invoice, closedBy: YearMonth, at: string): TransactItem {
    return {
      Put: {
        TableName: this.table.name,
        Item: {
          PK: invoicesPk(invoice.contractId),
          SK: invoiceSk(invoice.month),
          GSI5PK: invoiceIdPk(invoice.invoiceId),
          GSI5SK: 'INVOICE',
          closedBy,
          // The invoice is kept once, inside the event that reports it (half the item's size; read back from there).
          outcome: outcomes.invoiceIssued(invoice),
          published: false,
          at,
        },
        ConditionExpression: NOT_EXISTS,
      },
    };
  }

  /** The contract's invoices of months from `from` on, oldest first: one consistent Query (per MB). */
  async from(contractId: string, from: YearMonth): Promise<Invoice[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'PK = :pk AND SK >= :from',
      ExpressionAttributeValues: { ':pk': invoicesPk(contractId), ':from': invoiceSk(from) },
      ConsistentRead: true,
    });
    return items.map((item) => this.read(item));
  }

  /** A page of the contract's invoices, newest month first. */
  async page(contractId: string, cursor: string | null, limit: number): Promise<InvoicePage> {
    const pk = invoicesPk(contractId);
    const { Items, LastEvaluatedKey } = await this.table.doc.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor, ['PK', 'SK'], { PK: pk }) } : {}),
      }),
    );
    return { invoices: (Items ?? []).map((item) => this.read(item)), cursor: LastEvaluatedKey ? encodeCursor(LastEvaluatedKey) : null };
  }

  /** By id: its key from GSI5, then the item (two reads). */
  async byId(invoiceId: string): Promise<Invoice | null> {
    const { Items } = await this.table.doc.send(
      new QueryCommand({
        TableName: this.table.name,
        IndexName: 'GSI5',
        KeyConditionExpression: 'GSI5PK = :pk AND GSI5SK = :sk',
        ExpressionAttributeValues: { ':pk': invoiceIdPk(invoiceId), ':sk': 'INVOICE' },
        Limit: 1,
      }),
    );
    const key = Items?.[0];
    if (!key) return null;
    const { Item } = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: { PK: String(key.PK), SK: String(key.SK) } }));
    return Item ? this.read(Item) : null;
  }

  /** The invoices under these (contractId, month) keys, in their order; strongly consistent. */
  async getMany(keys: Array<{ contractId: string; month: YearMonth }>): Promise<Invoice[]> {
    const items = await this.table.getAll(
      keys.map((k) => ({ PK: invoicesPk(k.contractId), SK: invoiceSk(k.month) })),
      'PK, SK, outcome',
    );
    const found = new Map(items.map((item) => [`${String(item.PK)}|${String(item.SK)}`, this.read(item)]));
    return keys.flatMap((k) => found.get(`${invoicesPk(k.contractId)}|${invoiceSk(k.month)}`) ?? []);
  }

  private read(item: Record<string, unknown>): Invoice {
    const outcome = item.outcome as { detail?: { invoice?: unknown } } | undefined;
    return readStored(storedInvoiceSchema, `${String(item.PK)} ${String(item.SK)}`, outcome?.detail?.invoice);
  }
}
