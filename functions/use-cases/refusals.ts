import { InvalidRequestError, NotChargeableError, TariffNotInForceError } from '../domain/errors';
import { invalidRequest, type Reason } from '../domain/reasons';

/**
 * The one place where a domain refusal thrown by a calculation (a date before the first
 * tariff revision, a month the contract was not live in) becomes a refusal of the field
 * that asked for it: a 400 for a lookup, INVALID_REQUEST in an order's outcome.
 */
export function asFieldError<T>(field: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof TariffNotInForceError || error instanceof NotChargeableError) {
      throw new InvalidRequestError(error.message, [{ path: field, message: error.message }]);
    }
    throw error;
  }
}

/**
 * An order's decision that refused its input by throwing, as the refusal's reasons; any
 * other error is not about the request and is rethrown (the event is retried).
 */
export function refusalOf(error: unknown): Reason[] {
  if (error instanceof InvalidRequestError) return [invalidRequest(error.fields)];
  throw error;
}
