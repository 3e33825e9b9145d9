import * as z from 'zod/mini';
import { jstDateOf } from '../../domain/calendar';
import { identifier, instant, localDate } from '../fields';

/** CancellationRequested's detail (interface §1.1). */
export const cancellationSchema = z.pipe(
  z.object({
    orderId: identifier,
    requestedAt: instant,
    contractId: identifier,
    effectiveDate: z.optional(localDate),
  }),
  // interface §1.1: effectiveDate defaults to the JST date of requestedAt.
  z.transform((detail) => ({ ...detail, effectiveDate: detail.effectiveDate ?? jstDateOf(detail.requestedAt) })),
);

export type CancellationRequest = z.output<typeof cancellationSchema>;
