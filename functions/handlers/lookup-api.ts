import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { builtOnFirstCall, lookupFromEnvironment, type LookupHandlerDeps } from '../commons/dependencies';
import { InvalidRequestError } from '../domain/errors';
import { errorResponse, jsonResponse, MethodNotAllowedError, RouteNotFoundError } from '../http/errors';
import { matchResource, type LookupResource } from '../http/routes';
import { fieldIssues, identifier, localDate, yearMonth, type Schema } from '../schemas/fields';
import { describeError, type LookupDeps } from '../use-cases/deps';
import * as lookups from '../use-cases/lookups';

/** Query parameters each resource accepts; anything else is refused, so a typo is not ignored. */
const noQuery = z.strictObject({});
const dateQuery = z.strictObject({ date: z.optional(localDate) });
const monthQuery = z.strictObject({ month: z.optional(yearMonth) });

type Params = Record<string, string>;
const ROUTES: Record<LookupResource, { query: Schema<Record<string, string | undefined>>; run: (deps: LookupDeps, p: Params, q: Record<string, string | undefined>) => unknown }> = {
  '/contracts/{contractId}': { query: noQuery, run: (deps, p) => lookups.getContract(deps, p.contractId as string) },
  '/contracts/{contractId}/termination-quote': { query: dateQuery, run: (deps, p, q) => lookups.terminationQuote(deps, p.contractId as string, q.date) },
  '/contracts/{contractId}/charges': { query: monthQuery, run: (deps, p, q) => lookups.charges(deps, p.contractId as string, q.month) },
  '/customers/{customerId}/contracts': { query: noQuery, run: (deps, p) => lookups.contractsOfCustomer(deps, p.customerId as string) },
  '/lines/{lineId}/contract': { query: noQuery, run: (deps, p) => lookups.lineContract(deps, p.lineId as string) },
  '/tariff': { query: dateQuery, run: (deps, _p, q) => lookups.tariff(deps, q.date) },
};

/** GET lookups of interface §3, behind API Gateway (REST, proxy integration) or the local server. */
export function createLookupApiHandler(deps: LookupHandlerDeps) {
  return async (event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> => {
    try {
      const matched = matchResource(event.path);
      if (!matched) throw new RouteNotFoundError(event.httpMethod, event.path);
      if (event.httpMethod !== 'GET') throw new MethodNotAllowedError(event.httpMethod, event.path);
      const route = ROUTES[matched.resource];
      const params = parsed(z.record(z.string(), identifier), matched.params);
      const query = parsed(route.query, event.queryStringParameters ?? {});
      return jsonResponse(200, await route.run(deps, params, query));
    } catch (error) {
      const response = errorResponse(error);
      if (response.statusCode >= 500) {
        const logger = deps.logger.createChild();
        if (context) logger.addContext(context);
        logger.error('lookup failed', { path: event.path, error: describeError(error) });
      }
      return response;
    }
  };
}

function parsed<T>(schema: Schema<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidRequestError('the request is not valid', fieldIssues(result.error));
  return result.data;
}

export const handler = builtOnFirstCall(() => createLookupApiHandler(lookupFromEnvironment()));
