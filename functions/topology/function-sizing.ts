import type { HandlerName } from './routing';

/**
 * Each function's timeout and memory: one definition, deployed by the CDK stack
 * (lib/omakase-contracts-stack.ts) and enforced by the local stack's runtime
 * (local/stack.ts), so that a function times out on a laptop when it would on AWS.
 */
export interface FunctionSizing {
  timeoutSeconds: number;
  memoryMb: number;
}

/** An inbound order, or one stream batch of outcomes: a few DynamoDB and EventBridge calls. */
const EVENT_SIZING: FunctionSizing = { timeoutSeconds: 30, memoryMb: 512 };

export const FUNCTION_SIZING: Readonly<Record<HandlerName, FunctionSizing>> = {
  'contract-application': EVENT_SIZING,
  'services-change': EVENT_SIZING,
  cancellation: EVENT_SIZING,
  'plan-change': EVENT_SIZING,
  'one-off-order': EVENT_SIZING,
  'outcome-publisher': EVENT_SIZING,
  // Lambda's longest: the run stops starting pages as its end nears and throws for a retry (budgetMarginMs).
  'monthly-renewal': { timeoutSeconds: 15 * 60, memoryMb: 1024 },
  // The billing run's start: one message per shard on the billing queue (docs/design.md §4).
  'monthly-billing': EVENT_SIZING,
  // One shard of the billing run, from the queue; it stops starting pages as its end nears and queues the rest of its shard again.
  'billing-shard': { timeoutSeconds: 15 * 60, memoryMb: 1024 },
  // Behind API Gateway, whose integration gives up after 29 s; a lookup is one or two reads.
  'lookup-api': { timeoutSeconds: 10, memoryMb: 512 },
};

/** The timeout of `handler` in milliseconds, as the local runtime counts it. */
export const timeoutMsOf = (handler: HandlerName): number => FUNCTION_SIZING[handler].timeoutSeconds * 1_000;
