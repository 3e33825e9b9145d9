import type { APIGatewayProxyEvent, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ForbiddenError } from './errors';
import { matchResource, routeOfKey, type MatchedRoute } from './routes';

/** The Cognito group whose members may use the console's API (docs/interface.md §6). */
export const CUSTOMER_SERVICE_GROUP = 'customer-service';

/** What the lookup handler reads of a request, whichever API it came through. */
export interface LookupRequest {
  method: string;
  /** As the event gives it, for messages and logs. */
  path: string;
  /** The resource and its decoded path parameters; null if the path is none of ours. */
  route: MatchedRoute | null;
  query: Record<string, string | undefined>;
}

/**
 * A v1 event comes from the REST API, where IAM has authorised the caller before the
 * function runs (or from the loopback server). A v2 event comes from the console's HTTP
 * API, whose JWT authorizer has checked the token's signature, issuer, audience and
 * expiry; membership of the customer-service group is checked here, because a JWT
 * authorizer can only check scopes.
 */
export function lookupRequestOf(event: APIGatewayProxyEvent | APIGatewayProxyEventV2WithJWTAuthorizer): LookupRequest {
  if (!('version' in event) || event.version !== '2.0') {
    const v1 = event as APIGatewayProxyEvent;
    // The REST API's path is still percent-encoded: matchResource decodes each segment once.
    return { method: v1.httpMethod, path: v1.path, route: matchResource(v1.path), query: v1.queryStringParameters ?? {} };
  }
  const groups = groupsOf(event.requestContext.authorizer?.jwt?.claims?.['cognito:groups']);
  if (!groups.includes(CUSTOMER_SERVICE_GROUP)) throw new ForbiddenError(CUSTOMER_SERVICE_GROUP);
  // An HTTP API hands over rawPath already decoded (a second decoding would read an id holding
  // `%41` as `A`), having matched the route itself: its routeKey and pathParameters say which.
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    route: routeOfKey(event.routeKey, event.pathParameters),
    query: event.queryStringParameters ?? {},
  };
}

/**
 * The token's groups as API Gateway hands them over: HTTP APIs flatten a list claim to
 * the text `[a b]`; a token with one group may carry it as plain text; an array is
 * taken as it is.
 */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string');
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((g) => g.length > 0);
}
