import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  BillingRunNotFoundError,
  ContractNotFoundError,
  InvoiceNotFoundError,
  ContractNotLiveError,
  InvalidCursorError,
  FieldRefusal,
  LineContractNotFoundError,
  OrderNotFoundError,
  type FieldIssue,
} from '../domain/errors';
import { describeFields, listedFields } from '../domain/reasons';
import { isStoreUnavailable } from '../store/unavailable';

/** A request (a path, a query, a local schedule call) that is not valid: which fields, and why. Requests only. */
export class InvalidRequestError extends Error {
  constructor(
    message: string,
    readonly fields: FieldIssue[],
  ) {
    super(message);
    this.name = 'InvalidRequestError';
  }

  /** A lookup's request refused for these fields, each named in Japanese with why (the 400's message). */
  static ofLookup(fields: FieldIssue[]): InvalidRequestError {
    return new InvalidRequestError(`照会の条件に誤りがあります。${describeFields(fields)}`, fields);
  }
}

/** Errors of the HTTP edge itself. */
export class RouteNotFoundError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
  ) {
    super(`該当する照会がありません (${method} ${path})。照会先のアドレスを確認してください。`);
    this.name = 'RouteNotFoundError';
  }
}

export class MethodNotAllowedError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
  ) {
    super(`${method} ${path} は受け付けられません。照会は GET でのみ行えます。`);
    this.name = 'MethodNotAllowedError';
  }
}

/** A console token that is valid but does not belong to the group allowed to look up. */
export class ForbiddenError extends Error {
  constructor(readonly group: string) {
    super(`この照会を行う権限がありません。サインインは確認できましたが、${group} グループに登録されていません。管理者に登録を依頼してください。`);
    this.name = 'ForbiddenError';
  }
}

export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

const errorBody = (code: string, message: string, fields?: FieldIssue[]) => ({ error: { code, message, ...(fields ? listedFields(fields) : {}) } });

/** What a caller told to come back later waits, in seconds: longer than a slow spell of DynamoDB usually lasts, short enough to retry by hand. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The one mapping from errors to HTTP answers (interface §3). Anything unexpected is a
 * 500 without internals; bad input never gets here as anything but a 400 or 404; a store
 * that is down or too slow is a 503 saying when to ask again.
 */
export function errorResponse(error: unknown): APIGatewayProxyResult {
  if (error instanceof ContractNotFoundError || error instanceof LineContractNotFoundError) {
    return jsonResponse(404, errorBody('CONTRACT_NOT_FOUND', error.message));
  }
  if (error instanceof OrderNotFoundError) return jsonResponse(404, errorBody('ORDER_NOT_FOUND', error.message));
  if (error instanceof InvoiceNotFoundError) return jsonResponse(404, errorBody('INVOICE_NOT_FOUND', error.message));
  if (error instanceof BillingRunNotFoundError) return jsonResponse(404, errorBody('BILLING_RUN_NOT_FOUND', error.message));
  if (error instanceof ContractNotLiveError) return jsonResponse(409, errorBody('CONTRACT_NOT_LIVE', error.message));
  if (error instanceof InvalidRequestError || error instanceof FieldRefusal)
    return jsonResponse(400, errorBody('INVALID_REQUEST', error.message, error.fields));
  if (error instanceof InvalidCursorError) {
    return jsonResponse(400, errorBody('INVALID_REQUEST', error.message, [{ path: error.parameter, message: '前のページの応答にあった値ではありません' }]));
  }
  if (error instanceof RouteNotFoundError) return jsonResponse(404, errorBody('NOT_FOUND', error.message));
  if (error instanceof ForbiddenError) return jsonResponse(403, errorBody('FORBIDDEN', error.message));
  if (error instanceof MethodNotAllowedError) return jsonResponse(405, errorBody('METHOD_NOT_ALLOWED', error.message));
  if (isStoreUnavailable(error)) {
    const response = jsonResponse(
      503,
      errorBody('SERVICE_UNAVAILABLE', `契約データベースが一時的に応答していません。${RETRY_AFTER_SECONDS}秒ほど待ってから、もう一度照会してください。`),
    );
    return { ...response, headers: { ...response.headers, 'retry-after': String(RETRY_AFTER_SECONDS) } };
  }
  return jsonResponse(500, errorBody('INTERNAL_ERROR', '照会に失敗しました。システムの担当者に連絡してください (原因は照会機能のログに記録されています)。'));
}
