/**
 * Which inbound events go to which function: one module read by the CDK stack (one
 * EventBridge rule per route) and by the local bus, so the two route alike.
 */
export const DEFAULT_BUS_NAME = 'omakase-contracts';
export const INBOUND_SOURCE = 'omakase.orders';
export const OUTBOUND_SOURCE = 'omakase.contracts';

/** File names under functions/handlers/, one Lambda each. */
export type HandlerName =
  | 'contract-application'
  | 'services-change'
  | 'cancellation'
  | 'plan-change'
  | 'one-off-order'
  | 'outcome-publisher'
  | 'monthly-renewal'
  | 'monthly-billing'
  | 'billing-shard'
  | 'lookup-api';

export interface EventPattern {
  source: string[];
  'detail-type': string[];
}

export interface Route {
  detailType: string;
  handler: HandlerName;
  eventPattern: EventPattern;
}

const inbound = (detailType: string, handler: HandlerName): Route => ({
  detailType,
  handler,
  eventPattern: { source: [INBOUND_SOURCE], 'detail-type': [detailType] },
});

export const ROUTES: readonly Route[] = [
  inbound('ContractApplicationSubmitted', 'contract-application'),
  inbound('ServicesChangeRequested', 'services-change'),
  inbound('CancellationRequested', 'cancellation'),
  inbound('PlanChangeRequested', 'plan-change'),
  inbound('OneOffServiceOrdered', 'one-off-order'),
];

/** EventBridge matching for the subset of pattern syntax ROUTES uses (exact values). */
export function matchesPattern(pattern: EventPattern, event: { source: string; 'detail-type': string }): boolean {
  return pattern.source.includes(event.source) && pattern['detail-type'].includes(event['detail-type']);
}

export function routesFor(event: { source: string; 'detail-type': string }): Route[] {
  return ROUTES.filter((route) => matchesPattern(route.eventPattern, event));
}
