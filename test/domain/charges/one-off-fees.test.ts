import type { LocalDate } from '../../../functions/domain/calendar';
import { dataMigrationFee, mailTrainingFee, visitSupportFee, type OneOffFee, type VisitItem } from '../../../functions/domain/charges/one-off-fees';
import type { PlanCode } from '../../../functions/domain/contract';
import { TariffNotInForceError } from '../../../functions/domain/errors';
import { SHIPPED_CATALOG } from '../../../functions/domain/tariff/catalog';
import { invalidPaths as fieldPaths } from '../invalid-fields';

const catalog = SHIPPED_CATALOG;

/** item → amount */
const amounts = (fee: OneOffFee) => Object.fromEntries(fee.lines.map((l) => [l.item, l.amount]));

const everyVisitItem: VisitItem[] = [
  'visit.basicWork',
  'visit.statusDiagnosis',
  'visit.osRecovery',
  'visit.osUpdate',
  'visit.internetSetup',
  'visit.wifiSetup',
  'visit.applicationSetup',
  'visit.gatewayInstallation',
  'visit.routerInstallation.basic',
  'visit.routerInstallation.highEnd',
];
const visit = (date: LocalDate, plan: PlanCode, firstInstallation: boolean) =>
  visitSupportFee(catalog, { date, plan, firstInstallation, items: everyVisitItem.map((item) => ({ item, quantity: 1 })) });
const waivedItems = (fee: OneOffFee) => fee.lines.filter((l) => l.waived).map((l) => l.item);

describe('visit support (別紙8) and the ※1 first-installation 0-yen items', () => {
  it('until 2023-11-30: Prime’s first installation waives only the rental router installation', () => {
    const fee = visit('2023-11-30', 'prime', true);
    expect(fee.revision).toBe('baseline');
    expect(waivedItems(fee)).toEqual(['visit.routerInstallation.basic', 'visit.routerInstallation.highEnd']);
    expect(fee.lines.find((l) => l.item === 'visit.routerInstallation.basic')).toMatchObject({
      unitPrice: 0,
      amount: 0,
      waived: { unitPrice: 18000, clause: '別紙8 ※1' },
    });
    expect(fee.subtotal).toBe(4500 + 1500 + 10500 + 7000 + 3000 + 900 + 3500 + 8500);
  });

  it('from 2023-12-01: basic work, status diagnosis, gateway and router installation are waived for Prime and Prime Plus', () => {
    for (const plan of ['prime', 'prime-plus'] as const) {
      const fee = visit('2023-12-01', plan, true);
      expect(fee.revision).toBe('2023-12-01');
      expect(waivedItems(fee)).toEqual([
        'visit.basicWork',
        'visit.statusDiagnosis',
        'visit.gatewayInstallation',
        'visit.routerInstallation.basic',
        'visit.routerInstallation.highEnd',
      ]);
      expect(fee.subtotal).toBe(17100 + 12100 + 4500 + 3100 + 4400);
    }
  });

  it('Prime Plus did not earn ※1 under the old terms', () => {
    expect(waivedItems(visit('2023-11-30', 'prime-plus', true))).toEqual([]);
  });

  it('no waiver without a package plan, or after the first installation', () => {
    const full = 7500 + 1500 + 17100 + 12100 + 4500 + 3100 + 4400 + 8500 + 21600 + 18000;
    expect(visit('2024-04-01', 'none', true).subtotal).toBe(full);
    expect(visit('2024-04-01', 'prime', false).subtotal).toBe(full);
    expect(visit('2024-03-31', 'prime-plus', false).subtotal).toBe(full);
  });

  it('charges quantity × price, tax-exclusive: the tax is the bill’s (T2)', () => {
    const fee = visitSupportFee(catalog, { date: '2024-04-01', plan: 'none', firstInstallation: false, items: [{ item: 'visit.osRecovery', quantity: 3 }] });
    expect(fee.lines).toEqual([expect.objectContaining({ quantity: 3, unitPrice: 17100, amount: 51300 })]);
    expect(fee.lines[0]).not.toHaveProperty('consumptionTax');
    expect(fee.subtotal).toBe(51300);
  });

  it('refuses unknown items, bad quantities and an empty order with field paths', () => {
    const order = {
      date: '2024-04-01' as const,
      plan: 'none' as const,
      firstInstallation: false,
      items: [
        { item: 'visit.teaCeremony' as VisitItem, quantity: 1 },
        { item: 'dataMigration.per4TB' as VisitItem, quantity: 1 },
        { item: 'visit.osUpdate' as VisitItem, quantity: 0 },
        { item: 'visit.osUpdate' as VisitItem, quantity: 1.5 },
      ],
    };
    expect(fieldPaths(() => visitSupportFee(catalog, order))).toEqual(['items[0].item', 'items[1].item', 'items[2].quantity', 'items[3].quantity']);
    expect(fieldPaths(() => visitSupportFee(catalog, { ...order, items: [] }))).toEqual(['items']);
  });

  it('a date before the first revision is an error; a malformed date names its field', () => {
    expect(() => visit('2014-03-31', 'prime', true)).toThrow(TariffNotInForceError);
    expect(fieldPaths(() => visit('2024-02-30', 'prime', true))).toEqual(['date']);
  });
});

describe('data migration (別紙9), per device by volume', () => {
  it.each([
    ['2023-11-30', 1, 6000],
    ['2023-11-30', 1, 6000],
    ['2023-11-30', 4, 6000],
    ['2023-11-30', 5, 75000],
    ['2023-11-30', 4_000, 75000],
    ['2023-11-30', 4_001, 75000 + 12000],
    ['2023-11-30', 6_500, 75000 + 3 * 12000],
    ['2023-12-01', 4, 16000],
    ['2023-12-01', 4_000, 101500],
    ['2024-04-01', 5_000, 101500 + 25600],
    ['2024-04-01', 5_200, 101500 + 2 * 25600],
    // Decimal volumes (V3 revised 2026-12-07): exact at the boundaries.
    ['2024-04-01', 0.001, 16000],
    ['2024-04-01', 4.5, 16000],
    ['2024-04-01', 4.7, 16000],
    ['2024-04-01', 4.701, 101500],
    ['2024-04-01', 4_000.001, 101500 + 25600],
    ['2024-04-01', 5_000.999, 101500 + 2 * 25600],
  ])('on %s, %d GB costs %i (V3)', (date, volumeGB, expected) => {
    expect(dataMigrationFee(catalog, { date: date as LocalDate, devices: [{ volumeGB }] }).subtotal).toBe(expected);
  });

  it('groups devices by price and sums the extra terabytes', () => {
    const fee = dataMigrationFee(catalog, {
      date: '2024-03-31',
      devices: [{ volumeGB: 1 }, { volumeGB: 4 }, { volumeGB: 5_200 }, { volumeGB: 4_500 }],
    });
    expect(fee.lines.map((l) => [l.item, l.quantity, l.amount])).toEqual([
      ['dataMigration.per4_7GB', 2, 32000],
      ['dataMigration.per4TB', 2, 203000],
      ['dataMigration.perExtraTB', 3, 76800],
    ]);
    expect(fee.revision).toBe('2023-12-01');
  });

  it('refuses no devices, and volumes that are not more than 0 with at most 3 decimals', () => {
    expect(fieldPaths(() => dataMigrationFee(catalog, { date: '2024-04-01', devices: [] }))).toEqual(['devices']);
    const volumes = [0, -1, 4.7001, Number.NaN, Infinity, 2.5, 1.005];
    expect(fieldPaths(() => dataMigrationFee(catalog, { date: '2024-04-01', devices: volumes.map((volumeGB) => ({ volumeGB })) }))).toEqual([
      'devices[0].volumeGB',
      'devices[1].volumeGB',
      'devices[2].volumeGB',
      'devices[3].volumeGB',
      'devices[4].volumeGB',
    ]);
  });
});

describe('targeted-attack mail training (※7, ※11)', () => {
  it('a first-time user without a package plan gets 10 mails free', () => {
    const fee = mailTrainingFee(catalog, { date: '2024-04-01', plan: 'none', mails: 15, firstTimeUser: true });
    expect(fee.lines).toEqual([
      expect.objectContaining({ item: 'mailTraining.perMail', quantity: 5, unitPrice: 100, amount: 500, includedQuantity: 10, placeholder: true }),
    ]);
    expect(fee.subtotal).toBe(500);
  });

  it('fewer mails than the free ones cost nothing, and the line says why', () => {
    const fee = mailTrainingFee(catalog, { date: '2023-11-30', plan: 'none', mails: 8, firstTimeUser: true });
    expect(fee.lines).toEqual([expect.objectContaining({ quantity: 0, amount: 0, includedQuantity: 8 })]);
    expect(fee.subtotal).toBe(0);
  });

  it('no free mails for a returning user, nor once on Prime', () => {
    expect(amounts(mailTrainingFee(catalog, { date: '2024-04-01', plan: 'none', mails: 15, firstTimeUser: false }))).toEqual({ 'mailTraining.perMail': 1500 });
    expect(amounts(mailTrainingFee(catalog, { date: '2023-11-30', plan: 'prime', mails: 15, firstTimeUser: true }))).toEqual({ 'mailTraining.perMail': 1500 });
  });

  it('Prime Plus: the mails left of the 10 a term are included, the rest charged', () => {
    const fee = mailTrainingFee(catalog, { date: '2024-04-01', plan: 'prime-plus', mails: 12, firstTimeUser: true, includedMailsUsedThisTerm: 3 });
    expect(fee.lines).toEqual([expect.objectContaining({ quantity: 5, amount: 500, includedQuantity: 7 })]);
    expect(
      amounts(mailTrainingFee(catalog, { date: '2024-04-01', plan: 'prime-plus', mails: 4, firstTimeUser: false, includedMailsUsedThisTerm: 12 })),
    ).toEqual({
      'mailTraining.perMail': 400,
    });
  });

  it('Prime Plus needs the mails already used this term; mails must be a whole number ≥ 1', () => {
    expect(fieldPaths(() => mailTrainingFee(catalog, { date: '2024-04-01', plan: 'prime-plus', mails: 0, firstTimeUser: false }))).toEqual([
      'mails',
      'includedMailsUsedThisTerm',
    ]);
  });
});
