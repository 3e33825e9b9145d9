import type { YearMonth } from '../domain/calendar';
import { BillingRunNotFoundError, ContractNotFoundError, InvoiceNotFoundError } from '../domain/errors';
import type { LookupDeps } from './deps';
import { billingRunSummary, isClosed } from './monthly-billing';

/** The invoice lookups of interface §7.3: reads only, one or two each. */

export const INVOICES_PAGE = { default: 24, max: 100 } as const;

/** Newest month first; a contract with no invoice yet has an empty list, an unknown one is a 404. */
export async function invoicesOfContract(deps: LookupDeps, contractId: string, query: { limit?: number; nextToken?: string }) {
  const page = await deps.invoices.invoicesOf(contractId, query.nextToken ?? null, query.limit ?? INVOICES_PAGE.default);
  if (page.invoices.length === 0 && !query.nextToken && !(await deps.store.getContract(contractId))) throw new ContractNotFoundError(contractId);
  return { invoices: page.invoices, nextToken: page.cursor };
}

export async function invoice(deps: LookupDeps, invoiceId: string) {
  const found = await deps.invoices.invoice(invoiceId);
  if (!found) throw new InvoiceNotFoundError(invoiceId);
  return found;
}

export async function billingRun(deps: LookupDeps, month: YearMonth) {
  return billingRunSummary(await deps.invoices.billingRun(month));
}

/** The month's files with download links (at most 5 minutes on AWS), once the run has closed the month. */
export async function billingRunExport(deps: LookupDeps, month: YearMonth) {
  const record = await deps.invoices.billingRun(month);
  if (!isClosed(record)) throw new BillingRunNotFoundError(month);
  const parts = record.shards.flatMap((shard) => shard.parts);
  const { urls, expiresAt } = await deps.files.urls(month, [...parts.map((p) => p.part), 'manifest.json']);
  return {
    files: parts.map(({ format, part, rows, sha256 }) => ({ format, part, rows, sha256, url: urls[part] })),
    manifest: urls['manifest.json'],
    expiresAt,
  };
}
