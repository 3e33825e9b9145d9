import * as z from 'zod/mini';
import { jstDateOf } from '../../domain/calendar';
import { identifier, instant, localDate, MAX_LENGTH, text } from '../fields';
import { phone } from './contact';
import { plan, services } from './subscription';

const customerName = text(MAX_LENGTH.name);

/** ContractApplicationSubmitted's detail (interface §1.1). */
export const applicationSchema = z.pipe(
  z.object({
    orderId: identifier,
    appliedAt: instant,
    customer: z.object({
      customerId: identifier,
      name: customerName,
      kind: z.enum(['corporation', 'individual']),
      phone: z.optional(phone),
    }),
    lineId: identifier,
    startDate: z.optional(localDate),
    plan,
    services,
    billing: z.object({ method: z.enum(['invoice', 'account-transfer', 'credit-card']) }),
  }),
  // interface §1.1: startDate defaults to the JST date of appliedAt.
  z.transform((detail) => ({ ...detail, startDate: detail.startDate ?? jstDateOf(detail.appliedAt) })),
);

export type ApplicationRequest = z.output<typeof applicationSchema>;
