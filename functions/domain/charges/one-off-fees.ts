import type { LocalDate } from '../calendar';
import { dateJa } from '../japanese';
import type { PlanCode } from '../contract';
import { FieldRefusal, type FieldIssue } from '../errors';
import type { Catalog, OneOffItem, TariffRevision } from '../tariff/catalog';
import { revisionInForceOn } from '../tariff/versioned-tariff';
import { priceLine, sumOf, type ChargeLine } from './charge-line';

/** A one-off fee priced by the revision in force on the day it arises (Decision P2); tax-exclusive, taxed with its month's bill (T2). */
export interface OneOffFee {
  date: LocalDate;
  revision: string;
  revisionEffectiveFrom: LocalDate;
  lines: ChargeLine[];
  subtotal: number;
}

export type VisitItem = Extract<OneOffItem, `visit.${string}`>;

/**
 * Visit support (別紙8). ※1: on the first installation only (`firstInstallation`: this order
 * is it, Decision V1), the marked items are 0 yen
 * for the plans the revision names (until 2023-11-30 Prime and the rental router
 * installation; from 2023-12-01 Prime and Prime Plus, and also basic work, status
 * diagnosis and gateway installation). The waived price stays on the line.
 */
export function visitSupportFee(
  catalog: Catalog,
  order: { date: LocalDate; plan: PlanCode; firstInstallation: boolean; items: Array<{ item: VisitItem; quantity: number }> },
): OneOffFee {
  const revision = revisionInForceOn(catalog, order.date);
  const issues: FieldIssue[] = [];
  if (order.items.length === 0) issues.push({ path: 'items', message: '作業項目を1件以上指定してください' });
  order.items.forEach(({ item, quantity }, i) => {
    if (!item.startsWith('visit.') || !revision.prices[item]) {
      issues.push({ path: `items[${i}].item`, message: `${dateJa(revision.effectiveFrom)}改定の料金表にある出張サポートの作業項目ではありません` });
    }
    checkCount(issues, `items[${i}].quantity`, quantity, 1);
  });
  reject(issues);

  const free = revision.rules.firstInstallationFree;
  const waives = order.firstInstallation && (free.plans as PlanCode[]).includes(order.plan);
  const lines = order.items.map(({ item, quantity }): ChargeLine => {
    const line = priceLine(revision, item, quantity);
    if (!waives || !free.items.includes(item)) return line;
    return { ...line, unitPrice: 0, amount: 0, waived: { unitPrice: line.unitPrice, clause: free.clause } };
  });
  return fee(order.date, revision, lines);
}

// Storage is sold in decimal units (docs/terms.md V3): 1 TB = 1,000 GB; volumes are
// counted in MB (thousandths of a GB, the finest V3 allows) so that no float decides a boundary.
const MB_PER_GB = 1_000;
const MB_4_7GB = 4_700;
const MB_PER_TB = 1_000_000;
const MB_4TB = 4 * MB_PER_TB;

/** What a refusal says of a volume megabytesOf does not take. */
export const VOLUME_GB_RULE = '0より大きく、小数点以下3桁までの数値 (GB) で指定してください';

/** Decision V3: a volume in GB with at most 3 decimals, as a whole number of MB; null if it is not one. */
export function megabytesOf(volumeGB: number): number | null {
  if (!Number.isFinite(volumeGB) || volumeGB <= 0 || Number(volumeGB.toFixed(3)) !== volumeGB) return null;
  return Math.round(volumeGB * MB_PER_GB);
}

/**
 * Data migration (別紙9, as in 別紙8; Decision V3), per device by the volume it migrates,
 * in GB with up to 3 decimals: up to 4.7 GB the 4.7 GB price; up to 4 TB the 4 TB price;
 * above, the 4 TB price plus the extra-TB price for every started terabyte beyond 4 TB.
 */
export function dataMigrationFee(catalog: Catalog, order: { date: LocalDate; devices: Array<{ volumeGB: number }> }): OneOffFee {
  const revision = revisionInForceOn(catalog, order.date);
  const issues: FieldIssue[] = [];
  if (order.devices.length === 0) issues.push({ path: 'devices', message: '機器を1台以上指定してください' });
  const volumes = order.devices.map(({ volumeGB }, i) => {
    const megabytes = megabytesOf(volumeGB);
    if (megabytes === null) issues.push({ path: `devices[${i}].volumeGB`, message: VOLUME_GB_RULE });
    return megabytes ?? 0;
  });
  reject(issues);

  let small = 0;
  let large = 0;
  let extraTB = 0;
  for (const megabytes of volumes) {
    if (megabytes <= MB_4_7GB) small += 1;
    else {
      large += 1;
      extraTB += Math.ceil(Math.max(0, megabytes - MB_4TB) / MB_PER_TB);
    }
  }
  const lines = (
    [
      ['dataMigration.per4_7GB', small],
      ['dataMigration.per4TB', large],
      ['dataMigration.perExtraTB', extraTB],
    ] as const
  )
    .filter(([, quantity]) => quantity > 0)
    .map(([item, quantity]) => priceLine(revision, item, quantity));
  return fee(order.date, revision, lines);
}

/**
 * Targeted-attack mail training, per mail (Decision V2). ※7: a first-time user gets the
 * first mails free, but not once on Prime or Prime Plus. Prime Plus includes mails per
 * term (※11 10通/年, B1): the caller says how many of this term's were already used, and
 * only the mails beyond the allowance are charged.
 */
export function mailTrainingFee(
  catalog: Catalog,
  order: { date: LocalDate; plan: PlanCode; mails: number; firstTimeUser: boolean; includedMailsUsedThisTerm?: number },
): OneOffFee {
  const revision = revisionInForceOn(catalog, order.date);
  const issues: FieldIssue[] = [];
  checkCount(issues, 'mails', order.mails, 1);
  if (order.plan === 'prime-plus') {
    checkCount(issues, 'includedMailsUsedThisTerm', order.includedMailsUsedThisTerm, 0);
  }
  reject(issues);

  const free =
    order.plan === 'prime-plus'
      ? Math.max(0, revision.rules.primePlusIncluded.mailTrainingMailsPerYear - (order.includedMailsUsedThisTerm ?? 0))
      : order.plan === 'none' && order.firstTimeUser
        ? revision.rules.mailTrainingFirstTimeFreeMails
        : 0;
  const covered = Math.min(free, order.mails);
  // The line stays even when every mail is free, so that the bill shows why it is 0.
  const line = priceLine(revision, 'mailTraining.perMail', order.mails - covered);
  return fee(order.date, revision, [covered > 0 ? { ...line, includedQuantity: covered } : line]);
}

function fee(date: LocalDate, revision: TariffRevision, lines: ChargeLine[]): OneOffFee {
  return { date, revision: revision.id, revisionEffectiveFrom: revision.effectiveFrom, lines, subtotal: sumOf(lines) };
}

function checkCount(issues: FieldIssue[], path: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    issues.push({ path, message: `${min}以上の整数で指定してください` });
  }
}

function reject(issues: FieldIssue[]): void {
  if (issues.length > 0) throw new FieldRefusal('単発サービスの注文内容に誤りがあります', issues);
}
