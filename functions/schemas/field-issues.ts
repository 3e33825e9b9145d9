import * as z from 'zod/mini';
import type { FieldIssue } from '../domain/errors';
import { japaneseIssue } from './japanese-issues';

// zod/mini, not classic zod: the same checks and messages for a fraction of the cold
// start (bench/README.md, figure 4). It ships no messages of its own; these are Japanese
// ones (./japanese-issues.ts), for the failures the schemas leave to zod (an unknown enum
// value, say), as customer service reads them. Set here, where every refusal's fields are read.
z.config({ localeError: japaneseIssue });

// With the u flag a surrogate pair is one code point, so only a lone surrogate matches.
export const LONE_SURROGATES = /[\uD800-\uDFFF]/gu;

/** What a handler parses with: any schema of this folder, whose output is T. */
export type Schema<T> = z.ZodMiniType<T, unknown>;

/** What a refusal says of a key the schema does not know (a misspelling, a field of another order). */
export const UNKNOWN_FIELD = '指定できない項目です';

/** Zod issues as interface §1.2's `fields`: dotted paths, one entry per unknown key. */
export function fieldIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map((key) => shownKey(String(key))).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: path ? `${path}.${shownKey(key)}` : shownKey(key), message: UNKNOWN_FIELD }));
    }
    return [{ path: path || '(root)', message: issue.message }];
  });
}

/** docs/terms.md K2: the most of a key that a refusal repeats. */
export const MAX_KEY_SHOWN = 64;

/**
 * A key as a refusal names it. The sender chose it, so it is cut to MAX_KEY_SHOWN (an
 * unknown key of 200 KB would otherwise make a refusal too large to store or publish),
 * and a lone surrogate, which DynamoDB's UTF-8 cannot hold, becomes U+FFFD.
 */
function shownKey(key: string): string {
  const cut = key.length > MAX_KEY_SHOWN ? `${key.slice(0, MAX_KEY_SHOWN)}… (${key.length}文字)` : key;
  return cut.replace(LONE_SURROGATES, '\uFFFD');
}
