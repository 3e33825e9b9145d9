/**
 * How customer service reads dates and money (docs/interface.md §6, §7.5): 2024年5月10日,
 * 19,000円, 2024年4月1日改定. Strings in, strings out: the API sends JST dates as
 * YYYY-MM-DD and integer yen, so no Date (and no host time zone) is involved, except for
 * instants, read in JST whatever their offset.
 */
export function dateJa(date: string | null | undefined): string {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(date ?? '');
  if (!match) return date ?? '—';
  const [, y, m, d] = match;
  return d ? `${Number(y)}年${Number(m)}月${Number(d)}日` : `${Number(y)}年${Number(m)}月`;
}

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const two = (n: number) => String(n).padStart(2, '0');

/** An instant with any offset (2024-05-01T10:00:00+09:00, 2024-05-01T01:00:00Z), in JST: 2024年5月1日 10:00. */
export function instantJa(instant: string | null | undefined): string {
  if (!instant) return '—';
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  const jst = new Date(ms + JST_OFFSET_MS);
  return `${jst.getUTCFullYear()}年${jst.getUTCMonth() + 1}月${jst.getUTCDate()}日 ${two(jst.getUTCHours())}:${two(jst.getUTCMinutes())}`;
}

export function yen(amount: number): string {
  return `${amount.toLocaleString('ja-JP')}円`;
}

/** 10% consumption tax on one price, for reference beside it (the bill taxes its total once, T2). */
export function withTax(amount: number, ratePercent = 10): number {
  return amount + Math.floor((amount * ratePercent) / 100);
}

/** A tariff revision by its id: 2024-04-01 → 2024年4月1日改定; the seed's first column by what it is. */
export function revisionJa(revision: string | null | undefined, effectiveFrom?: string): string {
  if (!revision) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(revision)) return `${dateJa(revision)}改定`;
  if (revision === 'baseline') return '2023年11月30日までの料金 (規約変更前)';
  return effectiveFrom ? `${dateJa(effectiveFrom)}改定` : '料金表';
}

/** The month before the 1st of a month: what the billing run of a schedule time closes. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - 1;
  return `${Math.floor(index / 12)}-${two((index % 12) + 1)}`;
}

/** Today's JST date, YYYY-MM-DD. */
export function today(): string {
  const jst = new Date(Date.now() + JST_OFFSET_MS);
  return `${jst.getUTCFullYear()}-${two(jst.getUTCMonth() + 1)}-${two(jst.getUTCDate())}`;
}

/** Today's JST month, YYYY-MM. */
export function thisMonth(): string {
  const jst = new Date(Date.now() + JST_OFFSET_MS);
  return `${jst.getUTCFullYear()}-${two(jst.getUTCMonth() + 1)}`;
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;

/** Whether a text reads as Japanese (kana or kanji): an API message without is not shown to staff as it is. */
export function isJapanese(text: string | null | undefined): boolean {
  return JAPANESE.test(text ?? '');
}

const ROMAN: Record<string, string> = { i: 'ⅰ', ii: 'ⅱ', iii: 'ⅲ', iv: 'ⅳ', v: 'ⅴ', vi: 'ⅵ', vii: 'ⅶ', viii: 'ⅷ', ix: 'ⅸ', x: 'ⅹ' };

/** The documents the clauses cite, by their Japanese names. */
const DOCUMENTS: Array<[RegExp, string]> = [
  [/\binterface\.md\b/g, 'インタフェース仕様'],
  [/\brules\.md\b/g, '業務ルール'],
  [/\bterms\.md\b/g, '業務ルール'],
];

/**
 * A text the API wrote (a history entry, a reason, an error, a clause), as staff read it:
 * its ISO dates, months and instants in Japanese, the documents it cites by name, and an
 * English gloss in brackets (法人 (corporation)) left out. IDs (ORD-2024-000123) are kept:
 * a date is only taken where it stands alone.
 */
export function jaText(text: string | null | undefined): string {
  if (!text) return '';
  let out = text
    .replace(/(?<![\w-])(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))(?![\w-])/g, (m) => instantJa(m))
    .replace(/(?<![\w-])(\d{4}-\d{2}(?:-\d{2})?)(?![\w-]|\d)/g, (m) => dateJa(m));
  for (const [pattern, name] of DOCUMENTS) out = out.replace(pattern, name);
  // A clause's item in small Roman numerals, as the terms print them: 別紙12 3(3)ii → 3(3)ⅱ.
  out = out.replace(/(?<=[\d)）])(iii|ii|iv|ix|vi{0,3}|i|x)(?![A-Za-z])/g, (m) => ROMAN[m] ?? m);
  if (isJapanese(out)) out = out.replace(/\s*[(（][A-Za-z][A-Za-z0-9 .,:'_-]*[)）]/g, '');
  return out;
}

/** Text typed into a date or month field, NFKC'd (全角 digits and ／ to ASCII) and without spaces. */
function folded(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

const ERAS: Record<string, number> = { 令和: 2018, 平成: 1988 };

/** 令和6年 → 2024年: the year of a Japanese era date as the Western year. */
function westernYear(text: string): string {
  return text.replace(/^(令和|平成)(元|\d{1,2})年/, (_, era: string, year: string) => `${(ERAS[era] ?? 0) + (year === '元' ? 1 : Number(year))}年`);
}

export type Parsed = { value: string } | { error: string };

function validDay(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * A date as staff type it: 2024-05-10, 2024/5/10, 2024.5.10, 20240510, 2024年5月10日,
 * 令和6年5月10日, in 全角 or 半角; '' (empty) is today. YYYY-MM-DD for the API, or why not.
 */
export function parseDate(input: string): Parsed {
  const text = westernYear(folded(input));
  if (text === '') return { value: '' };
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return { error: `「${input.trim()}」は日付として読めません。2024年5月10日 または 2024/05/10 のように入力してください。` };
  const [y, m, d] = match.slice(1).map(Number) as [number, number, number];
  if (!validDay(y, m, d)) return { error: `${y}年${m}月${d}日という日付はありません。日付を確認してください。` };
  return { value: `${y}-${two(m)}-${two(d)}` };
}

/** A month as staff type it: 2024-05, 2024/5, 202405, 2024年5月, 令和6年5月, or a date in it; '' is this month. */
export function parseMonth(input: string): Parsed {
  const text = westernYear(folded(input));
  if (text === '') return { value: '' };
  const match = /^(\d{4})[-/.](\d{1,2})$/.exec(text) ?? /^(\d{4})年(\d{1,2})月?$/.exec(text) ?? /^(\d{4})(\d{2})$/.exec(text);
  if (match) {
    const [y, m] = match.slice(1).map(Number) as [number, number];
    if (m < 1 || m > 12) return { error: `${m}月という月はありません。1月から12月で入力してください。` };
    return { value: `${y}-${two(m)}` };
  }
  const date = parseDate(input);
  if ('value' in date) return { value: date.value.slice(0, 7) };
  return { error: `「${input.trim()}」は年月として読めません。2024年5月 または 2024/05 のように入力してください。` };
}
