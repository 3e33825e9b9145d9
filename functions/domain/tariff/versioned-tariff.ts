import { firstDayOf, type LocalDate, type YearMonth } from '../calendar';
import { InvalidRequestError, TariffNotInForceError } from '../errors';
import { PLACEHOLDER_ITEMS, type Catalog, type PriceEntry, type TariffItem, type TariffRevision } from './catalog';

/**
 * "Which revision applies" (Decision P2), after Kill Bill's versioned catalog but with
 * no fallback: a date before the first revision is an error.
 */
export function revisionInForceOn(catalog: Catalog, date: LocalDate): TariffRevision {
  let found: TariffRevision | undefined;
  for (const revision of catalog) {
    if (revision.effectiveFrom <= date) found = revision;
    else break;
  }
  if (!found) throw new TariffNotInForceError(date, catalog[0]?.effectiveFrom ?? 'none');
  return found;
}

/** A monthly charge for month M uses the revision in force on the 1st of M (Decision P2). */
export function revisionForBillingMonth(catalog: Catalog, month: YearMonth): TariffRevision {
  return revisionInForceOn(catalog, firstDayOf(month));
}

/** The price of an item, or an error naming the item and revision where it is not offered. */
export function priceOf(revision: TariffRevision, item: TariffItem): PriceEntry {
  const entry = revision.prices[item];
  if (!entry) throw new Error(`tariff revision ${revision.id} has no price for ${item}`);
  return entry;
}

/**
 * Operator overrides for the amounts the seed does not state (Decision P1):
 * `prices` apply to every revision, `revisions[id]` to one revision, later winning.
 * Any other item is refused: the seed's own prices are terms, not configuration.
 */
export interface TariffOverrides {
  prices?: Partial<Record<string, number>>;
  revisions?: Record<string, Partial<Record<string, number>>>;
}

export function applyOverrides(catalog: Catalog, overrides: TariffOverrides): Catalog {
  const issues: { path: string; message: string }[] = [];
  const check = (path: string, item: string, amount: unknown) => {
    if (!PLACEHOLDER_ITEMS.includes(item as TariffItem)) {
      issues.push({ path, message: `only amounts the seed does not state may be set (${PLACEHOLDER_ITEMS.join(', ')})` });
    } else if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
      issues.push({ path, message: 'must be a whole number of yen, 0 or more (Decision T2)' });
    }
  };
  for (const [item, amount] of Object.entries(overrides.prices ?? {})) check(`prices.${item}`, item, amount);
  for (const [id, prices] of Object.entries(overrides.revisions ?? {})) {
    if (!catalog.some((r) => r.id === id)) {
      issues.push({ path: `revisions.${id}`, message: `no such revision (${catalog.map((r) => r.id).join(', ')})` });
      continue;
    }
    for (const [item, amount] of Object.entries(prices)) check(`revisions.${id}.${item}`, item, amount);
  }
  if (issues.length > 0) throw new InvalidRequestError('tariff overrides are not valid', issues);

  return catalog.map((revision) => {
    const amounts = { ...overrides.prices, ...overrides.revisions?.[revision.id] };
    const prices = { ...revision.prices };
    for (const [item, amount] of Object.entries(amounts)) {
      const entry = prices[item as TariffItem];
      if (!entry || amount === undefined) continue;
      prices[item as TariffItem] = {
        ...entry,
        amount,
        label: entry.label.replace(/ \(placeholder:.*\)$/, ''),
        placeholder: false,
      };
    }
    return { ...revision, prices };
  });
}
