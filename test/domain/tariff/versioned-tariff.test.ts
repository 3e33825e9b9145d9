import { CatalogError } from '../../../functions/domain/errors';
import type { LocalDate, YearMonth } from '../../../functions/domain/calendar';
import { TariffNotInForceError } from '../../../functions/domain/errors';
import { SHIPPED_CATALOG, type Catalog, type TariffRevision } from '../../../functions/domain/tariff/catalog';
import { applyOverrides, priceOf, revisionForBillingMonth, revisionInForceOn, validateCatalog } from '../../../functions/domain/tariff/versioned-tariff';
import { catalogPaths, invalidFields, invalidPaths as paths } from '../invalid-fields';

describe('revision in force on a date (Decision P2)', () => {
  it.each([
    ['2014-04-01', 'baseline'],
    ['2023-11-30', 'baseline'],
    ['2023-12-01', '2023-12-01'],
    ['2023-12-28', '2023-12-01'],
    ['2024-03-31', '2023-12-01'],
    ['2024-04-01', '2024-04-01'],
    ['2099-12-31', '2024-04-01'],
  ])('on %s: %s', (date, id) => {
    expect(revisionInForceOn(SHIPPED_CATALOG, date as LocalDate).id).toBe(id);
  });

  it('a date before the first revision is an error, never a fallback', () => {
    expect(() => revisionInForceOn(SHIPPED_CATALOG, '2014-03-31')).toThrow(TariffNotInForceError);
    expect(() => revisionForBillingMonth(SHIPPED_CATALOG, '2014-03')).toThrow(TariffNotInForceError);
  });

  it('a malformed date is refused with its field, not compared as a string', () => {
    // '2024-4-1' > '2024-04-01' as strings: it would silently pick a revision.
    expect(paths(() => revisionInForceOn(SHIPPED_CATALOG, '2024-4-1'))).toEqual(['date']);
    expect(paths(() => revisionInForceOn(SHIPPED_CATALOG, '2023-02-29'))).toEqual(['date']);
    expect(paths(() => revisionForBillingMonth(SHIPPED_CATALOG, '2024-13'))).toEqual(['month']);
    expect(paths(() => revisionForBillingMonth(SHIPPED_CATALOG, '2024-04-01' as unknown as YearMonth))).toEqual(['month']);
  });
});

describe('revision for a billing month: the one in force on its 1st', () => {
  it.each([
    ['2023-11', 'baseline'],
    ['2023-12', '2023-12-01'],
    ['2024-03', '2023-12-01'],
    ['2024-04', '2024-04-01'],
  ])('%s uses %s', (month, id) => {
    expect(revisionForBillingMonth(SHIPPED_CATALOG, month as YearMonth).id).toBe(id);
  });
});

describe('priceOf', () => {
  it('reads the price of the revision', () => {
    expect(priceOf(revisionInForceOn(SHIPPED_CATALOG, '2024-03-31'), 'endpointSecurity').amount).toBe(500);
    expect(priceOf(revisionInForceOn(SHIPPED_CATALOG, '2024-04-01'), 'endpointSecurity').amount).toBe(600);
  });

  it('names the item and revision where the item is not offered (EDR before 2023-12-01)', () => {
    expect(() => priceOf(revisionInForceOn(SHIPPED_CATALOG, '2023-11-30'), 'edrSecurity')).toThrow(/baseline.*edrSecurity/);
  });
});

describe('validateCatalog', () => {
  const [baseline, december, april] = SHIPPED_CATALOG as [TariffRevision, TariffRevision, TariffRevision];

  it('accepts the shipped catalog', () => {
    expect(() => validateCatalog(SHIPPED_CATALOG)).not.toThrow();
  });

  it('refuses revisions out of order, naming the later one', () => {
    expect(catalogPaths(() => validateCatalog([baseline, april, december]))).toEqual(['[2].effectiveFrom']);
  });

  it('refuses two revisions on the same day (sorted strictly)', () => {
    expect(catalogPaths(() => validateCatalog([baseline, december, { ...april, effectiveFrom: december.effectiveFrom }]))).toEqual(['[2].effectiveFrom']);
  });

  it('refuses duplicate and empty ids', () => {
    expect(catalogPaths(() => validateCatalog([baseline, { ...december, id: 'baseline' }]))).toEqual(['[1].id']);
    expect(catalogPaths(() => validateCatalog([{ ...baseline, id: '' }]))).toEqual(['[0].id']);
  });

  it('refuses an empty catalog, a malformed date and non-yen amounts, all at once', () => {
    expect(catalogPaths(() => validateCatalog([]))).toEqual(['catalog']);
    const broken: TariffRevision = {
      ...december,
      effectiveFrom: '2023-12-1',
      prices: { ...december.prices, endpointSecurity: { ...december.prices.endpointSecurity!, amount: 500.5 } },
    };
    expect(catalogPaths(() => validateCatalog([baseline, broken]))).toEqual(['[1].effectiveFrom', '[1].prices.endpointSecurity.amount']);
  });
});

describe('applyOverrides (Decision P1)', () => {
  it('sets a placeholder amount in every revision, clearing the flag and the placeholder label', () => {
    const catalog = applyOverrides(SHIPPED_CATALOG, { prices: { 'basicFee.withGateway': 4200 } });
    for (const revision of catalog) {
      const entry = priceOf(revision, 'basicFee.withGateway');
      expect(entry).toMatchObject({ amount: 4200, placeholder: false });
      expect(entry.label).toBe('基本料金① (ゲートウェイ装置設置拠点)');
      // Items not overridden stay flagged.
      expect(priceOf(revision, 'basicFee.withoutGateway').placeholder).toBe(true);
    }
  });

  it('a revision override wins over the global one for that revision only', () => {
    const catalog = applyOverrides(SHIPPED_CATALOG, {
      prices: { cloudProxy: 400 },
      revisions: { '2024-04-01': { cloudProxy: 450 } },
    });
    expect(catalog.map((r) => priceOf(r, 'cloudProxy').amount)).toEqual([400, 400, 450]);
  });

  it('leaves the shipped catalog untouched', () => {
    applyOverrides(SHIPPED_CATALOG, { prices: { elgana: 999 } });
    expect(SHIPPED_CATALOG.every((r) => priceOf(r, 'elgana').amount === 300 && priceOf(r, 'elgana').placeholder)).toBe(true);
  });

  it('accepts 0 yen and ten million yen, the bounds', () => {
    expect(priceOf(applyOverrides(SHIPPED_CATALOG, { prices: { elgana: 0 } })[2], 'elgana').amount).toBe(0);
    expect(priceOf(applyOverrides(SHIPPED_CATALOG, { prices: { elgana: 10_000_000 } })[2], 'elgana').amount).toBe(10_000_000);
  });

  it('refuses the seed’s own prices', () => {
    expect(catalogPaths(() => applyOverrides(SHIPPED_CATALOG, { prices: { endpointSecurity: 400 } }))).toEqual(['prices.endpointSecurity']);
  });

  it.each([-1, 1.5, Number.NaN, '300', 10_000_001, Number.MAX_SAFE_INTEGER])('refuses %p as an amount', (amount) => {
    const fields = invalidFields(() => applyOverrides(SHIPPED_CATALOG, { prices: { elgana: amount as number } }), CatalogError);
    expect(fields).toEqual([{ path: 'prices.elgana', message: expect.stringMatching(/whole number of yen/) }]);
  });

  it('refuses an unknown revision, an unknown key and a wrong shape, every issue at once', () => {
    const overrides = {
      price: { elgana: 1 },
      revisions: { '2099-01-01': { elgana: 1 }, '2023-12-01': 5, '2024-04-01': { 'prime.10': 1, elgana: -5 } },
    };
    expect(catalogPaths(() => applyOverrides(SHIPPED_CATALOG, overrides as never))).toEqual([
      'price',
      'revisions.2099-01-01',
      'revisions.2023-12-01',
      'revisions.2024-04-01.prime.10',
      'revisions.2024-04-01.elgana',
    ]);
  });

  it('refuses overrides that are not an object', () => {
    expect(catalogPaths(() => applyOverrides(SHIPPED_CATALOG, null as never))).toEqual(['']);
    expect(catalogPaths(() => applyOverrides(SHIPPED_CATALOG, { prices: [] as never }))).toEqual(['prices']);
  });

  it('refuses an item a revision does not have', () => {
    const withoutElgana: Catalog = SHIPPED_CATALOG.map((r) => {
      const { elgana: _omitted, ...prices } = r.prices;
      return { ...r, prices };
    });
    expect(catalogPaths(() => applyOverrides(withoutElgana, { revisions: { baseline: { elgana: 10 } } }))).toEqual(['revisions.baseline.elgana']);
  });

  it('validates the catalog it is given', () => {
    const [a, b, c] = SHIPPED_CATALOG as [TariffRevision, TariffRevision, TariffRevision];
    expect(catalogPaths(() => applyOverrides([a, c, b], { prices: { elgana: 1 } }))).toEqual(['[2].effectiveFrom']);
  });
});
