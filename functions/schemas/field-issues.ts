import { en } from 'zod/locales';
import * as z from 'zod/mini';
import type { FieldIssue } from '../domain/errors';

// zod/mini, not classic zod: the same checks and messages for a fraction of the cold
// start (README, figure 4). It ships no messages of its own; these are classic zod's
// English ones, for the failures the schemas leave to zod (an unknown enum value, say).
// Set here, where every refusal's fields are read.
z.config(en());

/** What a handler parses with: any schema of this folder, whose output is T. */
export type Schema<T> = z.ZodMiniType<T, unknown>;

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
