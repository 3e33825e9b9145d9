import * as z from 'zod/mini';
import { registrationNumberProblem } from '../domain/invoices/issuer';
import { PLACEHOLDER_ITEMS, SHIPPED_CATALOG, type Catalog, type TariffRevision } from '../domain/tariff/catalog';
import type { TariffOverrides } from '../domain/tariff/versioned-tariff';

/**
 * What an operator configures, as text (the environment of a function, `npm start`'s
 * options): each schema names its rule in its message, and the reader prefixes the
 * variable or option, so that every refusal is one line such as
 * `RENEWAL_SHARDS: must be a whole number from 1 to 1000`.
 */

/** A whole number within a range, written as text (`"32"`). */
export const wholeNumberText = (min: number, max: number) =>
  z.pipe(
    z.string().check(
      z.refine(
        (value) => {
          const n = Number(value);
          return value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max;
        },
        { error: `must be a whole number from ${min} to ${max}` },
      ),
    ),
    z.transform(Number),
  );

/** `true` or `false`. */
export const booleanText = z.pipe(
  z.enum(['true', 'false'], { error: 'must be true or false' }),
  z.transform((value) => value === 'true'),
);

/** A URL (an endpoint, a queue). */
export const urlText = z.string().check(z.refine((value) => URL.canParse(value), { error: 'must be a URL' }));

/** Decision I5: an invoice registration number (`T` and a 法人番号 with its check digit), refused with the rule it breaks. */
export const registrationNumberText = z.string().check(
  z.superRefine((value, ctx) => {
    const problem = registrationNumberProblem(value);
    if (problem !== null) ctx.issues.push({ code: 'custom', message: problem, input: value });
  }),
);

/**
 * docs/terms.md T2: the highest unit price the catalog takes (MAX_UNIT_PRICE of
 * functions/domain/tariff/versioned-tariff.ts, which checks the catalog itself with the
 * same rule; test/wiring/settings.test.ts holds the two to the same verdicts).
 */
const MAX_UNIT_PRICE = 10_000_000;
const PRICE_RULE = `must be a whole number of yen from 0 to ${MAX_UNIT_PRICE} (Decision T2)`;
const price = z.int({ error: PRICE_RULE }).check(z.minimum(0, { error: PRICE_RULE }), z.maximum(MAX_UNIT_PRICE, { error: PRICE_RULE }));
/** Refuses any value of a key an object may not have, with `error` (a never catchall would only say "unknown field"). */
const refusedKey = (error: string) => z.custom<never>(() => false, { error });
const onlyUnstated = refusedKey(`only amounts the seed does not state may be set (${PLACEHOLDER_ITEMS.join(', ')})`);

/** Amounts by item: the seed's unstated items only, and with `revision` only those it prices. */
function pricesSchema(revision?: TariffRevision) {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const item of PLACEHOLDER_ITEMS) {
    shape[item] = z.optional(!revision || revision.prices[item] ? price : z.never({ error: `revision ${revision.id} has no such item` }));
  }
  return z.catchall(z.object(shape, { error: 'must be an object of item: yen' }), onlyUnstated);
}

/**
 * TARIFF_OVERRIDES (Decision P1): `prices` for every revision of `catalog`, `revisions[id]`
 * for one; any other item is refused (the seed's own prices are terms, not configuration).
 */
export function tariffOverridesSchema(catalog: Catalog = SHIPPED_CATALOG): z.ZodMiniType<TariffOverrides> {
  const revisions: Record<string, z.ZodMiniType> = {};
  for (const revision of catalog) revisions[revision.id] = z.optional(pricesSchema(revision));
  return z.catchall(
    z.object(
      {
        prices: z.optional(pricesSchema()),
        revisions: z.optional(
          z.catchall(
            z.object(revisions, { error: 'must be an object of revision id: prices' }),
            refusedKey(`no such revision (${catalog.map((r) => r.id).join(', ')})`),
          ),
        ),
      },
      { error: 'must be an object { prices?, revisions? }' },
    ),
    refusedKey('unknown key (expected prices or revisions)'),
  ) as z.ZodMiniType<TariffOverrides>;
}

/** JSON text, then `schema`. */
export const jsonText = <T>(schema: z.ZodMiniType<T>) =>
  z.pipe(
    z.transform<string, unknown>((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch (error) {
        ctx.issues.push({ code: 'custom', message: `must be JSON (${(error as Error).message})`, input: value });
        return z.NEVER;
      }
    }),
    schema,
  );
