import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { isInstant, isLocalDate, isYearMonth, LAST_YEAR, type LocalDate, type YearMonth } from '../domain/calendar';
import type { FieldIssue } from '../domain/errors';

// zod/mini, not classic zod: the same checks and messages for a fraction of the cold
// start (README, figure 4). It ships no messages of its own; these are classic zod's
// English ones, for the failures the schemas leave to zod (an unknown enum value, say).
z.config(en());

/** What a handler parses with: any schema of this folder, whose output is T. */
export type Schema<T> = z.ZodMiniType<T, unknown>;

/** Building blocks shared by the inbound, renewal and lookup schemas. */
export const instant = z
  .string()
  .check(z.refine(isInstant, { error: `must be an instant with its UTC offset, e.g. 2024-05-01T10:00:00+09:00, in ${LAST_YEAR} (JST) at the latest` }));
// Checked strings come out typed: only these schemas and the calendar's guards make a LocalDate or a YearMonth of input.
export const localDate = z.pipe(
  z.string().check(z.refine(isLocalDate, { error: `must be a real JST calendar date YYYY-MM-DD, in ${LAST_YEAR} at the latest` })),
  z.transform((value) => value as LocalDate),
);
export const yearMonth = z.pipe(
  z.string().check(z.refine(isYearMonth, { error: `must be a billing month YYYY-MM, in ${LAST_YEAR} at the latest` })),
  z.transform((value) => value as YearMonth),
);
/** docs/terms.md K2: the longest text each kind of field may hold. */
export const MAX_LENGTH = { id: 64, name: 200, phone: 32 } as const;

const text = (max: number) =>
  z.string().check(z.minLength(1, { error: 'must not be empty' }), z.maxLength(max, { error: `must be at most ${max} characters` }));
export const identifier = text(MAX_LENGTH.id);
export const customerName = text(MAX_LENGTH.name);
export const phone = z.string().check(z.maxLength(MAX_LENGTH.phone, { error: `must be at most ${MAX_LENGTH.phone} characters` }));

/**
 * An orderId long enough to refuse, yet short enough to carry in the refusal: up to this
 * length an order gets its outcome (INVALID_REQUEST on orderId when over K2's 64);
 * beyond it, the event is unreadable and dead-lettered.
 */
export const readableOrderId = text(1024);

/** Zod issues as interface §1.2's `fields`: dotted paths, one entry per unknown key. */
export function fieldIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: 'unknown field' }));
    }
    return [{ path: path || '(root)', message: issue.message }];
  });
}
