import * as z from 'zod/mini';
import { jstDateOf } from '../domain/calendar';
import { VISIT_ITEM_NAMES } from '../domain/charges/one-off-order';
import { invalidRequest, type Reason } from '../domain/reasons';
import { customerName, fieldIssues, identifier, instant, localDate, phone, readableOrderId, type Schema } from './fields';

/**
 * The inbound details of interface §1.1. Business rules (R1–R7, the cancellation date,
 * the plan tier) are the domain's; these check the shape, and fill the defaults the
 * interface gives, so that the domain sees complete requests.
 */
const tier = z.literal([10, 50, 100], { error: 'must be 10, 50 or 100' });
const count = z.int({ error: 'must be a whole number' }).check(z.minimum(0, { error: 'must be 0 or more' }));

// Strict: a misspelled service would otherwise be dropped without a word.
const services = z.strictObject({
  endpointSecurity: z.optional(z.strictObject({ terminals: count })),
  edrSecurity: z.optional(z.strictObject({ terminals: count })),
  gatewaySecurity: z.optional(z.strictObject({ tier, failureSupport24h: z.boolean() })),
  cloudSandbox: z.optional(z.strictObject({ terminals: count })),
  cloudProxy: z.optional(z.strictObject({ users: count })),
  elgana: z.optional(z.strictObject({ ids: count })),
});

const plan = z.object({ code: z.enum(['none', 'prime', 'prime-plus']), tier: z.optional(tier) });

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

export const servicesChangeSchema = z.object({
  orderId: identifier,
  requestedAt: instant,
  contractId: identifier,
  services,
});

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

/** docs/terms.md PC1: effectiveDate defaults to the JST date of requestedAt. */
export const planChangeSchema = z.pipe(
  z.object({
    orderId: identifier,
    requestedAt: instant,
    contractId: identifier,
    effectiveDate: z.optional(localDate),
    plan,
    services,
  }),
  z.transform((detail) => ({ ...detail, effectiveDate: detail.effectiveDate ?? jstDateOf(detail.requestedAt) })),
);

/** A whole number of 1 or more (interface §1.1: quantities, volumes, mail counts). */
const positive = z.int({ error: 'must be a whole number' }).check(z.minimum(1, { error: 'must be 1 or more' }));
/** Enough for any real order, few enough that a refusal stays small (docs/terms.md K2). */
const MAX_ORDER_ENTRIES = 100;
const list = <T extends z.ZodMiniType>(entry: T) =>
  z
    .array(entry)
    .check(
      z.minLength(1, { error: 'must hold at least one entry' }),
      z.maxLength(MAX_ORDER_ENTRIES, { error: `must hold at most ${MAX_ORDER_ENTRIES} entries` }),
    );

export const oneOffServiceSchema = z.pipe(
  z
    .object({
      orderId: identifier,
      requestedAt: instant,
      contractId: identifier,
      date: z.optional(localDate),
      visitSupport: z.optional(
        z.strictObject({
          items: list(z.strictObject({ item: z.enum(VISIT_ITEM_NAMES, { error: `must be one of ${VISIT_ITEM_NAMES.join(', ')}` }), quantity: positive })),
        }),
      ),
      dataMigration: z.optional(z.strictObject({ devices: list(z.strictObject({ volumeGB: positive })) })),
      mailTraining: z.optional(z.strictObject({ mails: positive })),
    })
    .check(
      z.refine((detail) => detail.visitSupport !== undefined || detail.dataMigration !== undefined || detail.mailTraining !== undefined, {
        error: 'at least one of visitSupport, dataMigration, mailTraining is required',
        path: ['visitSupport'],
      }),
    ),
  // interface §1.1: date defaults to the JST date of requestedAt.
  z.transform((detail) => ({ ...detail, date: detail.date ?? jstDateOf(detail.requestedAt) })),
);

export type ApplicationRequest = z.output<typeof applicationSchema>;
export type ServicesChangeRequest = z.output<typeof servicesChangeSchema>;
export type CancellationRequest = z.output<typeof cancellationSchema>;
export type PlanChangeRequest = z.output<typeof planChangeSchema>;
export type OneOffServiceRequest = z.output<typeof oneOffServiceSchema>;

/**
 * An inbound detail as the use cases receive it. Only a detail without a readable
 * orderId is `unreadable` (it goes to the dead-letter store); any other bad detail is
 * refused through the order's outcome, with INVALID_REQUEST and its fields.
 */
export type Inbound<T> =
  | { kind: 'unreadable'; reason: string }
  | { kind: 'invalid'; orderId: string; contractId: string | null; reason: Reason }
  | { kind: 'valid'; orderId: string; request: T };

/** What a use case receives: the handler has dead-lettered the unreadable ones. */
export type ReadableInbound<T> = Exclude<Inbound<T>, { kind: 'unreadable' }>;

export function parseInbound<T>(schema: Schema<T>, detail: unknown): Inbound<T> {
  const record = typeof detail === 'object' && detail !== null && !Array.isArray(detail) ? (detail as Record<string, unknown>) : null;
  const orderId = readableOrderId.safeParse(record?.orderId);
  if (!orderId.success) {
    const why = fieldIssues(orderId.error)[0]?.message ?? 'missing';
    return { kind: 'unreadable', reason: `no readable orderId (detail.orderId: ${why}), so no outcome can be published for this event` };
  }
  const parsed = schema.safeParse(detail);
  if (parsed.success) return { kind: 'valid', orderId: orderId.data, request: parsed.data };
  const contractId = identifier.safeParse(record?.contractId);
  return {
    kind: 'invalid',
    orderId: orderId.data,
    contractId: contractId.success ? contractId.data : null,
    reason: invalidRequest(fieldIssues(parsed.error)),
  };
}
