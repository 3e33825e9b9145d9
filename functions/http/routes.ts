import { InvalidRequestError } from '../domain/errors';

/**
 * The lookup API's resources (interface §3), as API Gateway names them: read by the
 * lookup handler, and by the CDK stack and the local server to expose the same paths.
 */
export const LOOKUP_RESOURCES = [
  '/contracts/{contractId}',
  '/contracts/{contractId}/termination-quote',
  '/contracts/{contractId}/charges',
  '/customers/{customerId}/contracts',
  '/lines/{lineId}/contract',
  '/orders/{orderId}',
  '/renewals',
  '/tariff',
] as const;

export type LookupResource = (typeof LOOKUP_RESOURCES)[number];

export interface MatchedRoute {
  resource: LookupResource;
  params: Record<string, string>;
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
      if (!part.startsWith('{')) return part === segment;
      if (segment === '') return false;
      params[part.slice(1, -1)] = decodeSegment(part.slice(1, -1), segment);
      return true;
    });
    if (matches) return { resource, params };
  }
  return null;
}

function decodeSegment(name: string, segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new InvalidRequestError(`${name} is not valid percent-encoding`, [{ path: name, message: 'is not valid percent-encoding' }]);
  }
}
