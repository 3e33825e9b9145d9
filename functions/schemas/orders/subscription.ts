import * as z from 'zod/mini';
import { MAX_COUNT, wholeNumber } from '../fields';

/**
 * What an order subscribes to, as applications, services changes and plan changes state
 * it (interface §1.1): the plan and the services. Business rules (R1–R7, the plan tier)
 * are the domain's; these check the shape.
 */
const tier = z.literal([10, 50, 100]);
const count = wholeNumber(0, MAX_COUNT);

// Strict: a misspelled service would otherwise be dropped without a word.
export const services = z.strictObject({
  endpointSecurity: z.optional(z.strictObject({ terminals: count })),
  edrSecurity: z.optional(z.strictObject({ terminals: count })),
  gatewaySecurity: z.optional(z.strictObject({ tier, failureSupport24h: z.boolean() })),
  cloudSandbox: z.optional(z.strictObject({ terminals: count })),
  cloudProxy: z.optional(z.strictObject({ users: count })),
  elgana: z.optional(z.strictObject({ ids: count })),
});

export const plan = z.object({ code: z.enum(['none', 'prime', 'prime-plus']), tier: z.optional(tier) });
