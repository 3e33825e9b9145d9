import { z } from 'zod';
import { isInstant, isLocalDate, isYearMonth, LAST_YEAR } from '../domain/calendar';
import type { FieldIssue } from '../domain/errors';

/** Building blocks shared by the inbound, renewal and lookup schemas. */
export const instant = z.string().refine(isInstant, {
  error: `must be an instant with its UTC offset, e.g. 2024-05-01T10:00:00+09:00, in ${LAST_YEAR} (JST) at the latest`,
});
export const localDate = z.string().refine(isLocalDate, { error: `must be a real JST calendar date YYYY-MM-DD, in ${LAST_YEAR} at the latest` });
export const yearMonth = z.string().refine(isYearMonth, { error: `must be a billing month YYYY-MM, in ${LAST_YEAR} at the latest` });
export const identifier = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' });

/** Zod issues as interface §1.2's `fields`: dotted paths, one entry per unknown key. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: 'unknown field' }));
    }
    return [{ path: path || '(root)', message: issue.message }];
  });
}
