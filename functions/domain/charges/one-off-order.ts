import type { LocalDate } from '../calendar';
import { planOn, plansUntil, primePlusSince, type Contract, type ChargedOneOffFee, type PlanCode } from '../contract';
import type { Catalog } from '../tariff/catalog';
import { revisionInForceOn } from '../tariff/versioned-tariff';
import { initialTerm, termContaining } from '../term/prime-plus-term';
import { sumOf } from './charge-line';
import { dataMigrationFee, mailTrainingFee, visitSupportFee, type OneOffFee, type VisitItem } from './one-off-fees';

/** The 別紙8 item names of interface §1.1, each the catalog's `visit.<name>`. */
export const VISIT_ITEM_NAMES = [
  'basicWork',
  'statusDiagnosis',
  'osRecovery',
  'osUpdate',
  'internetSetup',
  'wifiSetup',
  'applicationSetup',
  'gatewayInstallation',
  'routerInstallation.basic',
  'routerInstallation.highEnd',
] as const;
export type VisitItemName = (typeof VISIT_ITEM_NAMES)[number];

/** What OneOffServiceOrdered asks for (interface §1.1): at least one of the three parts. */
export interface OneOffOrder {
  date: LocalDate;
  visitSupport?: { items: Array<{ item: VisitItemName; quantity: number }> };
  dataMigration?: { devices: Array<{ volumeGB: number }> };
  mailTraining?: { mails: number };
}

/**
 * The fee of a one-off order on this contract (docs/terms.md §8), priced by the revision in
 * force on the service date (P2), with what the contract's past decides: whether ※1's
 * first installation is still to come (V1), whether ※7's first-time mails or the Prime Plus
 * term's allowance still apply (V2), all read from the plan in force on that date.
 */
export function oneOffFeeFor(catalog: Catalog, contract: Contract, order: OneOffOrder): OneOffFee {
  const past = contract.oneOffFees ?? [];
  const plan = planOn(contract, order.date).code;
  const parts: OneOffFee[] = [];
  if (order.visitSupport) {
    const items = order.visitSupport.items.map(({ item, quantity }) => ({ item: `visit.${item}` as VisitItem, quantity }));
    const firstInstallation =
      items.some(({ item }) => INSTALLATION_ITEMS.includes(item)) && !past.some((charge) => usedInstallationWaiver(catalog, contract, charge));
    parts.push(visitSupportFee(catalog, { date: order.date, plan, firstInstallation, items }));
  }
  if (order.dataMigration) parts.push(dataMigrationFee(catalog, { date: order.date, devices: order.dataMigration.devices }));
  if (order.mailTraining) {
    const firstTimeUser = !past.some((charge) => hasItem(charge, 'mailTraining.')) && plansUntil(contract, order.date).every((p) => p.code === 'none');
    const includedMailsUsedThisTerm = plan === 'prime-plus' ? includedMailsUsedInTermOf(contract, order.date) : undefined;
    parts.push(mailTrainingFee(catalog, { date: order.date, plan, mails: order.mailTraining.mails, firstTimeUser, includedMailsUsedThisTerm }));
  }
  const first = parts[0];
  if (!first) throw new RangeError('a one-off order needs at least one of visitSupport, dataMigration, mailTraining');
  const lines = parts.flatMap((part) => part.lines);
  return { date: order.date, revision: first.revision, revisionEffectiveFrom: first.revisionEffectiveFrom, lines, subtotal: sumOf(lines) };
}

/** Decision V1: the installation items of 別紙8 that make a visit the "first installation" of ※1. */
const INSTALLATION_ITEMS: readonly string[] = ['visit.gatewayInstallation', 'visit.routerInstallation.basic', 'visit.routerInstallation.highEnd'];

/**
 * Decision V1 (※1 初回設置時に限り): the waiver goes to the first visit-support order that
 * contains an installation item and is performed while on a plan ※1 names (Prime, and from
 * 2023-12-01 Prime Plus). A visit without one, or made on another plan, leaves it for later.
 */
function usedInstallationWaiver(catalog: Catalog, contract: Contract, charge: ChargedOneOffFee): boolean {
  const plans: readonly PlanCode[] = revisionInForceOn(catalog, charge.date).rules.firstInstallationFree.plans;
  return charge.lines.some((line) => INSTALLATION_ITEMS.includes(line.item)) && plans.includes(planOn(contract, charge.date).code);
}

function hasItem(charge: ChargedOneOffFee, prefix: string): boolean {
  return charge.lines.some((line) => line.item.startsWith(prefix));
}

/** V2: the Prime Plus mails already covered in the term that contains `date` (※11: 10 per term). */
function includedMailsUsedInTermOf(contract: Contract, date: LocalDate): number {
  const term = termContaining(initialTerm(primePlusSince(contract)), date);
  return (contract.oneOffFees ?? [])
    .filter((charge) => charge.date >= term.start && charge.date <= term.end)
    .flatMap((charge) => charge.lines)
    .filter((line) => line.item === 'mailTraining.perMail')
    .reduce((used, line) => used + (line.includedQuantity ?? 0), 0);
}
