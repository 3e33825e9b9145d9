import type { LocalDate } from './calendar';
import { fieldLabel } from './field-labels';
import { dateJa, instantJa } from './japanese';

/** Refusal codes of docs/interface.md §1.2; the list is fixed by other systems. */
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

/** One field of a request that failed, and why: the paths INVALID_REQUEST lists. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** One broken rule: `message` is a sentence a customer-service agent can act on. */
export interface Reason {
  code: ReasonCode;
  message: string;
  clause: string;
  fields?: FieldIssue[];
  /** How many failing fields INVALID_REQUEST left out of `fields` (docs/terms.md K2). */
  moreFields?: number;
}

/** A refusal with its code, the sentence an agent can act on, and the clause it cites. */
const reason = (code: ReasonCode, message: string, clause: string): Reason => ({ code, message, clause });

/** docs/terms.md K2: a refusal lists at most this many fields, and says how many more there were. */
export const MAX_LISTED_FIELDS = 20;

/** The fields a refusal lists, and how many it leaves out. */
export function listedFields(fields: FieldIssue[]): { fields: FieldIssue[]; moreFields?: number } {
  if (fields.length <= MAX_LISTED_FIELDS) return { fields };
  return { fields: fields.slice(0, MAX_LISTED_FIELDS), moreFields: fields.length - MAX_LISTED_FIELDS };
}

/**
 * The failing fields as one text, each by its Japanese name (functions/domain/field-labels.ts)
 * with why: `顧客区分: …。利用開始日: …。`; at most MAX_LISTED_FIELDS, then how many more.
 */
export function describeFields(fields: FieldIssue[]): string {
  const listed = listedFields(fields);
  const more = listed.moreFields ? `ほか${listed.moreFields}件の項目にも誤りがあります。` : '';
  return `${listed.fields.map((f) => `${fieldLabel(f.path)}: ${f.message.replace(/。$/, '')}。`).join('')}${more}`;
}

export function invalidRequest(fields: FieldIssue[]): Reason {
  const message = `注文の内容に誤りがあります。${describeFields(fields)}`;
  return { ...reason('INVALID_REQUEST', message, 'interface.md §1.1'), ...listedFields(fields) };
}

export function orderIdReused(orderId: string): Reason {
  return reason('ORDER_ID_REUSED', `注文番号 ${orderId} は別の内容の注文で使用済みです。新しい注文番号で送り直してください。`, 'interface.md §1.1');
}

export function contractNotFound(contractId: string): Reason {
  return reason('CONTRACT_NOT_FOUND', `契約 ${contractId} は見つかりません。契約IDを確認してください。`, 'interface.md §1.2');
}

/*
 * The contract rules' refusals (docs/terms.md R1–R7), one builder per rule so that the
 * wording and the clause of each live in one place. Messages say what to change.
 */

/** R1 (第2条 5). */
export function corporateOnly(appliedOn: LocalDate, corporateOnlyFrom: LocalDate): Reason {
  return reason(
    'CORPORATE_ONLY',
    `本サービスは${dateJa(corporateOnlyFrom)}以降、法人のお客様のみお申し込みいただけます (申込日 ${dateJa(appliedOn)})。顧客区分を法人として、法人名義でお申し込みください。`,
    '第2条 5',
  );
}

/** R2 (別紙7 ※13); `appliedAt` is the application time, named in Japan time (Decision A1). */
export function primePlanClosed(appliedAt: string, acceptedUntil: LocalDate): Reason {
  return reason(
    'PRIME_PLAN_CLOSED',
    `プライムプランの新規申込みは${dateJa(acceptedUntil)} (日本時間) で終了しました (申込日時 ${instantJa(appliedAt)})。プライムPlusプランなど別のプランでお申し込みください。`,
    '別紙7 ※13',
  );
}

/** R3 (別紙7 ※12). */
export function edrWithEndpoint(): Reason {
  return reason(
    'EDR_ENDPOINT_CONFLICT',
    '同一契約回線でエンドポイントセキュリティとEDRセキュリティは同時に契約できません。どちらか一方を0端末にしてください。',
    '別紙7 ※12',
  );
}

/** R5: Prime Plus includes EDR (※11), which excludes endpoint security (※12). */
export function endpointOnPrimePlus(): Reason {
  return reason(
    'EDR_ENDPOINT_CONFLICT',
    'プライムPlusプランにはEDRセキュリティが含まれるため、エンドポイントセキュリティは契約できません。エンドポイントセキュリティを0端末にしてください。',
    '別紙7 ※11 ※12',
  );
}

/** R4 (別紙7 ※14). */
export function edrOnPrime(): Reason {
  return reason('EDR_PRIME_CONFLICT', 'プライムプランの契約回線ではEDRセキュリティを契約できません。EDRセキュリティを0端末にしてください。', '別紙7 ※14');
}

/** R6: a product asked for before the tariff revision that introduced it. */
export function productNotAvailable(product: string, requestedOn: LocalDate, offeredFrom: LocalDate | null): Reason {
  const from = offeredFrom ? `${dateJa(offeredFrom)}から提供のため、` : '提供されていないため、';
  return reason(
    'PRODUCT_NOT_AVAILABLE',
    `${product}は${from}${dateJa(requestedOn)}時点ではお申し込みいただけません。${product}を外すか、提供開始日以降にお申し込みください。`,
    offeredFrom ? `別紙7 料金表 (${offeredFrom}変更で新設), 附則` : '別紙7 料金表',
  );
}

/** Decision E1: elgana is sold only as part of Prime Plus (別紙7 ※11 ベースプラン 5ID, ※15). */
export function elganaOutsidePrimePlus(): Reason {
  return reason(
    'PRODUCT_NOT_AVAILABLE',
    'elganaはプライムPlusプランに含まれるサービスで、単独ではお申し込みいただけません。elganaを0IDにするか、プライムPlusプランでお申し込みください。',
    '別紙7 ※11 ※15',
  );
}

/** R7: one live contract per line (同一契約回線, 別紙7 ※12 ※14). */
export function lineAlreadyContracted(): Reason {
  return reason(
    'LINE_ALREADY_CONTRACTED',
    'この回線には有効な契約が既にあります (1回線につき1契約)。既存契約の解約日より後の利用開始日を指定するか、別の回線でお申し込みください。',
    '別紙7 ※12 ※14 (同一契約回線)',
  );
}

/** A change on a contract whose cancellation has already taken effect. */
export function contractCancelled(contractId: string, effectiveDate: LocalDate): Reason {
  return reason(
    'CONTRACT_NOT_LIVE',
    `契約 ${contractId} は${dateJa(effectiveDate)}に解約済みのため変更できません。新しい契約としてお申し込みください。`,
    'interface.md §1.2',
  );
}

/** A second cancellation of one contract (the lead's decision: refused, not merged). */
export function cancellationAlreadyRequested(contractId: string, effectiveDate: LocalDate): Reason {
  return reason(
    'CONTRACT_NOT_LIVE',
    `契約 ${contractId} は解約手続き済みです (解約日 ${dateJa(effectiveDate)})。二重に解約することはできません。`,
    'interface.md §1.2',
  );
}
