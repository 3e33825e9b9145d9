import * as z from 'zod/mini';
import { jstDateOf } from '../../domain/calendar';
import { identifier, instant, localDate } from '../fields';
import { contactChange } from './contact';
import { plan, services } from './subscription';

/** PlanChangeRequested's detail; docs/terms.md PC1: effectiveDate defaults to the JST date of requestedAt. */
export const planChangeSchema = z.pipe(
  z.object({
    orderId: identifier,
    requestedAt: instant,
    contractId: identifier,
    effectiveDate: z.optional(localDate),
    plan,
    services,
    customer: contactChange,
  }),
  z.transform((detail) => ({ ...detail, effectiveDate: detail.effectiveDate ?? jstDateOf(detail.requestedAt) })),
);

export type PlanChangeRequest = z.output<typeof planChangeSchema>;
