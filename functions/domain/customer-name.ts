import { FieldRefusal } from './errors';

/**
 * A customer's name as the name search compares it (interface §7.3, GET /customers?namePrefix=):
 * the name the order gave and the prefix customer service types are both normalised, and
 * the one must start the other. Pure: the store keys its name index (GSI6) with the same
 * function, so a name is found exactly when this says it should be.
 */

/** Any white space (U+3000 全角スペース included: NFKC makes it U+0020 anyway) and the zero-width space. */
const SPACES = /[\s\u200b]/gu;

/** NFKC (full-width Latin and digits to ASCII, half-width kana to full-width), lower case, no spaces. */
function folded(text: string): string {
  // NFKC again after lower-casing: a lower-case letter may decompose (İ → i̇).
  return text.normalize('NFKC').toLowerCase().normalize('NFKC').replace(SPACES, '');
}

/** The legal forms a name is searched without, wherever they stand (as written; compared after NFKC). */
export const LEGAL_FORMS = ['株式会社', '有限会社', '合同会社', '合名会社', '合資会社', '一般社団法人', '一般財団法人', '(株)', '㈱', '(有)'] as const;

/**
 * The forms as they read after NFKC, case and spaces: （株） and ㈱ both read (株), ㍿ reads
 * 株式会社. Longest first, so that no form is cut out of a longer one before it is removed whole.
 */
const FORMS = [...new Set(LEGAL_FORMS.map(folded))].sort((a, b) => b.length - a.length);

/**
 * The name as the search compares it: folded (NFKC, lower case, no white space), then
 * without any legal form, wherever it stands, until none is left (株式株式会社会社 leaves
 * nothing either). A name that is only a legal form normalises to ''.
 */
export function normaliseCustomerName(name: string): string {
  let text = folded(name);
  for (;;) {
    const next = FORMS.reduce((rest, form) => rest.replaceAll(form, ''), text);
    if (next === text) return text;
    text = next;
  }
}

/** Characters as the search counts them: code points, so that a surrogate pair is one character and never cut in two. */
export function characters(text: string): string[] {
  return Array.from(text);
}

/**
 * A name prefix's bounds, in characters after normalising: at least 2 (the name index is
 * partitioned by a name's first 2 characters, so a shorter prefix names no one partition),
 * at most 100 (400 bytes of UTF-8 at most, well inside a sort key).
 */
export const NAME_PREFIX = { min: 2, max: 100 } as const;

/** The first characters of a normalised name that partition the name index: a prefix of them all. */
export function namePartitionOf(normalised: string): string | null {
  const chars = characters(normalised);
  return chars.length >= NAME_PREFIX.min ? chars.slice(0, NAME_PREFIX.min).join('') : null;
}

/** The prefix a search asks for, normalised; refused (FieldRefusal, `namePrefix`) when shorter or longer than NAME_PREFIX allows. */
export function namePrefixOf(raw: string): string {
  const prefix = normaliseCustomerName(raw);
  const length = characters(prefix).length;
  if (length < NAME_PREFIX.min || length > NAME_PREFIX.max) {
    const message = `スペースと法人格 (株式会社、(株) など) を除いて${NAME_PREFIX.min}文字以上${NAME_PREFIX.max}文字以内で指定してください (除くと${length}文字です)。`;
    throw new FieldRefusal(`顧客名の検索条件は${message}`, [{ path: 'namePrefix', message }]);
  }
  return prefix;
}
