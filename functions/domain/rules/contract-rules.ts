import { isInstant, isLocalDate, jstDateOf, toJstIso, type LocalDate } from '../calendar';
import { canonicalJson } from '../canonical-json';
import { lastPlanChangeDate, statusOn, type ContactChange, type Contract, type Customer, type Plan, type Services } from '../contract';
import { TariffNotInForceError, type FieldIssue } from '../errors';
import { dateJa, instantJa } from '../japanese';
import {
  cancellationAlreadyRequested,
  contractCancelled,
  corporateOnly,
  edrOnPrime,
  edrWithEndpoint,
  elganaOutsidePrimePlus,
  endpointOnPrimePlus,
  invalidRequest,
  lineAlreadyContracted,
  primePlanClosed,
  productNotAvailable,
  type Reason,
} from '../reasons';
import type { Catalog, TariffRevision, TariffRules } from '../tariff/catalog';
import { revisionInForceOn } from '../tariff/versioned-tariff';

/**
 * The contract rules R1–R7 (docs/terms.md §1, §3) as one evaluator: every rule is a small
 * function over the same facts, all of them run, and every broken rule is returned at
 * once. Facts that depend on the date come from the tariff revision in force on the JST
 * date of the request (Decision A1: the time the customer applied, not the processing time).
 */
type Occasion = 'application' | 'change' | 'plan-change';

interface Facts {
  occasion: Occasion;
  catalog: Catalog;
  /** The request's own time (appliedAt / requestedAt), as sent. */
  at: string;
  /** Its JST calendar date and the revision in force on it. */
  on: LocalDate;
  revision: TariffRevision;
  customer: Customer;
  plan: Plan;
  services: Services;
  lineOccupied: boolean;
  /** The contract being changed; absent for an application. */
  contract?: Contract;
}

const EVERY_OCCASION: readonly Occasion[] = ['application', 'change', 'plan-change'];

interface Rule {
  /** The lead's decision: R1 and R7 judge applications only; R3–R6 also every change; R2 also plan changes (PC2). */
  occasions: readonly Occasion[];
  check(facts: Facts): Reason[];
}

const contracted = (count: number | undefined): boolean => (count ?? 0) > 0;
const hasEndpoint = (s: Services): boolean => contracted(s.endpointSecurity?.terminals);
const hasEdr = (s: Services): boolean => contracted(s.edrSecurity?.terminals);
const when = (broken: boolean, reason: () => Reason): Reason[] => (broken ? [reason()] : []);

/** The first revision whose rules say so: where a product or restriction began. */
function firstRevisionWhere(catalog: Catalog, holds: (rules: TariffRules) => boolean): LocalDate | null {
  return catalog.find((revision) => holds(revision.rules))?.effectiveFrom ?? null;
}

function notYetOffered(f: Facts, product: keyof TariffRules['acceptsApplicationsFor'], label: string): Reason[] {
  return when(!f.revision.rules.acceptsApplicationsFor[product], () =>
    productNotAvailable(
      label,
      f.on,
      firstRevisionWhere(f.catalog, (rules) => rules.acceptsApplicationsFor[product]),
    ),
  );
}

const RULES: readonly Rule[] = [
  // R1 第2条 5: corporations only, from the revision that says so.
  {
    occasions: ['application'],
    check: (f) =>
      when(f.revision.rules.corporateOnly && f.customer.kind !== 'corporation', () =>
        corporateOnly(f.on, firstRevisionWhere(f.catalog, (rules) => rules.corporateOnly) ?? f.revision.effectiveFrom),
      ),
  },
  // R2 ※13: no new Prime application after the last accepted JST date; PC2: a move into
  // Prime from another plan is one (a tier change within Prime is not).
  {
    occasions: ['application', 'plan-change'],
    check: (f) => {
      const until = f.revision.rules.primeApplicationsUntil;
      const joinsPrime = f.plan.code === 'prime' && f.contract?.plan.code !== 'prime';
      return joinsPrime && until !== null && f.on > until ? [primePlanClosed(toJstIso(f.at), until)] : [];
    },
  },
  // R3 ※12: endpoint security and EDR exclude each other on one line.
  { occasions: EVERY_OCCASION, check: (f) => when(hasEndpoint(f.services) && hasEdr(f.services), edrWithEndpoint) },
  // R4 ※14: EDR excludes Prime.
  { occasions: EVERY_OCCASION, check: (f) => when(f.plan.code === 'prime' && hasEdr(f.services), edrOnPrime) },
  // R5 ※11 with ※12: Prime Plus includes EDR, so endpoint security is excluded.
  { occasions: EVERY_OCCASION, check: (f) => when(f.plan.code === 'prime-plus' && hasEndpoint(f.services), endpointOnPrimePlus) },
  // R6: EDR did not exist before its revision, at signup or on a later change ...
  { occasions: EVERY_OCCASION, check: (f) => (hasEdr(f.services) ? notYetOffered(f, 'edrSecurity', 'EDRセキュリティ') : []) },
  // ... nor Prime Plus, chosen by an application or a move into it (PC3; judged on requestedAt).
  {
    occasions: ['application', 'plan-change'],
    check: (f) => (f.plan.code === 'prime-plus' && f.contract?.plan.code !== 'prime-plus' ? notYetOffered(f, 'primePlus', 'プライムPlusプラン') : []),
  },
  // E1 (※11, ※15): elgana exists in the seed only as part of Prime Plus.
  { occasions: EVERY_OCCASION, check: (f) => when(f.plan.code !== 'prime-plus' && contracted(f.services.elgana?.ids), elganaOutsidePrimePlus) },
  // R7: one live contract per line (occupancy is decided by occupiesLineOn).
  { occasions: ['application'], check: (f) => when(f.lineOccupied, lineAlreadyContracted) },
  // A change needs a contract still live on the day it is requested.
  { occasions: ['change', 'plan-change'], check: (f) => (f.contract ? checkLiveOn(f.contract, f.on) : []) },
];

type Request = Omit<Facts, 'occasion' | 'catalog' | 'on' | 'revision'>;

/**
 * Runs every rule of the occasion. Request-level inconsistencies that a schema cannot
 * see (a time before the first tariff revision, a missing tier, a date before the
 * application) come first as one INVALID_REQUEST with its fields; the rules still run
 * whenever the date is usable.
 */
function evaluate(occasion: Occasion, catalog: Catalog, request: Request, atField: string, issues: FieldIssue[]): Reason[] {
  const fields = [...issues];
  const dated = dateFacts(catalog, request.at, atField, fields);
  const reasons = dated
    ? RULES.filter((rule) => rule.occasions.includes(occasion)).flatMap((rule) => rule.check({ ...request, ...dated, occasion, catalog }))
    : [];
  return fields.length > 0 ? [invalidRequest(fields), ...reasons] : reasons;
}

function dateFacts(catalog: Catalog, at: string, field: string, fields: FieldIssue[]): { on: LocalDate; revision: TariffRevision } | null {
  if (!isInstant(at)) {
    fields.push({ path: field, message: '日時は時差 (タイムゾーン) 付きで指定してください (例 2024-05-01T10:00:00+09:00)' });
    return null;
  }
  const on = jstDateOf(at);
  try {
    return { on, revision: revisionInForceOn(catalog, on) };
  } catch (error) {
    if (!(error instanceof TariffNotInForceError)) throw error;
    fields.push({ path: field, message: `${dateJa(on)} (日本時間) に適用される料金表はありません (最初の料金表は${dateJa(error.firstRevisionFrom)}から適用)` });
    return null;
  }
}

/**
 * interface §1.1: `plan.tier` is required for `prime` and `prime-plus`. Without a package
 * plan a tier prices nothing; it is refused rather than kept on the contract as if it meant something.
 */
function planIssues(plan: Plan): FieldIssue[] {
  if (plan.code === 'none') {
    return plan.tier === undefined
      ? []
      : [
          {
            path: 'plan.tier',
            message:
              'パッケージプランなしではクライアント数区分を指定できません。クライアント数区分はプライムプラン・プライムPlusプランを選ぶときだけ指定してください',
          },
        ];
  }
  return plan.tier === undefined
    ? [{ path: 'plan.tier', message: 'プライムプラン・プライムPlusプランではクライアント数区分 (10・50・100) の指定が必須です' }]
    : [];
}

/**
 * Decision S2: EDR incident notices are by telephone only (別紙1 6 ①), so a contract with
 * EDR, Prime Plus's included EDR too (※11), needs a contact telephone.
 */
function phoneIssues(plan: Plan, services: Services, phone: string | undefined): FieldIssue[] {
  const edr = hasEdr(services) || plan.code === 'prime-plus';
  return edr && (phone ?? '').trim() === ''
    ? [
        {
          path: 'customer.phone',
          message: 'EDRセキュリティ (プライムPlusプランを含む) のインシデント通知は電話で行うため、連絡先電話番号が必須です (別紙1 6 ①)',
        },
      ]
    : [];
}

/** `startDate` (default: the JST date of appliedAt) may not be earlier than that date. */
export function checkApplication(
  catalog: Catalog,
  application: { appliedAt: string; customer: Customer; plan: Plan; services: Services; startDate?: LocalDate },
  line: { occupied: boolean },
): Reason[] {
  const { appliedAt, customer, plan, services, startDate } = application;
  const issues = [
    ...planIssues(plan),
    ...(startDate !== undefined && isInstant(appliedAt) ? notBeforeApplication(appliedAt, 'startDate', startDate) : []),
    ...phoneIssues(plan, services, customer.phone),
  ];
  return evaluate('application', catalog, { at: appliedAt, customer, plan, services, lineOccupied: line.occupied }, 'appliedAt', issues);
}

export function checkServicesChange(catalog: Catalog, contract: Contract, change: { requestedAt: string; services: Services } & ContactChange): Reason[] {
  const request = { at: change.requestedAt, customer: contract.customer, plan: contract.plan, services: change.services, lineOccupied: false, contract };
  const issues = [
    ...(isInstant(change.requestedAt)
      ? [
          ...notBeforeApplication(contract.appliedAt, 'requestedAt', jstDateOf(change.requestedAt)),
          ...notBeforeLastChange(contract, change.requestedAt),
          ...noPendingPlanChange(contract, jstDateOf(change.requestedAt)),
        ]
      : []),
    ...phoneIssues(contract.plan, change.services, change.customer?.phone ?? contract.customer.phone),
  ];
  return evaluate('change', catalog, request, 'requestedAt', issues);
}

/**
 * A plan change (docs/terms.md §7): PC1's effective date within the contract's life and
 * not before the request, the last plan change or the application; PC2/PC3 and R3–R6 on
 * the plan and services requested, judged on requestedAt; and a change that changes
 * something (interface §1.1: a change to exactly what the contract has is refused).
 */
export function checkPlanChange(
  catalog: Catalog,
  contract: Contract,
  change: { requestedAt: string; effectiveDate: LocalDate; plan: Plan; services: Services } & ContactChange,
): Reason[] {
  const request = { at: change.requestedAt, customer: contract.customer, plan: change.plan, services: change.services, lineOccupied: false, contract };
  const issues = [...planIssues(change.plan), ...phoneIssues(change.plan, change.services, change.customer?.phone ?? contract.customer.phone)];
  if (isInstant(change.requestedAt)) {
    const requestedOn = jstDateOf(change.requestedAt);
    issues.push(...notBeforeApplication(contract.appliedAt, 'requestedAt', requestedOn), ...notBeforeLastChange(contract, change.requestedAt));
    const effective = change.effectiveDate;
    const lastPlanChange = lastPlanChangeDate(contract);
    if (effective < requestedOn)
      issues.push({ path: 'effectiveDate', message: `適用日は申込日 (${dateJa(requestedOn)}、日本時間) 以降の日付を指定してください` });
    else if (effective < contract.startDate)
      issues.push({ path: 'effectiveDate', message: `適用日は利用開始日 (${dateJa(contract.startDate)}) 以降の日付を指定してください` });
    else if (lastPlanChange !== null && effective < lastPlanChange) {
      issues.push({ path: 'effectiveDate', message: `適用日は前回のプラン変更の適用日 (${dateJa(lastPlanChange)}) 以降の日付を指定してください` });
    }
    if (contract.cancellation && effective > contract.cancellation.effectiveDate && statusOn(contract, requestedOn) === 'live') {
      issues.push({
        path: 'effectiveDate',
        message: `契約は${dateJa(contract.cancellation.effectiveDate)}に解約されるため、それより後の適用日は指定できません`,
      });
    }
  }
  if (samePlan(contract.plan, change.plan) && sameServices(contract.services, change.services)) {
    issues.push({ path: 'plan', message: '契約は既にこのプランとサービスです。変更内容を指定してください' });
  }
  return evaluate('plan-change', catalog, request, 'requestedAt', issues);
}

/**
 * A one-off order (docs/terms.md §8): on a contract live on the day it is requested, for a
 * service date within the contract's life. The items, counts and volumes are the schema's.
 */
export function checkOneOffOrder(contract: Contract, order: { requestedAt: string; date: LocalDate }): Reason[] {
  const requestedOn = jstDateOf(order.requestedAt);
  const notLive = checkLiveOn(contract, requestedOn);
  if (notLive.length > 0) return notLive;
  const issues: FieldIssue[] = [...notBeforeApplication(contract.appliedAt, 'requestedAt', requestedOn)];
  if (order.date < contract.startDate)
    issues.push({ path: 'date', message: `実施日は利用開始日 (${dateJa(contract.startDate)}) 以降の日付を指定してください` });
  if (contract.cancellation && order.date > contract.cancellation.effectiveDate) {
    issues.push({ path: 'date', message: `実施日は解約日 (${dateJa(contract.cancellation.effectiveDate)}) 以前の日付を指定してください` });
  }
  return issues.length > 0 ? [invalidRequest(issues)] : [];
}

/** A services change while a plan change is still to take effect would be overwritten by its services (PC1: the request carries the complete set). */
function noPendingPlanChange(contract: Contract, requestedOn: LocalDate): FieldIssue[] {
  const pending = lastPlanChangeDate(contract);
  if (pending === null || pending <= requestedOn) return [];
  return [
    {
      path: 'services',
      message: `${dateJa(pending)}適用のプラン変更が予定されています。サービスの変更はプラン変更として申し込むか、適用日以降に申し込んでください`,
    },
  ];
}

const samePlan = (a: Plan, b: Plan): boolean => a.code === b.code && a.tier === b.tier;

/** A count of 0 means not contracted (interface §1.1): `{edrSecurity: {terminals: 0}}` is `{}`. */
function sameServices(a: Services, b: Services): boolean {
  const contracted = (services: Services) =>
    canonicalJson(
      Object.fromEntries(Object.entries(services).filter(([, value]) => value !== undefined && !Object.values(value as object).every((v) => v === 0))),
    );
  return contracted(a) === contracted(b);
}

/** A change needs a contract that is still live on the day it is requested. */
export function checkLiveOn(contract: Contract, date: LocalDate): Reason[] {
  return contract.cancellation && statusOn(contract, date) === 'cancelled' ? [contractCancelled(contract.contractId, contract.cancellation.effectiveDate)] : [];
}

/**
 * Nothing about a contract can predate the JST date its customer applied on: the rules
 * are judged at appliedAt (Decision A1), so an earlier start would put the contract in
 * force under terms they never judged, and an earlier change or cancellation would be
 * about a contract that did not exist yet (and would put its history out of time order).
 */
export function notBeforeApplication(appliedAt: string, path: string, date: LocalDate): FieldIssue[] {
  const appliedOn = jstDateOf(appliedAt);
  return date < appliedOn ? [{ path, message: `${dateJa(date)}は申込日 (${dateJa(appliedOn)}、日本時間) より前です。申込日以降の日付を指定してください` }] : [];
}

/**
 * Deliveries are unordered (interface §1): a services or plan change requested before the
 * last such change applied would undo that later request, whose set is the complete
 * desired one (interface §1.1), and put the history out of time order. It is refused, naming the
 * change that superseded it; a change at the same instant keeps the order of arrival.
 */
function notBeforeLastChange(contract: Contract, requestedAt: string): FieldIssue[] {
  const last = contract.history.filter((e) => e.type === 'ContractServicesChanged' || e.type === 'ContractPlanChanged').at(-1);
  if (!last || Date.parse(requestedAt) >= Date.parse(last.at)) return [];
  return [
    {
      path: 'requestedAt',
      message: `${instantJa(last.at)} (日本時間) に申し込まれた${last.type === 'ContractPlanChanged' ? 'プラン変更' : 'サービス変更'} (注文 ${last.orderId}) が適用済みで、${instantJa(requestedAt)} の申込はそれより前のため適用できません。希望するサービス一式を改めて申し込んでください`,
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
    return [invalidRequest([{ path: 'effectiveDate', message: '解約日は実在する日付を 2024-07-31 の形式で指定してください' }])];
  }
  const requestedOn = jstDateOf(request.requestedAt);
  const issues = [
    ...notBeforeApplication(contract.appliedAt, 'requestedAt', requestedOn),
    ...(request.effectiveDate < requestedOn
      ? [{ path: 'effectiveDate', message: `解約日は解約申込日 (${dateJa(requestedOn)}、日本時間) 以降の日付を指定してください` }]
      : []),
  ];
  return issues.length > 0 ? [invalidRequest(issues)] : [];
}
