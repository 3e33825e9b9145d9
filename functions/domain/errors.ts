import { fieldLabel } from './field-labels';
import { dateJa, monthJa } from './japanese';
import type { FieldIssue } from './reasons';

export type { FieldIssue } from './reasons';

/**
 * Errors of the domain and the use cases. Each names what went wrong in terms an
 * operator can act on; one function at the edge (functions/http) maps them to HTTP.
 * The messages of those that reach a response (a lookup's 400, 404 or 409) are Japanese,
 * for customer service to read out; CatalogError (configuration, never a response) stays English.
 */

/**
 * The domain refusing what a request asked of it, naming the fields and why: an order's
 * INVALID_REQUEST reason, a lookup's 400. A refusal found by a calculation that cannot
 * know the request's field name (a date of a tariff, a billing month) names its own, and
 * the use case names it for its request once (`named`).
 */
export class FieldRefusal extends Error {
  constructor(
    message: string,
    readonly fields: FieldIssue[],
  ) {
    super(message);
    this.name = 'FieldRefusal';
  }

  /** The same refusal, of the request's field `path`. */
  named(path: string): FieldRefusal {
    return new FieldRefusal(
      this.message,
      this.fields.map((issue) => ({ ...issue, path })),
    );
  }
}

/** The operator's tariff (the catalog and its overrides) is not valid: configuration, not a request. */
export class CatalogError extends Error {
  constructor(
    message: string,
    readonly fields: FieldIssue[],
  ) {
    super(`${message}: ${fields.map((f) => `${f.path || '(root)'}: ${f.message}`).join('; ')}`);
    this.name = 'CatalogError';
  }
}

/** A page token (`nextToken`) that no page of this API gave: a bad request, named by its parameter. */
export class InvalidCursorError extends Error {
  constructor(readonly parameter: string) {
    super(`${fieldLabel(parameter)}が正しくありません。前のページの応答にあった値をそのまま指定してください。`);
    this.name = 'InvalidCursorError';
  }
}

export class ContractNotFoundError extends Error {
  constructor(readonly contractId: string) {
    super(`契約 ${contractId} は見つかりません。契約IDを確認してください。`);
    this.name = 'ContractNotFoundError';
  }
}

export class LineContractNotFoundError extends Error {
  constructor(readonly lineId: string) {
    super(`回線 ${lineId} に有効な契約はありません。回線IDを確認してください。`);
    this.name = 'LineContractNotFoundError';
  }
}

export class OrderNotFoundError extends Error {
  constructor(readonly orderId: string) {
    super(`注文 ${orderId} は受け付けていません。注文番号を確認してください。`);
    this.name = 'OrderNotFoundError';
  }
}

/** interface §7.3: no invoice has this id. */
export class InvoiceNotFoundError extends Error {
  constructor(readonly invoiceId: string) {
    super(`請求書 ${invoiceId} は見つかりません。請求書番号を確認してください。`);
    this.name = 'InvoiceNotFoundError';
  }
}

/** interface §7.3: the month's files exist once its billing run has closed it. */
export class BillingRunNotFoundError extends Error {
  constructor(readonly month: string) {
    super(`${monthJa(month)}の請求締めはまだ完了していません。締めの完了後に出力ファイルを取得できます。`);
    this.name = 'BillingRunNotFoundError';
  }
}

/** interface §3 (2026-12-07): a termination quote on a contract that is cancelled or has its cancellation recorded. */
export class ContractNotLiveError extends Error {
  constructor(
    readonly contractId: string,
    readonly effectiveDate: string,
  ) {
    super(`契約 ${contractId} は解約手続き済みです (解約日 ${dateJa(effectiveDate)})。解約金の試算はできません。`);
    this.name = 'ContractNotLiveError';
  }
}

/** A date before the first tariff revision: a refusal, never a silent fallback (Decision P1). */
export class TariffNotInForceError extends FieldRefusal {
  constructor(
    readonly date: string,
    readonly firstRevisionFrom: string,
  ) {
    const message = `${dateJa(date)}に適用される料金表はありません (最初の料金表は${dateJa(firstRevisionFrom)}から適用)。${dateJa(firstRevisionFrom)}以降の日付を指定してください。`;
    super(message, [{ path: 'date', message }]);
    this.name = 'TariffNotInForceError';
  }
}

/** A monthly charge asked for a month in which the contract was not live. */
export class NotChargeableError extends FieldRefusal {
  constructor(message: string) {
    super(message, [{ path: 'month', message }]);
    this.name = 'NotChargeableError';
  }
}
