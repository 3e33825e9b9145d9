/**
 * The console's screens, one per hash address (#/contracts/…), so that each can be
 * bookmarked, reloaded and sent to a colleague; and the addresses to link to them.
 */
export type Route =
  | { name: 'search' }
  | { name: 'contract'; contractId: string }
  | { name: 'customer'; customerId: string }
  | { name: 'customer-search'; namePrefix: string }
  | { name: 'order'; orderId: string }
  | { name: 'line'; lineId: string }
  | { name: 'invoice'; invoiceId: string }
  | { name: 'billing-run'; month: string | null }
  | { name: 'tariff' }
  | { name: 'renewals' };

const enc = encodeURIComponent;

export function routeOf(hash: string): Route {
  const [, kind, id] = /^#\/([\w-]+)(?:\/(.+))?$/.exec(hash) ?? [];
  let value: string;
  try {
    value = id ? decodeURIComponent(id) : '';
  } catch {
    return { name: 'search' };
  }
  if (kind === 'contracts' && value) return { name: 'contract', contractId: value };
  if (kind === 'customers' && value) return { name: 'customer', customerId: value };
  if (kind === 'names' && value) return { name: 'customer-search', namePrefix: value };
  if (kind === 'orders' && value) return { name: 'order', orderId: value };
  if (kind === 'lines' && value) return { name: 'line', lineId: value };
  if (kind === 'invoices' && value) return { name: 'invoice', invoiceId: value };
  if (kind === 'billing-runs') return { name: 'billing-run', month: value || null };
  if (kind === 'tariff') return { name: 'tariff' };
  if (kind === 'renewals') return { name: 'renewals' };
  return { name: 'search' };
}

/** Where each screen is; `kind` of a search is the first part of its address. */
export const href = {
  search: () => '#/search',
  byKind: (kind: string, id: string) => `#/${kind}/${enc(id)}`,
  contract: (contractId: string) => `#/contracts/${enc(contractId)}`,
  customer: (customerId: string) => `#/customers/${enc(customerId)}`,
  line: (lineId: string) => `#/lines/${enc(lineId)}`,
  order: (orderId: string) => `#/orders/${enc(orderId)}`,
  invoice: (invoiceId: string) => `#/invoices/${enc(invoiceId)}`,
  billingRun: (month?: string) => (month ? `#/billing-runs/${enc(month)}` : '#/billing-runs'),
  tariff: () => '#/tariff',
  renewals: () => '#/renewals',
};

/** A route's identity: a new screen (and its lookups) when it changes. */
export function routeKey(route: Route): string {
  return JSON.stringify(route);
}
