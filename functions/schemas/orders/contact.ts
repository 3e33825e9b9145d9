import * as z from 'zod/mini';
import { MAX_LENGTH, wellFormed } from '../fields';

/** The contact telephone (docs/terms.md K2's 32 characters); EDR needs one (S2), which the domain checks. */
export const phone = z.string().check(wellFormed, z.maxLength(MAX_LENGTH.phone));

/** interface §1.1 (2026-12-07): a services or plan change may carry `customer: {phone}` to record it. */
export const contactChange = z.optional(z.strictObject({ phone }));
