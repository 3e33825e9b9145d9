import type { APIGatewayProxyResult } from 'aws-lambda';
import { ContractNotFoundError, InvalidRequestError, LineContractNotFoundError, OrderNotFoundError, type FieldIssue } from '../domain/errors';
import { listedFields } from '../domain/reasons';

/** Errors of the HTTP edge itself. */
export class RouteNotFoundError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
  ) {
    super(`no route for ${method} ${path}`);
    this.name = 'RouteNotFoundError';
  }
}

export class MethodNotAllowedError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
  ) {
    super(`${method} is not allowed on ${path}; the lookup API answers GET only`);
    this.name = 'MethodNotAllowedError';
  }
}

/** A console token that is valid but does not belong to the group allowed to look up. */
export class ForbiddenError extends Error {
  constructor(readonly group: string) {
    super(`the token is valid but not in the ${group} group; only its members may use the console's lookups`);
    this.name = 'ForbiddenError';
  }
}

export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

const errorBody = (code: string, message: string, fields?: FieldIssue[]) => ({ error: { code, message, ...(fields ? listedFields(fields) : {}) } });

/**
 * The one mapping from errors to HTTP answers (interface §3). Anything unexpected is a
 * 500 without internals; bad input never gets here as anything but a 400 or 404.
 */
export function errorResponse(error: unknown): APIGatewayProxyResult {
  if (error instanceof ContractNotFoundError || error instanceof LineContractNotFoundError) {
    return jsonResponse(404, errorBody('CONTRACT_NOT_FOUND', error.message));
  }
  if (error instanceof OrderNotFoundError) return jsonResponse(404, errorBody('ORDER_NOT_FOUND', error.message));
  if (error instanceof InvalidRequestError) return jsonResponse(400, errorBody('INVALID_REQUEST', error.message, error.fields));
  if (error instanceof RouteNotFoundError) return jsonResponse(404, errorBody('NOT_FOUND', error.message));
  if (error instanceof ForbiddenError) return jsonResponse(403, errorBody('FORBIDDEN', error.message));
  if (error instanceof MethodNotAllowedError) return jsonResponse(405, errorBody('METHOD_NOT_ALLOWED', error.message));
  return jsonResponse(500, errorBody('INTERNAL_ERROR', 'the lookup failed; see the function log'));
}
