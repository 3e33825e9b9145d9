import { isLocalDate, jstDateOf, toJstIso, type LocalDate, type YearMonth } from './calendar';
import type {
  BillingMethod,
  Cancellation,
  Contract,
  ContractStatus,
  Customer,
  HistoryEntry,
  HistoryType,
  Plan,
  Services,
  Term,
} from './contract';
import { RuleViolationError, type FieldIssue } from './errors';
import { terminationFee } from './fees/termination-fee';
import { cancellationAlreadyRequested, contractCancelled, invalidRequest, type Reason } from './reasons';
import type { Catalog } from './tariff/catalog';
import { revisionInForceOn } from './tariff/versioned-tariff';
import { initialTerm, nextTerm } from './term/prime-plus-term';

/**
 * The decisions that produce a contract's next state (rules.md §3, §4; interface §1–§2).
 * Pure: times arrive in the requests, ids in the input; nothing reads a clock here.
 * The contract rules R1–R7 are checked before these by rules/contract-rules.ts; the
 * guards here are the lifecycle's own preconditions, refused with RuleViolationError.
 */
export interface NewContractInput {
  contractId: string;
  orderId: string;
  appliedAt: string;
  customer: Customer;
  lineId: string;
  /** 利用開始日; defaults to the JST date of appliedAt (interface §1.1). */
  startDate?: LocalDate;
  plan: Plan;
  services: Services;
  billing: { method: BillingMethod };
}

export type ContractView = Omit<Contract, 'history'> & { status: ContractStatus };

export function createContract(input: NewContractInput, catalog: Catalog): Contract {
  const appliedOn = jstDateOf(input.appliedAt);
  const startDate = input.startDate ?? appliedOn;
  return {
    contractId: input.contractId,
    orderId: input.orderId,
    lineId: input.lineId,
    customer: input.customer,
    plan: input.plan,
    services: input.services,
    billing: input.billing,
    appliedAt: input.appliedAt,
    startDate,
    // Only Prime Plus has a minimum term (別紙7 ※11), reckoned from the start date (※15(2)).
    term: input.plan.code === 'prime-plus' ? initialTerm(startDate) : null,
    cancellation: null,
    // Decision S1: the customer accepts the terms in force when they apply (A1), not at start.
    acceptedTermsRevision: revisionInForceOn(catalog, appliedOn).id,
    version: 1,
    history: [
      entry('ContractCreated', input.appliedAt, input.orderId, `新規契約: ${planLabel(input.plan)}, 利用開始日 ${startDate}; ${servicesLabel(input.services)}`, input.services),
    ],
  };
}

/** `services` is the complete desired set (interface §1.1); it counts for billing from its month (Decision C2). */
export function changeServices(contract: Contract, change: { orderId: string; requestedAt: string; services: Services }): Contract {
  refuseIfAny(checkLiveOn(contract, jstDateOf(change.requestedAt)));
  return advance(contract, { services: change.services }, [
    entry('ContractServicesChanged', change.requestedAt, change.orderId, `サービス変更: ${servicesLabel(change.services)}`, change.services),
  ]);
}

/** A change needs a contract that is still live on the day it is requested. */
export function checkLiveOn(contract: Contract, date: LocalDate): Reason[] {
  return contract.cancellation && statusOn(contract, date) === 'cancelled'
    ? [contractCancelled(contract.contractId, contract.cancellation.effectiveDate)]
    : [];
}

/**
 * Nothing about a contract can predate the JST date its customer applied on: the rules
 * are judged at appliedAt (Decision A1), so an earlier start would put the contract in
 * force under terms they never judged, and an earlier change or cancellation would be
 * about a contract that did not exist yet (and would put its history out of time order).
 */
export function notBeforeApplication(appliedAt: string, path: string, date: LocalDate): FieldIssue[] {
  const appliedOn = jstDateOf(appliedAt);
  return date < appliedOn ? [{ path, message: `${date} は申込日 (${appliedOn}, 日本時間) より前です。申込日以降の日付を指定してください` }] : [];
}

/**
 * Deliveries are unordered (interface §1): a services change requested before the last
 * one applied would undo that later request, whose set is the complete desired one
 * (interface §1.1), and put the history out of time order. It is refused, naming the
 * change that superseded it; a change at the same instant keeps the order of arrival.
 */
export function notBeforeLastServicesChange(contract: Contract, requestedAt: string): FieldIssue[] {
  const last = contract.history.filter((e) => e.type === 'ContractServicesChanged').at(-1);
  if (!last || Date.parse(requestedAt) >= Date.parse(last.at)) return [];
  return [
    {
      path: 'requestedAt',
      message: `${toJstIso(last.at)} に申し込まれたサービス変更 (注文 ${last.orderId}) が適用済みで、${toJstIso(requestedAt)} の申込はそれより前のため適用できません。希望するサービス一式を改めて申し込んでください`,
    },
  ];
}

/**
 * Preconditions of a cancellation: one per contract (the lead's decision), requested no
 * earlier than the application, taking effect no earlier than the JST date it was
 * requested (interface §1.1). The schema only fills the default; this is the one check.
 */
export function checkCancellation(contract: Contract, request: { requestedAt: string; effectiveDate: LocalDate }): Reason[] {
  if (contract.cancellation) return [cancellationAlreadyRequested(contract.contractId, contract.cancellation.effectiveDate)];
  if (!isLocalDate(request.effectiveDate)) {
    return [invalidRequest([{ path: 'effectiveDate', message: '解約日は YYYY-MM-DD 形式の実在する日付で指定してください' }])];
  }
  const requestedOn = jstDateOf(request.requestedAt);
  const issues = [
    ...notBeforeApplication(contract.appliedAt, 'requestedAt', requestedOn),
    ...(request.effectiveDate < requestedOn
      ? [{ path: 'effectiveDate', message: `解約日は解約申込日 (${requestedOn}, 日本時間) 以降の日付を指定してください` }]
      : []),
  ];
  return issues.length > 0 ? [invalidRequest(issues)] : [];
}

export function cancelContract(
  contract: Contract,
  request: { orderId: string; requestedAt: string; effectiveDate: LocalDate },
  catalog: Catalog,
  settings: { taxable: boolean },
): Contract {
  refuseIfAny(checkCancellation(contract, request));
  const fee = terminationFee(catalog, contract, request.effectiveDate, settings);
  const cancellation: Cancellation = { orderId: request.orderId, requestedAt: request.requestedAt, effectiveDate: request.effectiveDate, terminationFee: fee };
  const feeLabel = `${fee.amount.toLocaleString('ja-JP')}円 (${fee.taxable ? '課税' : '不課税'})`;
  return advance(contract, { cancellation }, [
    entry('ContractCancelled', request.requestedAt, request.orderId, `解約受付: 解約日 ${request.effectiveDate}, 解約金 ${feeLabel}`, contract.services),
  ]);
}

/**
 * Auto-renewal (別紙7 ※11, interface §4): renews every term whose renewal month is before
 * `month`, so a missed run catches up and a rerun for the same month changes nothing.
 * It stops at the term containing a cancellation's effective date; a cancellation taking
 * effect after the current term does not stop that term's renewal (the lead's decision).
 */
export function renewThrough(contract: Contract, month: YearMonth, at: string): { contract: Contract; renewed: Term[] } {
  const renewed: Term[] = [];
  let term = contract.term;
  while (term && term.renewalMonth < month && renewsAfter(term, contract)) {
    term = nextTerm(term);
    renewed.push(term);
  }
  if (renewed.length === 0) return { contract, renewed };
  const entries = renewed.map((t) => entry('ContractRenewed', at, null, `自動更新: 第${t.number}期 ${t.start}〜${t.end}`, contract.services));
  return { contract: advance(contract, { term }, entries), renewed };
}

/** The month whose end renews the contract, while it will renew; drives the renewal index. */
export function renewalDueMonth(contract: Contract): YearMonth | null {
  return contract.term && renewsAfter(contract.term, contract) ? contract.term.renewalMonth : null;
}

/** 'cancelled' once the effective date (the last live day) has passed in JST (interface §2). */
export function statusOn(contract: Contract, today: LocalDate): ContractStatus {
  return contract.cancellation && today > contract.cancellation.effectiveDate ? 'cancelled' : 'live';
}

/** The contract as interface §2 shows it: with its status on `today`, without history. */
export function contractView(contract: Contract, today: LocalDate): ContractView {
  const { history: _history, ...shown } = contract;
  return { ...shown, status: statusOn(contract, today) };
}

/**
 * R7 (the lead's decision): the contract holds its line for a new contract starting on
 * `date` unless its cancellation takes effect before that date (a planned handover).
 */
export function occupiesLineOn(contract: Contract, date: LocalDate): boolean {
  return contract.cancellation === null || contract.cancellation.effectiveDate >= date;
}

/** Decision for 別紙7 ※11 and interface §4: a term renews unless a cancellation takes effect by its end. */
function renewsAfter(term: Term, contract: Contract): boolean {
  return contract.cancellation === null || contract.cancellation.effectiveDate > term.end;
}

function refuseIfAny(reasons: Reason[]): void {
  if (reasons.length > 0) throw new RuleViolationError(reasons);
}

/** Every state change bumps the version once (the store's optimistic concurrency) and appends history. */
function advance(contract: Contract, changes: Partial<Contract>, entries: HistoryEntry[]): Contract {
  return { ...contract, ...changes, version: contract.version + 1, history: [...contract.history, ...entries] };
}

function entry(type: HistoryType, at: string, orderId: string | null, summary: string, services: Services): HistoryEntry {
  return { at, type, orderId, summary, services };
}

const PLAN_LABELS = { none: 'パッケージプランなし', prime: 'プライムプラン', 'prime-plus': 'プライムPlusプラン' } as const;

function planLabel(plan: Plan): string {
  return plan.tier === undefined ? PLAN_LABELS[plan.code] : `${PLAN_LABELS[plan.code]} (${plan.tier}クライアント向け)`;
}

function servicesLabel(services: Services): string {
  const { endpointSecurity, edrSecurity, gatewaySecurity, cloudSandbox, cloudProxy, elgana } = services;
  const parts = [
    endpointSecurity?.terminals ? `エンドポイント ${endpointSecurity.terminals}端末` : '',
    edrSecurity?.terminals ? `EDR ${edrSecurity.terminals}端末` : '',
    gatewaySecurity ? `ゲートウェイ ${gatewaySecurity.tier}クライアント向け${gatewaySecurity.failureSupport24h ? '' : ' (24時間故障対応なし)'}` : '',
    cloudSandbox?.terminals ? `クラウドサンドボックス ${cloudSandbox.terminals}端末` : '',
    cloudProxy?.users ? `クラウドプロキシ ${cloudProxy.users}名` : '',
    elgana?.ids ? `elgana ${elgana.ids}ID` : '',
  ].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(', ') : 'サービスなし';
}
