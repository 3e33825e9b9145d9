import type { YearMonth } from '../../functions/domain/calendar';
import type { Invoice } from '../../functions/domain/invoices/invoice';
import type { InvoiceLookupStore } from '../../functions/store/invoice-lookup-store';
import type { BillingRunRecord } from '../../functions/store/records';

/** The invoice lookups' port over invoices and runs a test hands in: newest month first, as the table's Query. */
export class InMemoryInvoices implements InvoiceLookupStore {
  constructor(
    readonly invoices: Invoice[] = [],
    readonly runs: BillingRunRecord[] = [],
  ) {}

  invoicesOf(contractId: string, cursor: string | null, limit: number) {
    const all = this.invoices.filter((invoice) => invoice.contractId === contractId).sort((a, b) => b.month.localeCompare(a.month));
    const start = cursor ? Number(cursor) : 0;
    const next = start + limit < all.length ? String(start + limit) : null;
    return Promise.resolve({ invoices: all.slice(start, start + limit), cursor: next });
  }

  invoice(invoiceId: string) {
    return Promise.resolve(this.invoices.find((invoice) => invoice.invoiceId === invoiceId) ?? null);
  }

  billingRun(month: YearMonth) {
    return Promise.resolve(this.runs.find((run) => run.month === month) ?? { month, run: null, shards: [], failed: [] });
  }
}
