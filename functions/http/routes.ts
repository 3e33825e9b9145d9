import { InvalidRequestError } from './errors';

/**
 * The lookup API's resources (interface §3), as API Gateway names them: read by the
 * lookup handler, and by the CDK stack and the local server to expose the same paths.
 */
export const LOOKUP_RESOURCES = [
  '/contracts/{contractId}',
  '/contracts/{contractId}/termination-quote',
  '/contracts/{contractId}/charges',
  '/contracts/{contractId}/invoices',
  '/invoices/{invoiceId}',
  '/billing-runs/{month}',
  '/billing-runs/{month}/export',
  '/customers/{customerId}/contracts',
  '/customers',
  '/lines/{lineId}/contract',
  '/lines/{lineId}/contracts',
  '/orders/{orderId}',
  '/renewals',
  '/tariff',
] as const;

export type LookupResource = (typeof LOOKUP_RESOURCES)[number];

export interface MatchedRoute {
  resource: LookupResource;
  params: Record<string, string>;
}

/** The parameter a part of a resource names (`{contractId}` → contractId); null for a literal part. */
export function parameterOf(part: string): string | null {
  return part.startsWith('{') ? part.slice(1, -1) : null;
}

/** The resource a request path belongs to, with its path parameters decoded; null if none. */
export function matchResource(path: string): MatchedRoute | null {
  const segments = path.replace(/\/+$/, '').split('/');
  for (const resource of LOOKUP_RESOURCES) {
    const pattern = resource.split('/');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, i) => {
      const segment = segments[i];
      const name = parameterOf(part);
      if (name === null) return part === segment;
      if (segment === '') return false;
      params[name] = decodeSegment(name, segment);
      return true;
    });
    if (matches) return { resource, params };
  }
  return null;
}

/**
 * The resource API Gateway matched for a v2 event (its routeKey, e.g.
 * `GET /contracts/{contractId}`), with the path parameters it decoded; null if the route is
 * none of ours or a parameter is missing.
 */
export function routeOfKey(routeKey: string, pathParameters: Record<string, string | undefined> | undefined): MatchedRoute | null {
  const matched = routeKey.slice(routeKey.indexOf(' ') + 1);
  const resource = LOOKUP_RESOURCES.find((r) => r === matched);
  if (!resource) return null;
  const params: Record<string, string> = {};
  for (const name of resource.split('/').map(parameterOf)) {
    if (name === null) continue;
    const value = pathParameters?.[name];
    if (!value) return null;
    params[name] = value;
  }
  return { resource, params };
}

function decodeSegment(name: string, segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw InvalidRequestError.ofLookup([{ path: name, message: 'パスの文字の符号化 (%エンコード) が正しくありません' }]);
  }
}
