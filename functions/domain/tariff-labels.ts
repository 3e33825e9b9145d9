/**
 * What a person reads of the tariff (GET /tariff, docs/interface.md §3) beside its codes:
 * the Japanese names of the units, and the note a placeholder price's label ends with.
 * A price's `unit` is a code, like its item and the values a request chooses from: it
 * stays as it is, and its name is here (1台・月あたり 19,000円).
 *
 * No imports: the console may bundle this module as it is.
 */

/** Unit code → label: what one unit of the price is (拠点・月: one site for one month). */
export const UNIT_LABELS: Readonly<Record<string, string>> = {
  'site/month': '拠点・月',
  'device/month': '台・月',
  'terminal/month': '端末・月',
  'user/month': '名・月',
  'ID/month': 'ID・月',
  mail: '通',
  visit: '回',
  device: '台',
  '4.7GB/device': '台 (4.7GBまで)',
  '4TB/device': '台 (4TBまで)',
  'TB/device': '台 (4TB超の1TBごと)',
  invoice: '通',
  payment: '回',
};

/** The Japanese name of a unit; a code without one (a newer catalog's) as it is. */
export function unitLabel(unit: string): string {
  return Object.hasOwn(UNIT_LABELS, unit) ? UNIT_LABELS[unit] : unit;
}

/** The note a placeholder price's label ends with (Decision P1); an operator's amount drops it, the console shows 仮 instead. */
export const PLACEHOLDER_NOTE = '(仮: 利用規約に金額の記載なし。運用者が設定)';

/** The English note of the labels written before 2026-12, which invoices already issued keep. */
const OLD_PLACEHOLDER_NOTE = /\s*\(placeholder:[^()]*\)$/;

/** A label without its placeholder note: クラウドプロキシ利用料 (仮: …) → クラウドプロキシ利用料. */
export function withoutPlaceholderNote(label: string): string {
  const bare = label.endsWith(PLACEHOLDER_NOTE) ? label.slice(0, -PLACEHOLDER_NOTE.length) : label.replace(OLD_PLACEHOLDER_NOTE, '');
  return bare === label ? label : bare.trimEnd();
}
