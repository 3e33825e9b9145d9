import { FIELD_LABELS, VALUE_LABELS } from '../../functions/domain/field-labels';

/**
 * What may stand in ASCII in a message the API sends (docs/interface.md §1.2, §3): the
 * stable names a message quotes (field paths, the values a request chooses from, codes),
 * the products' own names, and what ISO dates and instants look like (an example of a
 * format to send). Anything else of three letters or more is an English word come back.
 */
const PRODUCT_NAMES = ['EDR', 'Plus', 'elgana'];
const CODES = [
  'INVALID_REQUEST',
  'ORDER_ID_REUSED',
  'CORPORATE_ONLY',
  'PRIME_PLAN_CLOSED',
  'EDR_ENDPOINT_CONFLICT',
  'EDR_PRIME_CONFLICT',
  'PRODUCT_NOT_AVAILABLE',
  'LINE_ALREADY_CONTRACTED',
  'CONTRACT_NOT_FOUND',
  'CONTRACT_NOT_LIVE',
];
const QUOTABLE = new Set<string>([
  ...PRODUCT_NAMES,
  ...CODES,
  ...Object.keys(FIELD_LABELS).flatMap((path) => [path, ...path.split('.')]),
  ...Object.keys(VALUE_LABELS),
]);

/** A date, a month or an instant as the interface writes them (2024-05-10, 2024-05, 2024-05-01T10:00:00+09:00). */
const ISO = /\d{4}-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?/g;

/**
 * The English words of a message: every ASCII token with a run of three letters that is
 * none of the names above, nor one of `quoted` (ids the test itself chose). What a sender
 * wrote, quoted 「like this」 (an unknown key), is the sender's, not ours.
 */
export function englishWordsIn(message: string, quoted: readonly string[] = []): string[] {
  const allowed = new Set([...QUOTABLE, ...quoted]);
  const ours = message.replace(/「[^」]*」/g, '「」').replace(ISO, ' ');
  return (ours.match(/[A-Za-z0-9_.-]+/g) ?? [])
    .map((token) => token.replace(/^[.-]+|[.-]+$/g, ''))
    .filter((token) => /[A-Za-z]{3}/.test(token) && !allowed.has(token));
}

/** Japanese: at least one kana or kanji. */
export const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
