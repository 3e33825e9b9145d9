import type { APIGatewayProxyEvent, APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { builtOnFirstCall, lookupFromEnvironment, once, type LookupHandlerDeps } from '../wiring/dependencies';
import { errorResponse, InvalidRequestError, jsonResponse, MethodNotAllowedError, RouteNotFoundError } from '../http/errors';
import { lookupRequestOf } from '../http/lookup-request';
import type { LookupResource } from '../http/routes';
import { fieldIssues, type Schema } from '../schemas/field-issues';
import { NAME_PREFIX } from '../domain/customer-name';
import { identifier, localDate, maxBytes, readableOrderId, wellFormed, yearMonth } from '../schemas/fields';
import { describeError, type LookupDeps } from '../use-cases/deps';
import * as lookups from '../use-cases/lookups';
import * as invoiceLookups from '../use-cases/invoice-lookups';
import type { YearMonth } from '../domain/calendar';
import { invocationLogger, Invocations } from '../observability/invocation-logger';

/**
 * Query parameters each resource accepts; anything else is refused, so a typo is not
 * ignored. Each schema is built on the first request that parses it: a cold start builds only
 * what the request it serves parses (bench/README.md, figure 4).
 */
const noQuery = once(() => z.strictObject({}));
const dateQuery = once(() => z.strictObject({ date: z.optional(localDate) }));
const monthQuery = once(() => z.strictObject({ month: z.optional(yearMonth) }));
const pageLimit = (max: number) =>
  z.pipe(
    z.string().check(z.regex(/^\d{1,3}$/, { error: `1から${max}までの整数で指定してください` })),
    z.pipe(z.transform(Number), z.int().check(z.minimum(1), z.maximum(max))),
  );
const nextToken = () => z.string().check(z.minLength(1), z.maxLength(4096));
const renewalsQuery = once(() =>
  z.strictObject({ month: z.optional(yearMonth), limit: z.optional(pageLimit(lookups.RENEWALS_PAGE.max)), nextToken: z.optional(nextToken()) }),
);
/** The prefix as typed, bounded (in bytes: 100 characters of 4) before it is normalised; its length once normalised is the use case's to check. */
const customersQuery = once(() =>
  z.strictObject({
    namePrefix: z.string().check(wellFormed, maxBytes(NAME_PREFIX.max * 4)),
    limit: z.optional(pageLimit(lookups.CUSTOMERS_PAGE.max)),
    nextToken: z.optional(nextToken()),
  }),
);
const invoicesQuery = once(() => z.strictObject({ limit: z.optional(pageLimit(invoiceLookups.INVOICES_PAGE.max)), nextToken: z.optional(nextToken()) }));
const monthParams = once((): Schema<Params> => z.object({ month: yearMonth }));
/** Path parameters: ids, except that an order refused for an orderId over K2's 64 characters is still stored under it, and can be looked up. */
const idParams = once(() => z.record(z.string(), identifier));
const orderParams = once(() => z.record(z.string(), readableOrderId));

type Params = Record<string, string>;
interface Route {
  params: () => Schema<Params>;
  run(deps: LookupDeps, params: Params, query: unknown): unknown;
}
/** A resource's schemas and what it runs with the parsed query: the pair is typed together. */
function route<Q>(query: () => Schema<Q>, run: (deps: LookupDeps, params: Params, query: Q) => unknown, params: () => Schema<Params> = idParams): Route {
  return { params, run: (deps, p, raw) => run(deps, p, parsed(query(), raw)) };
}

const ROUTES: Record<LookupResource, Route> = {
  '/contracts/{contractId}': route(noQuery, (deps, p) => lookups.getContract(deps, p.contractId)),
  '/contracts/{contractId}/termination-quote': route(dateQuery, (deps, p, q) => lookups.terminationQuote(deps, p.contractId, q.date)),
  '/contracts/{contractId}/charges': route(monthQuery, (deps, p, q) => lookups.charges(deps, p.contractId, q.month)),
  '/contracts/{contractId}/invoices': route(invoicesQuery, (deps, p, q) => invoiceLookups.invoicesOfContract(deps, p.contractId, q)),
  '/invoices/{invoiceId}': route(noQuery, (deps, p) => invoiceLookups.invoice(deps, p.invoiceId)),
  '/billing-runs/{month}': route(noQuery, (deps, p) => invoiceLookups.billingRun(deps, p.month as YearMonth), monthParams),
  '/billing-runs/{month}/export': route(noQuery, (deps, p) => invoiceLookups.billingRunExport(deps, p.month as YearMonth), monthParams),
  '/customers/{customerId}/contracts': route(noQuery, (deps, p) => lookups.contractsOfCustomer(deps, p.customerId)),
  '/customers': route(customersQuery, (deps, _p, q) => lookups.customersByName(deps, q)),
  '/lines/{lineId}/contract': route(noQuery, (deps, p) => lookups.lineContract(deps, p.lineId)),
  '/lines/{lineId}/contracts': route(noQuery, (deps, p) => lookups.contractsOnLine(deps, p.lineId)),
  '/orders/{orderId}': route(noQuery, (deps, p) => lookups.order(deps, p.orderId), orderParams),
  '/renewals': route(renewalsQuery, (deps, _p, q) => lookups.renewals(deps, q)),
  '/tariff': route(dateQuery, (deps, _p, q) => lookups.tariff(deps, q.date)),
};

/**
 * GET lookups of interface §3, behind two APIs: the IAM-authorised REST API for machine
 * callers (v1 proxy events, and the local server's) and the console's HTTP API with the
 * Cognito JWT authorizer (v2 events, allowed for the customer-service group only).
 */
export function createLookupApiHandler(deps: LookupHandlerDeps) {
  const invocations = new Invocations();
  return async (event: APIGatewayProxyEvent | APIGatewayProxyEventV2WithJWTAuthorizer, context?: Context): Promise<APIGatewayProxyResult> => {
    const invocation = invocations.next();
    let path = '';
    try {
      const request = lookupRequestOf(event);
      path = request.path;
      const matched = request.route;
      if (!matched) throw new RouteNotFoundError(request.method, request.path);
      if (request.method !== 'GET') throw new MethodNotAllowedError(request.method, request.path);
      const route = ROUTES[matched.resource];
      return jsonResponse(200, await route.run(deps, parsed(route.params(), matched.params), request.query));
    } catch (error) {
      const response = errorResponse(error);
      if (response.statusCode >= 500) {
        invocationLogger(deps.logger, context, invocation).error('lookup failed', { path, error: describeError(error) });
      }
      return response;
    }
  };
}

function parsed<T>(schema: Schema<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw InvalidRequestError.ofLookup(fieldIssues(result.error));
  return result.data;
}

export const handler = builtOnFirstCall(() => createLookupApiHandler(lookupFromEnvironment()));
