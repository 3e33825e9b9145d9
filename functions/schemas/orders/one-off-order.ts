import * as z from 'zod/mini';
import { jstDateOf } from '../../domain/calendar';
import { megabytesOf, VOLUME_GB_RULE } from '../../domain/charges/one-off-fees';
import { VISIT_ITEM_NAMES } from '../../domain/charges/one-off-order';
import { identifier, instant, localDate, MAX_COUNT, MAX_VOLUME_GB, wholeNumber } from '../fields';

/** A whole number of 1 or more (interface §1.1: quantities and mail counts). */
const positive = wholeNumber(1, MAX_COUNT);
/** Enough for any real order, few enough that a refusal stays small (docs/terms.md K2). */
const MAX_ORDER_ENTRIES = 100;
const list = <T extends z.ZodMiniType>(entry: T) => z.array(entry).check(z.minLength(1), z.maxLength(MAX_ORDER_ENTRIES));

/** docs/terms.md V3: GB with up to 3 decimals (4.5 GB is within the 4.7 GB price, 4.701 GB is not). */
const volumeGB = z.number().check(
  z.refine((value) => megabytesOf(value) !== null, { error: VOLUME_GB_RULE }),
  z.maximum(MAX_VOLUME_GB),
);

/** OneOffServiceOrdered's detail (interface §1.1). */
export const oneOffOrderSchema = z.pipe(
  z
    .object({
      orderId: identifier,
      requestedAt: instant,
      contractId: identifier,
      date: z.optional(localDate),
      visitSupport: z.optional(
        z.strictObject({
          items: list(z.strictObject({ item: z.enum(VISIT_ITEM_NAMES), quantity: positive })),
        }),
      ),
      dataMigration: z.optional(z.strictObject({ devices: list(z.strictObject({ volumeGB })) })),
      mailTraining: z.optional(z.strictObject({ mails: positive })),
    })
    .check(
      z.refine((detail) => detail.visitSupport !== undefined || detail.dataMigration !== undefined || detail.mailTraining !== undefined, {
        error: '出張サポート・データ移行・標的型攻撃メール訓練のうち、少なくとも1つを指定してください',
        path: ['visitSupport'],
      }),
    ),
  // interface §1.1: date defaults to the JST date of requestedAt.
  z.transform((detail) => ({ ...detail, date: detail.date ?? jstDateOf(detail.requestedAt) })),
);

export type OneOffOrderRequest = z.output<typeof oneOffOrderSchema>;
