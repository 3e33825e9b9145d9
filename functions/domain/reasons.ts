import type { FieldIssue } from './errors';

/** Refusal codes of interface.md §1.2; the list is fixed by other systems. */
export type ReasonCode =
  | 'INVALID_REQUEST'
  | 'ORDER_ID_REUSED'
  | 'CORPORATE_ONLY'
  | 'PRIME_PLAN_CLOSED'
  | 'EDR_ENDPOINT_CONFLICT'
  | 'EDR_PRIME_CONFLICT'
  | 'PRODUCT_NOT_AVAILABLE'
  | 'LINE_ALREADY_CONTRACTED'
  | 'CONTRACT_NOT_FOUND'
  | 'CONTRACT_NOT_LIVE';

/** One broken rule: `message` is a sentence a customer-service agent can act on. */
export interface Reason {
  code: ReasonCode;
  message: string;
  clause: string;
  fields?: FieldIssue[];
}

export function invalidRequest(fields: FieldIssue[]): Reason {
  return {
    code: 'INVALID_REQUEST',
    message: `リクエストの形式が正しくありません: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
    clause: 'interface.md §1.1',
    fields,
  };
}

export function orderIdReused(orderId: string): Reason {
  return {
    code: 'ORDER_ID_REUSED',
    message: `注文番号 ${orderId} は別の内容の注文で使用済みです。新しい注文番号で送り直してください。`,
    clause: 'interface.md §1.1',
  };
}

export function contractNotFound(contractId: string): Reason {
  return {
    code: 'CONTRACT_NOT_FOUND',
    message: `契約 ${contractId} は見つかりません。契約IDを確認してください。`,
    clause: 'interface.md §1.2',
  };
}
