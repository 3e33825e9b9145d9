import { invalidRequest, type Reason } from '../domain/reasons';
import { fieldIssues, type Schema } from './field-issues';
import { identifier, readableOrderId } from './fields';

/**
 * The parsing step of every inbound handler: the detail against its order's schema
 * (schemas/orders/, one module each, so that a function's bundle builds only the schema
 * it parses), with the orderId read first, since without one no outcome can be published.
 *
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
