import {
  addDays,
  addMonths,
  daysInclusive,
  daysInMonth,
  earliest,
  firstDayOf,
  jstDateOf,
  lastDayOf,
  latest,
  monthOf,
  type LocalDate,
  type YearMonth,
} from '../calendar';
import { planOn, type Contract, type HistoryEntry, type Plan, type Services, type Tier } from '../contract';
import { FieldRefusal, NotChargeableError } from '../errors';
import { VALUE_LABELS } from '../field-labels';
import { dateJa, monthJa } from '../japanese';
import type { Catalog, MonthlyItem, TariffItem, TariffRevision } from '../tariff/catalog';
import { revisionForBillingMonth } from '../tariff/versioned-tariff';
import { billTotals, terminationFeeLine, type BillLine, type BillTotals } from './bill';
import { priceLine, type ChargeLine } from './charge-line';
import { prorate } from './proration';

export interface MonthlyCharges extends BillTotals {
  month: YearMonth;
  revision: string;
  revisionEffectiveFrom: LocalDate;
  /** Fees of 別紙12 that the month does not bear, and why (shown so that nobody adds them by hand). */
  exemptions: Exemption[];
}

export interface Exemption {
  item: TariffItem;
  reason: string;
  clause: string;
}

/**
 * The bill of one billing month (docs/terms.md §2, §4, §7, §8, T2): the monthly fees at the
 * revision in force on the 1st of the month (P2), with the services of the month (C2),
 * Prime Plus inclusions (B1), ※4, 別紙12 invoice fees, day proration in the start and
 * cancellation months (C1) and around a plan change (PC6); the one-off fees whose service
 * date falls in the month; the termination fee of a cancellation or a move out of Prime
 * Plus taking effect in it. Consumption tax once, on the bill (T2).
 */
export function monthlyCharges(catalog: Catalog, contract: Contract, month: YearMonth): MonthlyCharges {
  const revision = revisionForBillingMonth(catalog, month);
  const live = liveDaysIn(contract, month);
  const monthly = segmentsOf(contract, month, live).flatMap((segment) => {
    const days = daysInclusive(segment.from, segment.to);
    return monthlyFeeLines(revision, segment.plan, segment.services).map((line) => (days === live.daysInMonth ? line : prorated(line, days, live.daysInMonth)));
  });
  const invoice = invoiceFees(revision, contract, month);
  const lines: BillLine[] = [
    ...[...monthly, ...invoice.lines].map((line) => ({ ...line, kind: 'monthly' as const })),
    ...oneOffLines(contract, month),
    ...terminationFeeLines(contract, month),
  ];
  return { month, revision: revision.id, revisionEffectiveFrom: revision.effectiveFrom, ...billTotals(lines), exemptions: invoice.exemptions };
}

/**
 * Live days of the month: from the start date (or the 1st) to the cancellation's
 * effective date (or the month's last day), both counted (C1).
 */
function liveDaysIn(contract: Contract, month: YearMonth): { from: LocalDate; to: LocalDate; daysInMonth: number } {
  const start = contract.startDate;
  const end = contract.cancellation?.effectiveDate ?? null;
  if (end !== null && end < start) {
    throw new NotChargeableError(
      `契約 ${contract.contractId} は利用開始日 (${dateJa(start)}) より前の${dateJa(end)}に解約されたため、月額料金は発生しません。`,
    );
  }
  if (month < monthOf(start)) {
    throw new NotChargeableError(
      `${monthJa(month)}は契約 ${contract.contractId} の利用開始月 (${monthJa(monthOf(start))}) より前のため、月額料金はありません。${monthJa(monthOf(start))}以降の月を指定してください。`,
    );
  }
  if (end !== null && month > monthOf(end)) {
    throw new NotChargeableError(
      `${monthJa(month)}は契約 ${contract.contractId} の解約月 (${monthJa(monthOf(end))}) より後のため、月額料金はありません。${monthJa(monthOf(end))}以前の月を指定してください。`,
    );
  }
  const from = latest(start, firstDayOf(month));
  const to = end === null ? lastDayOf(month) : earliest(end, lastDayOf(month));
  return { from, to, daysInMonth: daysInMonth(month) };
}

interface Segment {
  from: LocalDate;
  to: LocalDate;
  plan: Plan;
  services: Services;
}

/**
 * PC6: the live days of the month split at each plan change taking effect inside them;
 * each part is charged on the plan in force on its first day, with its services.
 */
function segmentsOf(contract: Contract, month: YearMonth, live: { from: LocalDate; to: LocalDate }): Segment[] {
  const cuts = contract.history.flatMap((e) =>
    e.type === 'ContractPlanChanged' && e.effectiveDate && e.effectiveDate > live.from && e.effectiveDate <= live.to ? [e.effectiveDate] : [],
  );
  const starts = [live.from, ...new Set(cuts)].sort();
  return starts.map((from, i) => ({
    from,
    to: i + 1 < starts.length ? addDays(starts[i + 1], -1) : live.to,
    plan: planOn(contract, from),
    services: servicesOn(contract, month, from),
  }));
}

/**
 * Decision C2: the services of the last history entry on or before the month's last
 * day (JST), so a services change counts for the whole month in which it is made; a plan
 * change counts from its effective date (PC6). A billed month always has one: the
 * contract starts no earlier than its application, the first entry.
 */
export function servicesForMonth(contract: Contract, month: YearMonth): Services {
  return servicesOn(contract, month, lastDayOf(month));
}

function servicesOn(contract: Contract, month: YearMonth, date: LocalDate): Services {
  const last = lastDayOf(month);
  const counts = (entry: HistoryEntry) =>
    entry.type === 'ContractPlanChanged' && entry.effectiveDate ? entry.effectiveDate <= date : jstDateOf(entry.at) <= last;
  return contract.history.filter(counts).at(-1)?.services ?? contract.services;
}

/** §8: the one-off fees whose service date falls in the month, each line with its date and order. */
function oneOffLines(contract: Contract, month: YearMonth): BillLine[] {
  return (contract.oneOffFees ?? [])
    .filter((charge) => monthOf(charge.date) === month)
    .flatMap((charge) => charge.lines.map((line) => ({ ...line, kind: 'one-off' as const, date: charge.date, orderId: charge.orderId })));
}

/** T2, T3: the termination fee of a cancellation (L2) or a move out of Prime Plus (PC4) taking effect in the month. */
function terminationFeeLines(contract: Contract, month: YearMonth): BillLine[] {
  const lines: BillLine[] = [];
  for (const entry of contract.history) {
    if (
      entry.type === 'ContractPlanChanged' &&
      entry.terminationFee &&
      entry.effectiveDate &&
      monthOf(entry.effectiveDate) === month &&
      entry.terminationFee.amount > 0
    ) {
      lines.push(
        terminationFeeLine(entry.terminationFee, { date: entry.effectiveDate, orderId: entry.orderId ?? '' }, 'プライムPlusプラン途中解約金 (プラン変更)'),
      );
    }
  }
  const cancellation = contract.cancellation;
  if (cancellation && monthOf(cancellation.effectiveDate) === month && cancellation.terminationFee.amount > 0) {
    lines.push(terminationFeeLine(cancellation.terminationFee, { date: cancellation.effectiveDate, orderId: cancellation.orderId }, '解約金'));
  }
  return lines;
}

function monthlyFeeLines(revision: TariffRevision, plan: Plan, services: Services): ChargeLine[] {
  const endpoint = services.endpointSecurity?.terminals ?? 0;
  const edr = services.edrSecurity?.terminals ?? 0;
  const sandbox = services.cloudSandbox?.terminals ?? 0;
  const proxy = services.cloudProxy?.users ?? 0;
  const elgana = services.elgana?.ids ?? 0;
  const gateway = services.gatewaySecurity;
  const lines: ChargeLine[] = [];

  if (plan.code === 'prime-plus') {
    // ※11: basic fee ①, the gateway device and cloud sandbox are in the plan's price;
    // EDR, cloud proxy and elgana up to the included quantities (B1).
    const included = revision.rules.primePlusIncluded;
    lines.push(priceLine(revision, `primePlus.${tierOf(plan)}`, 1));
    lines.push(...excess(revision, 'endpointSecurity', endpoint, 0));
    lines.push(...excess(revision, 'edrSecurity', edr, included.edrTerminals));
    lines.push(...excess(revision, 'cloudProxy', proxy, included.cloudProxyUsers));
    lines.push(...excess(revision, 'elgana', elgana, included.elganaIds));
    return lines;
  }

  if (plan.code === 'prime') {
    // Lead's decision: the Prime price covers the gateway device (so no ※4 either),
    // and basic fee ① is charged on top because a device is installed.
    lines.push(priceLine(revision, `prime.${tierOf(plan)}`, 1));
    lines.push(priceLine(revision, 'basicFee.withGateway', 1));
  } else if (gateway) {
    lines.push(priceLine(revision, 'basicFee.withGateway', 1));
    lines.push(gatewayLine(revision, gateway.tier, gateway.failureSupport24h));
  } else if (endpoint > 0 || edr > 0 || proxy > 0) {
    // 別紙7 ※1: a site without a gateway device but with endpoint, EDR or cloud proxy.
    lines.push(priceLine(revision, 'basicFee.withoutGateway', 1));
  }
  lines.push(...excess(revision, 'endpointSecurity', endpoint, 0));
  lines.push(...excess(revision, 'edrSecurity', edr, 0));
  lines.push(...excess(revision, 'cloudSandbox', sandbox, 0));
  lines.push(...excess(revision, 'cloudProxy', proxy, 0));
  lines.push(...excess(revision, 'elgana', elgana, 0));
  return lines;
}

/**
 * ※4 as a reduced unit price rather than a negative line: the seed offers the device
 * "3,000円引にて", and a single non-negative line keeps proration and tax to one rounding.
 */
function gatewayLine(revision: TariffRevision, tier: Tier, failureSupport24h: boolean): ChargeLine {
  const full = priceLine(revision, `gatewaySecurity.${tier}`, 1);
  if (failureSupport24h) return full;
  const discount = revision.rules.gatewayWithout24hDiscount;
  const unitPrice = Math.max(0, full.unitPrice - discount.amount);
  return {
    ...full,
    label: `${full.label} − ${discount.label} ${full.unitPrice - unitPrice}円`,
    unitPrice,
    amount: unitPrice,
    discount: { perUnit: full.unitPrice - unitPrice, clause: discount.clause },
    ...(discount.placeholder ? { placeholder: true as const } : {}),
  };
}

/** A line for the quantity above what the plan includes (B1), none when nothing is left. */
function excess(revision: TariffRevision, item: MonthlyItem, quantity: number, included: number): ChargeLine[] {
  const charged = quantity - included;
  if (charged <= 0) return [];
  const base = priceLine(revision, item, charged);
  return included > 0 ? [{ ...base, includedQuantity: included }] : [base];
}

function prorated(full: ChargeLine, liveDays: number, days: number): ChargeLine {
  return {
    ...full,
    amount: prorate(full.amount, liveDays, days),
    prorated: { liveDays, daysInMonth: days, fullAmount: full.amount },
  };
}

/**
 * 別紙12 3: from the 2023-12-01 revision, an issuance fee per invoice or transfer
 * notice (invoice and account-transfer billing) and a collection fee per payment by
 * invoice; one bill a month. Per invoice, so never prorated.
 */
function invoiceFees(revision: TariffRevision, contract: Contract, month: YearMonth): { lines: ChargeLine[]; exemptions: Exemption[] } {
  const rules = revision.rules.invoiceFees;
  const method = contract.billing.method;
  const items: TariffItem[] = [];
  if (method === 'invoice' || method === 'account-transfer') items.push('invoice.issuance');
  if (method === 'invoice') items.push('invoice.collection');
  if (rules === null || items.length === 0) return { lines: [], exemptions: [] };

  const startMonth = monthOf(contract.startDate);
  const exemption =
    rules.exemptCorporations && contract.customer.kind === 'corporation'
      ? { reason: '契約者が法人のため対象外', clause: `${rules.clause}(3)ii` }
      : rules.exemptStartMonthAndNext && (month === startMonth || month === addMonths(startMonth, 1))
        ? { reason: '提供開始日を含む料金月及びその翌料金月のため対象外', clause: `${rules.clause}(1)` }
        : null;
  if (exemption) return { lines: [], exemptions: items.map((item) => ({ item, ...exemption })) };
  return { lines: items.map((item) => priceLine(revision, item, 1)), exemptions: [] };
}

function tierOf(plan: Plan): Tier {
  if (plan.tier === undefined) {
    const message = `${VALUE_LABELS[plan.code]}ではクライアント数区分 (10・50・100) の指定が必須です`;
    throw new FieldRefusal(message, [{ path: 'plan.tier', message }]);
  }
  return plan.tier;
}
