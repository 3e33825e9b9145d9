import { firstDayOf, isLocalDate, isYearMonth, type LocalDate, type YearMonth } from '../calendar';
import { CatalogError, FieldRefusal, TariffNotInForceError, type FieldIssue } from '../errors';
import { withoutPlaceholderNote } from '../tariff-labels';
import { PLACEHOLDER_ITEMS, type Catalog, type PriceEntry, type TariffItem, type TariffRevision } from './catalog';

/**
 * "Which revision applies" (Decision P2), after Kill Bill's versioned catalog but with
 * no fallback: a date before the first revision is an error.
 * The catalog must be sorted by effective date (validateCatalog).
 */
export function revisionInForceOn(catalog: Catalog, date: LocalDate): TariffRevision {
  // A malformed date would still compare as a string and silently pick a wrong revision.
  if (!isLocalDate(date)) {
    const message = '実在する日付を 2024-05-10 の形式で指定してください';
    throw new FieldRefusal(message, [{ path: 'date', message }]);
  }
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
  if (!isYearMonth(month)) {
    const message = '年月を 2024-05 の形式で指定してください';
    throw new FieldRefusal(message, [{ path: 'month', message }]);
  }
  return revisionInForceOn(catalog, firstDayOf(month));
}

/** The price of an item, or an error naming the item and revision where it is not offered. */
export function priceOf(revision: TariffRevision, item: TariffItem): PriceEntry {
  const entry = revision.prices[item];
  if (!entry) throw new Error(`tariff revision ${revision.id} has no price for ${item}`);
  return entry;
}

/**
 * What revisionInForceOn relies on: at least one revision, ids unique, effective dates
 * real JST dates in strictly increasing order (two revisions on one day would make
 * "the revision in force" ambiguous), every amount whole yen.
 */
export function validateCatalog(catalog: Catalog): void {
  const issues: FieldIssue[] = [];
  if (catalog.length === 0) issues.push({ path: 'catalog', message: 'must hold at least one revision' });
  const seen = new Set<string>();
  catalog.forEach((revision, i) => {
    if (revision.id === '') issues.push({ path: `[${i}].id`, message: 'must not be empty' });
    else if (seen.has(revision.id)) issues.push({ path: `[${i}].id`, message: `duplicate revision id ${revision.id}` });
    seen.add(revision.id);
    if (!isLocalDate(revision.effectiveFrom)) {
      issues.push({ path: `[${i}].effectiveFrom`, message: 'must be a JST date YYYY-MM-DD' });
    } else if (i > 0 && revision.effectiveFrom <= catalog[i - 1].effectiveFrom) {
      issues.push({
        path: `[${i}].effectiveFrom`,
        message: `must be later than the previous revision's ${catalog[i - 1].effectiveFrom} (sorted strictly by effectiveFrom)`,
      });
    }
    for (const [item, entry] of Object.entries(revision.prices)) {
      if (!isPrice(entry?.amount)) issues.push({ path: `[${i}].prices.${item}.amount`, message: PRICE_RULE });
    }
  });
  if (issues.length > 0) throw new CatalogError('tariff catalog is not valid', issues);
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
  validateCatalog(catalog);
  const issues = overrideIssues(catalog, overrides);
  if (issues.length > 0) throw new CatalogError('tariff overrides are not valid', issues);

  return catalog.map((revision) => {
    const amounts = { ...overrides.prices, ...overrides.revisions?.[revision.id] };
    const prices = { ...revision.prices };
    for (const [item, amount] of Object.entries(amounts)) {
      const entry = prices[item as TariffItem];
      if (!entry || amount === undefined) continue;
      prices[item as TariffItem] = {
        ...entry,
        amount,
        label: withoutPlaceholderNote(entry.label),
        placeholder: false,
      };
    }
    return { ...revision, prices };
  });
}

// Overrides usually come from JSON (environment or file): check the shape too, so that a
// typo is refused with its path instead of being ignored.
function overrideIssues(catalog: Catalog, overrides: TariffOverrides): FieldIssue[] {
  if (!isRecord(overrides)) return [{ path: '', message: 'must be an object { prices?, revisions? }' }];
  const issues: FieldIssue[] = [];
  const checkPrices = (path: string, prices: unknown, revision?: TariffRevision) => {
    if (!isRecord(prices)) {
      issues.push({ path, message: 'must be an object of item: yen' });
      return;
    }
    for (const [item, amount] of Object.entries(prices)) {
      if (!PLACEHOLDER_ITEMS.includes(item as TariffItem)) {
        issues.push({ path: `${path}.${item}`, message: `only amounts the seed does not state may be set (${PLACEHOLDER_ITEMS.join(', ')})` });
      } else if (!isPrice(amount)) {
        issues.push({ path: `${path}.${item}`, message: PRICE_RULE });
      } else if (revision && !revision.prices[item as TariffItem]) {
        issues.push({ path: `${path}.${item}`, message: `revision ${revision.id} has no such item` });
      }
    }
  };
  for (const key of Object.keys(overrides)) {
    if (key !== 'prices' && key !== 'revisions') issues.push({ path: key, message: 'unknown key (expected prices or revisions)' });
  }
  if (overrides.prices !== undefined) checkPrices('prices', overrides.prices);
  if (overrides.revisions !== undefined) {
    if (!isRecord(overrides.revisions)) issues.push({ path: 'revisions', message: 'must be an object of revision id: prices' });
    else {
      for (const [id, prices] of Object.entries(overrides.revisions)) {
        const revision = catalog.find((r) => r.id === id);
        if (revision) checkPrices(`revisions.${id}`, prices, revision);
        else issues.push({ path: `revisions.${id}`, message: `no such revision (${catalog.map((r) => r.id).join(', ')})` });
      }
    }
  }
  return issues;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The highest unit price the catalog takes: ten million yen, about a hundred times the
 * seed's highest (101,500). With the counts an order may state (docs/terms.md K2) every
 * bill stays an exact whole number of yen.
 */
const MAX_UNIT_PRICE = 10_000_000;
const PRICE_RULE = `must be a whole number of yen from 0 to ${MAX_UNIT_PRICE} (Decision T2)`;

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_UNIT_PRICE;
}
