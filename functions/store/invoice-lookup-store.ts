import type { YearMonth } from '../domain/calendar';
import type { Invoice } from '../domain/invoices/invoice';
import { BillingRunItems } from './dynamodb/billing-run-items';
import { InvoiceItems } from './dynamodb/invoice-items';
import type { DynamoDbTable } from './dynamodb/table';
import type { BillingRunRecord, InvoicePage } from './records';

/** What the invoice lookups read (functions/use-cases/invoice-lookups.ts, interface §7.3): one or two reads each. */
export interface InvoiceLookupStore {
  /** The contract's invoices, newest month first: one consistent Query. */
  invoicesOf(contractId: string, cursor: string | null, limit: number): Promise<InvoicePage>;
  /** By id: its key from GSI5, then the item. */
  invoice(invoiceId: string): Promise<Invoice | null>;
  /** The month's run, its shards and failures: one Query. */
  billingRun(month: YearMonth): Promise<BillingRunRecord>;
}

export function dynamoDbInvoiceLookupStore(table: DynamoDbTable): InvoiceLookupStore {
  const invoices = new InvoiceItems(table);
  const runs = new BillingRunItems(table);
  return {
    invoicesOf: (contractId, cursor, limit) => invoices.page(contractId, cursor, limit),
    invoice: (invoiceId) => invoices.byId(invoiceId),
    billingRun: (month) => runs.read(month),
  };
}
