import { jstDateOf, type LocalDate, type YearMonth } from './calendar';
import type {
  BillingMethod,
  ContactChange,
  Cancellation,
  Contract,
  ContractStatus,
  Customer,
  HistoryEntry,
  HistoryType,
  ChargedOneOffFee,
  Plan,
  Services,
  Term,
} from './contract';
import { statusOn, type TerminationFee } from './contract';
import { FIELD_LABELS, VALUE_LABELS } from './field-labels';
import { terminationFee, termOfRequest } from './fees/termination-fee';
import { dateJa } from './japanese';
import type { Catalog } from './tariff/catalog';
import { revisionInForceOn } from './tariff/versioned-tariff';
import { initialTerm, nextTerm } from './term/prime-plus-term';
import { yenLabel } from './yen';

/**
 * The decisions that produce a contract's next state (docs/terms.md §3, §4; interface §1–§2).
 * Pure: times arrive in the requests, ids in the input; nothing reads a clock here.
 * Every check (R1–R7 and the lifecycle's own preconditions) is rules/contract-rules.ts's:
 * a use case runs it first and calls these only on a request it found acceptable.
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

export type ContractView = Omit<Contract, 'history' | 'invoicing'> & { status: ContractStatus };

export function createContract(input: NewContractInput, catalog: Catalog): Contract {
  const appliedOn = jstDateOf(input.appliedAt);
  const startDate = input.startDate ?? appliedOn;
  const acceptedTermsRevision = revisionInForceOn(catalog, appliedOn).id;
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
    acceptedTermsRevision,
    version: 1,
    history: [
      {
        ...entry(
          'ContractCreated',
          input.appliedAt,
          input.orderId,
          `新規契約: ${planLabel(input.plan)}、利用開始日 ${dateJa(startDate)}。サービスは${servicesLabel(input.services)}`,
          input.services,
        ),
        acceptedTermsRevision,
      },
    ],
  };
}

/** `services` is the complete desired set (interface §1.1); it counts for billing from its month (Decision C2). */
export function withServices(
  contract: Contract,
  change: { orderId: string; requestedAt: string; services: Services } & ContactChange,
  catalog: Catalog,
): Contract {
  return byOrder(
    catalog,
    contract,
    { services: change.services, customer: withContact(contract.customer, change) },
    entry('ContractServicesChanged', change.requestedAt, change.orderId, `サービス変更: 変更後のサービスは${servicesLabel(change.services)}`, change.services),
  );
}

export function withCancellation(
  contract: Contract,
  request: { orderId: string; requestedAt: string; effectiveDate: LocalDate },
  catalog: Catalog,
  settings: { taxable: boolean },
): Contract {
  const requestedOn = jstDateOf(request.requestedAt);
  const fee = terminationFee(catalog, contract, { requestedOn, effectiveDate: request.effectiveDate }, settings);
  // Decision L3 (with L5): a request made in a term the monthly run has since renewed past
  // (asked for in time, processed late) withdraws that renewal, whatever its effective date:
  // the contract keeps the term it was asked in, and the outcome names the term billing must void.
  const asked = contract.term === null ? null : termOfRequest(contract, requestedOn);
  const withdrawn = asked !== null && contract.term !== null && asked.number < contract.term.number;
  const term = withdrawn ? asked : contract.term;
  const cancellation: Cancellation = {
    orderId: request.orderId,
    requestedAt: request.requestedAt,
    effectiveDate: request.effectiveDate,
    terminationFee: fee,
    withdrawnTerm: withdrawn ? contract.term : null,
  };
  const withdrawal = withdrawn && contract.term ? `。第${contract.term.number}期への自動更新を取り消し` : '';
  return byOrder(
    catalog,
    contract,
    { cancellation, term },
    entry(
      'ContractCancelled',
      request.requestedAt,
      request.orderId,
      `解約受付: 解約日 ${dateJa(request.effectiveDate)}、解約金 ${feeLabel(fee)}${withdrawal}`,
      contract.services,
    ),
  );
}

/**
 * A plan change (docs/terms.md §7), checked by checkPlanChange: the plan and services from
 * `effectiveDate` on. Into Prime Plus starts term 1 on that date (PC3); within Prime Plus
 * keeps the term (PC5); out of Prime Plus ends the term, charging the L2 fee as for a
 * cancellation taking effect that day (PC4); the month's charges split at the date (PC6).
 */
export function withPlanChange(
  contract: Contract,
  change: { orderId: string; requestedAt: string; effectiveDate: LocalDate; plan: Plan; services: Services } & ContactChange,
  catalog: Catalog,
  settings: { taxable: boolean },
): { contract: Contract; terminationFee: TerminationFee | null } {
  const wasPrimePlus = contract.plan.code === 'prime-plus';
  const toPrimePlus = change.plan.code === 'prime-plus';
  const request = { requestedOn: jstDateOf(change.requestedAt), effectiveDate: change.effectiveDate };
  const fee = wasPrimePlus && !toPrimePlus ? terminationFee(catalog, contract, request, settings) : null;
  const term = toPrimePlus ? (wasPrimePlus ? contract.term : initialTerm(change.effectiveDate)) : null;
  const next = byOrder(
    catalog,
    contract,
    { plan: change.plan, services: change.services, term, customer: withContact(contract.customer, change) },
    {
      ...entry(
        'ContractPlanChanged',
        change.requestedAt,
        change.orderId,
        `プラン変更: ${planLabel(contract.plan)} → ${planLabel(change.plan)}、適用日 ${dateJa(change.effectiveDate)}${fee ? `、解約金 ${feeLabel(fee)}` : ''}。サービスは${servicesLabel(change.services)}`,
        change.services,
      ),
      plan: change.plan,
      previousPlan: contract.plan,
      effectiveDate: change.effectiveDate,
      terminationFee: fee,
    },
  );
  return { contract: next, terminationFee: fee };
}

/** A one-off fee charged to the contract (docs/terms.md §8): kept for its month's bill (T2) and for V1/V2's "first". */
export function withOneOffFee(contract: Contract, charge: ChargedOneOffFee, requestedAt: string, catalog: Catalog): Contract {
  return byOrder(
    catalog,
    contract,
    { oneOffFees: [...(contract.oneOffFees ?? []), charge] },
    entry(
      'OneOffFeeCharged',
      requestedAt,
      charge.orderId,
      `単発サービス: ${dateJa(charge.date)}${oneOffKinds(charge)}、${yenLabel(charge.subtotal)} (税抜)`,
      contract.services,
    ),
  );
}

/**
 * Auto-renewal (別紙7 ※11, interface §4): renews every term whose renewal month is before
 * `month`, so a missed run catches up and a rerun for the same month changes nothing.
 * It stops at the term in which the customer asked to leave (Decision L5).
 */
export function renewThrough(contract: Contract, month: YearMonth, at: string): { contract: Contract; renewed: Term[] } {
  const renewed: Term[] = [];
  let term = contract.term;
  while (term && term.renewalMonth < month && renewsAfter(term, contract)) {
    term = nextTerm(term);
    renewed.push(term);
  }
  if (renewed.length === 0) return { contract, renewed };
  const entries = renewed.map((t) => entry('ContractRenewed', at, null, `自動更新: 第${t.number}期 ${dateJa(t.start)}〜${dateJa(t.end)}`, contract.services));
  return { contract: advance(contract, { term }, entries), renewed };
}

/** The month whose end renews the contract, while it will renew; drives the renewal index. */
export function renewalDueMonth(contract: Contract): YearMonth | null {
  return contract.term && renewsAfter(contract.term, contract) ? contract.term.renewalMonth : null;
}

/** The contract as interface §2 shows it: with its status on `today`, without history. */
export function contractView(contract: Contract, today: LocalDate): ContractView {
  const { history: _history, invoicing: _invoicing, ...shown } = contract;
  return { ...shown, status: statusOn(contract, today) };
}

/**
 * R7 (the lead's decision): the contract holds its line for a new contract starting on
 * `date` unless its cancellation takes effect before that date (a planned handover).
 */
export function occupiesLineOn(contract: Contract, date: LocalDate): boolean {
  return contract.cancellation === null || contract.cancellation.effectiveDate >= date;
}

/**
 * Decision L5: a term renews unless its customer asked to leave on or before its last day
 * (the last day of its renewal month, JST), whatever the effective date: the seed renews
 * 「契約更新月に解約のお申し出がない場合」. A move out of Prime Plus ends the term at once (PC4).
 */
function renewsAfter(term: Term, contract: Contract): boolean {
  return contract.cancellation === null || jstDateOf(contract.cancellation.requestedAt) > term.end;
}

/**
 * An accepted order's change. Decision S2: it records the terms revision in force when it
 * was asked for (A1), on the contract (the latest) and in its history entry (each one), so
 * that, say, adding EDR in 2024 keeps the consent of 第35条 20–22 on record.
 */
function byOrder(catalog: Catalog, contract: Contract, changes: Partial<Contract>, order: HistoryEntry): Contract {
  const acceptedTermsRevision = revisionInForceOn(catalog, jstDateOf(order.at)).id;
  return advance(contract, { ...changes, acceptedTermsRevision }, [{ ...order, acceptedTermsRevision }]);
}

function withContact(customer: Customer, change: ContactChange): Customer {
  const phone = change.customer?.phone;
  return phone === undefined ? customer : { ...customer, phone };
}

/** Every state change bumps the version once (the store's optimistic concurrency) and appends history. */
function advance(contract: Contract, changes: Partial<Contract>, entries: HistoryEntry[]): Contract {
  return { ...contract, ...changes, version: contract.version + 1, history: [...contract.history, ...entries] };
}

function entry(type: HistoryType, at: string, orderId: string | null, summary: string, services: Services): HistoryEntry {
  return { at, type, orderId, summary, services };
}

/*
 * The history's `summary`: one line in Japanese for customer service to read out
 * (docs/interface.md §3): dates as 2024年5月10日, amounts as 19,000円, plans and services
 * by the names field-labels.ts gives them. Entries stored before keep their own text.
 */

function planLabel(plan: Plan): string {
  return plan.tier === undefined ? VALUE_LABELS[plan.code] : `${VALUE_LABELS[plan.code]} (${plan.tier}クライアント向け)`;
}

function feeLabel(fee: TerminationFee): string {
  return `${yenLabel(fee.amount)} (${fee.taxable ? '課税' : '不課税'})`;
}

/** The services as a list: EDRセキュリティ 8端末、クラウドプロキシ 2名; なし when there are none. */
function servicesLabel(services: Services): string {
  const { endpointSecurity, edrSecurity, gatewaySecurity, cloudSandbox, cloudProxy, elgana } = services;
  const name = (service: keyof Services) => FIELD_LABELS[`services.${service}`];
  const parts = [
    endpointSecurity?.terminals ? `${name('endpointSecurity')} ${endpointSecurity.terminals}端末` : '',
    edrSecurity?.terminals ? `${name('edrSecurity')} ${edrSecurity.terminals}端末` : '',
    gatewaySecurity
      ? `${name('gatewaySecurity')} (${gatewaySecurity.tier}クライアント向け${gatewaySecurity.failureSupport24h ? '' : '、24時間機器故障対応なし'})`
      : '',
    cloudSandbox?.terminals ? `${name('cloudSandbox')} ${cloudSandbox.terminals}端末` : '',
    cloudProxy?.users ? `${name('cloudProxy')} ${cloudProxy.users}名` : '',
    elgana?.ids ? `${name('elgana')} ${elgana.ids}ID` : '',
  ].filter((part) => part !== '');
  return parts.length > 0 ? parts.join('、') : 'なし';
}

/** What a one-off order was, by the parts of its lines: 、出張サポート・データ移行. */
function oneOffKinds(charge: ChargedOneOffFee): string {
  const kinds = [
    ['visit.', FIELD_LABELS.visitSupport],
    ['dataMigration.', FIELD_LABELS.dataMigration],
    ['mailTraining.', FIELD_LABELS.mailTraining],
  ]
    .filter(([prefix]) => charge.lines.some((line) => line.item.startsWith(prefix)))
    .map(([, label]) => label);
  return kinds.length > 0 ? `、${kinds.join('・')}` : '';
}
