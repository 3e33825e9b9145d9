/**
 * How customer service reads dates and money (docs/interface.md §6): 2024年5月10日, 19,000円.
 * Strings in, strings out: the API sends JST dates as YYYY-MM-DD and integer yen, so no
 * Date (and no host time zone) is involved.
 */
export function dateJa(date: string | null | undefined): string {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(date ?? '');
  if (!match) return date ?? '—';
  const [, y, m, d] = match;
  return d ? `${Number(y)}年${Number(m)}月${Number(d)}日` : `${Number(y)}年${Number(m)}月`;
}

/** An instant with its offset, as the API sends it (2024-05-01T10:00:00+09:00), shown in JST as written. */
export function instantJa(instant: string | null | undefined): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(instant ?? '');
  return match ? `${dateJa(match[1])} ${match[2]}:${match[3]}` : (instant ?? '—');
}

export function yen(amount: number): string {
  return `${amount.toLocaleString('ja-JP')}円`;
}

export const PLAN_NAMES: Record<string, string> = { none: 'パッケージプランなし', prime: 'プライムプラン', 'prime-plus': 'プライムPlusプラン' };

export function planJa(plan: { code: string; tier?: number } | null | undefined): string {
  if (!plan) return '—';
  const name = PLAN_NAMES[plan.code] ?? plan.code;
  return plan.tier ? `${name} (${plan.tier}クライアント向け)` : name;
}
