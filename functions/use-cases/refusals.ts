import { FieldRefusal } from '../domain/errors';
import { invalidRequest, type Reason } from '../domain/reasons';

/**
 * A calculation the domain refused (a date before the first tariff revision, a month the
 * contract was not live in), named for the request's field that asked for it; thrown on,
 * to be a 400 for a lookup or an order's INVALID_REQUEST (refusalOf).
 */
export function asFieldError<T>(field: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof FieldRefusal) throw error.named(field);
    throw error;
  }
}

/**
 * An order's decision that the domain refused by throwing, as the refusal's reasons; any
 * other error is not about the request and is rethrown (the event is retried).
 */
export function refusalOf(error: unknown): Reason[] {
  if (error instanceof FieldRefusal) return [invalidRequest(error.fields)];
  throw error;
}
