import type * as lookups from '../use-cases/lookups';

/**
 * The lookup API's answers (docs/interface.md §3), defined once by the use cases that
 * produce them and read by the customer-service console (console/src): a change to a
 * lookup's shape fails the console's type check.
 */
export type ContractResponse = Awaited<ReturnType<typeof lookups.getContract>>;
export type ContractsResponse = Awaited<ReturnType<typeof lookups.contractsOfCustomer>>;
export type LineContractResponse = Awaited<ReturnType<typeof lookups.lineContract>>;
export type LineContractsResponse = Awaited<ReturnType<typeof lookups.contractsOnLine>>;
export type CustomersResponse = Awaited<ReturnType<typeof lookups.customersByName>>;
export type QuoteResponse = Awaited<ReturnType<typeof lookups.terminationQuote>>;
export type ChargesResponse = Awaited<ReturnType<typeof lookups.charges>>;
export type OrderResponse = Awaited<ReturnType<typeof lookups.order>>;
export type RenewalsResponse = Awaited<ReturnType<typeof lookups.renewals>>;
export type TariffResponse = ReturnType<typeof lookups.tariff>;

/** Every error answer (functions/http/errors.ts). */
export interface LookupError {
  error: { code: string; message: string; fields?: Array<{ path: string; message: string }>; moreFields?: number };
}
