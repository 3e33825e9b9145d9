import * as z from 'zod/mini';
import { LONE_SURROGATES } from './field-issues';
import { isInstant, isLocalDate, isYearMonth, LAST_YEAR, type LocalDate, type YearMonth } from '../domain/calendar';

/**
 * Building blocks shared by the inbound, renewal and lookup schemas. Each is built in
 * every bundle that imports this module, so what one order's schema alone uses lives with
 * that schema (orders/). A check zod cannot word (a refinement) says in Japanese what to
 * send; the rest (lengths, ranges, types) are worded once by ./japanese-issues.ts.
 */
export const instant = z.string().check(
  z.refine(isInstant, {
    error: `日時は時差 (タイムゾーン) 付きで指定してください (例 2024-05-01T10:00:00+09:00)。${LAST_YEAR}年 (日本時間) までの日時に限ります`,
  }),
);
// Checked strings come out typed: only these schemas and the calendar's guards make a LocalDate or a YearMonth of input.
export const localDate = z.pipe(
  z.string().check(z.refine(isLocalDate, { error: `実在する日付を 2024-05-10 の形式で指定してください (${LAST_YEAR}年まで)` })),
  z.transform((value) => value as LocalDate),
);
export const yearMonth = z.pipe(
  z.string().check(z.refine(isYearMonth, { error: `年月を 2024-05 の形式で指定してください (${LAST_YEAR}年まで)` })),
  z.transform((value) => value as YearMonth),
);
/** docs/terms.md K2: the longest text each kind of field may hold. */
export const MAX_LENGTH = { id: 64, name: 200, phone: 32 } as const;

/**
 * docs/terms.md K2: DynamoDB holds strings as UTF-8, which has no encoding for a lone
 * surrogate (JSON's `\ud800`); such text is refused here rather than failing its write.
 */
export const wellFormed = z.refine<string>((value) => value.search(LONE_SURROGATES) === -1, {
  error: '文字化けした文字 (対になっていないサロゲート) が含まれています。正しい文字で指定してください',
});

export const text = (max: number) => z.string().check(wellFormed, z.minLength(1), z.maxLength(max));

/**
 * DynamoDB counts a key in bytes of UTF-8: 2,048 for a partition key, 1,024 for a sort key.
 * Every id ends up in a key behind a prefix of the store's (`ORDER#`, `CUSTOMER#`,
 * `<startDate>#`), for which KEY_PREFIX_BYTES leaves room: an id (contract, line, customer)
 * may be part of a sort key, an orderId only of a partition key. A character counts 1 to 3
 * bytes (a surrogate pair 4 for its 2), so a length alone does not keep a key within them.
 */
const KEY_BYTES = { partition: 2048, sort: 1024 } as const;
const KEY_PREFIX_BYTES = 64;
export const MAX_BYTES = { id: KEY_BYTES.sort - KEY_PREFIX_BYTES, orderId: KEY_BYTES.partition - KEY_PREFIX_BYTES } as const;

export const maxBytes = (max: number) =>
  z.refine<string>((value) => Buffer.byteLength(value, 'utf8') <= max, { error: `長すぎます。文字コード換算で${max}バイト以内にしてください` });

/** At 64 characters an id holds at most 192 bytes: its byte limit binds only should MAX_LENGTH.id grow. */
export const identifier = text(MAX_LENGTH.id).check(maxBytes(MAX_BYTES.id));

/**
 * docs/terms.md K2: the largest count an order may state (terminals, users, ids,
 * quantities, mails) and the largest volume migrated per device. Far above any real
 * order, and low enough that every amount of a bill stays an exact whole number of yen.
 */
export const MAX_COUNT = 100_000;
export const MAX_VOLUME_GB = 1_000_000;

export const wholeNumber = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));

/**
 * An orderId long enough to refuse, yet short enough to carry in the refusal and to key
 * its order item: up to this length and MAX_BYTES.orderId an order gets its outcome
 * (INVALID_REQUEST on orderId when over K2's 64); beyond either, the event is unreadable
 * and dead-lettered.
 */
export const readableOrderId = text(1024).check(maxBytes(MAX_BYTES.orderId));
