import type { LocalDate } from '../../../functions/domain/calendar';
import { SHIPPED_CATALOG, PLACEHOLDER_ITEMS, type TariffItem } from '../../../functions/domain/tariff/catalog';
import { priceOf, revisionInForceOn } from '../../../functions/domain/tariff/versioned-tariff';

// docs/terms.md §2, column by column: [item, until 2023-11-30, from 2023-12-01, from 2024-04-01] (null: not offered).
const table: Array<[TariffItem, number | null, number | null, number | null]> = [
  ['endpointSecurity', 500, 500, 600],
  ['edrSecurity', null, 1100, 1100],
  ['gatewaySecurity.10', 8000, 8000, 9000],
  ['gatewaySecurity.50', 10000, 10000, 11000],
  ['gatewaySecurity.100', 17000, 17000, 19000],
  ['prime.10', 15000, 15000, 17000],
  ['prime.50', 17000, 17000, 19000],
  ['prime.100', 23000, 23000, 26000],
  ['primePlus.10', null, 19000, 19000],
  ['primePlus.50', null, 21000, 21000],
  ['primePlus.100', null, 27000, 27000],
  ['cloudSandbox', 1000, 1000, 1100],
  ['visit.basicWork', 4500, 7500, 7500],
  ['visit.statusDiagnosis', 1500, 1500, 1500],
  ['visit.osRecovery', 10500, 17100, 17100],
  ['visit.osUpdate', 7000, 12100, 12100],
  ['visit.internetSetup', 3000, 4500, 4500],
  ['visit.wifiSetup', 900, 3100, 3100],
  ['visit.applicationSetup', 3500, 4400, 4400],
  ['visit.gatewayInstallation', 8500, 8500, 8500],
  ['visit.routerInstallation.basic', 18000, 21600, 21600],
  ['visit.routerInstallation.highEnd', 15000, 18000, 18000],
  ['dataMigration.per4_7GB', 6000, 16000, 16000],
  ['dataMigration.per4TB', 75000, 101500, 101500],
  ['dataMigration.perExtraTB', 12000, 25600, 25600],
  ['invoice.issuance', null, 150, 150],
  ['invoice.collection', null, 50, 50],
];
const days = ['2023-11-30', '2023-12-01', '2024-04-01'];

describe('the shipped catalog holds the seed’s prices', () => {
  it.each(table)('%s', (item, ...amounts) => {
    amounts.forEach((amount, i) => {
      const revision = revisionInForceOn(SHIPPED_CATALOG, days[i] as LocalDate);
      if (amount === null) expect(revision.prices[item]).toBeUndefined();
      else {
        expect(priceOf(revision, item).amount).toBe(amount);
        expect(priceOf(revision, item).placeholder).toBeFalsy();
      }
    });
  });

  it('marks exactly the unstated amounts as placeholders, non-zero, in every revision', () => {
    for (const revision of SHIPPED_CATALOG) {
      const flagged = Object.entries(revision.prices)
        .filter(([, e]) => e?.placeholder)
        .map(([item]) => item);
      expect(flagged.sort()).toEqual([...PLACEHOLDER_ITEMS].sort());
      for (const item of PLACEHOLDER_ITEMS) {
        expect(priceOf(revision, item).amount).toBeGreaterThan(0);
        expect(priceOf(revision, item).label).toMatch(/ \(仮: 利用規約に金額の記載なし。運用者が設定\)$/);
      }
    }
  });

  it('※4 discount is 3,000 yen and ※7 gives 10 free mails in every revision', () => {
    for (const revision of SHIPPED_CATALOG) {
      expect(revision.rules.gatewayWithout24hDiscount.amount).toBe(3000);
      expect(revision.rules.mailTrainingFirstTimeFreeMails).toBe(10);
    }
  });
});
