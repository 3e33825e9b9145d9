import type { LocalDate } from '../calendar';
import { PLACEHOLDER_NOTE } from '../tariff-labels';

/**
 * The tariff as data (docs/terms.md §2, Decision P1): every price of the seed's three
 * columns, one revision per column, sorted by effective date. Code never holds a price.
 */
export type MonthlyItem =
  | 'basicFee.withGateway' // 基本料金 ①
  | 'basicFee.withoutGateway' // 基本料金 ②
  | 'endpointSecurity'
  | 'edrSecurity'
  | 'gatewaySecurity.10'
  | 'gatewaySecurity.50'
  | 'gatewaySecurity.100'
  | 'prime.10'
  | 'prime.50'
  | 'prime.100'
  | 'primePlus.10'
  | 'primePlus.50'
  | 'primePlus.100'
  | 'cloudSandbox'
  | 'cloudProxy'
  | 'elgana';

export type OneOffItem =
  | 'visit.basicWork'
  | 'visit.statusDiagnosis'
  | 'visit.osRecovery'
  | 'visit.osUpdate'
  | 'visit.internetSetup'
  | 'visit.wifiSetup'
  | 'visit.applicationSetup'
  | 'visit.gatewayInstallation'
  | 'visit.routerInstallation.basic'
  | 'visit.routerInstallation.highEnd'
  | 'dataMigration.per4_7GB'
  | 'dataMigration.per4TB'
  | 'dataMigration.perExtraTB'
  | 'mailTraining.perMail'
  | 'invoice.issuance'
  | 'invoice.collection';

export type TariffItem = MonthlyItem | OneOffItem;

export interface PriceEntry {
  /** Integer yen, tax-exclusive (Decision T2). */
  amount: number;
  /** What the amount is per, a code (`device/month`): its Japanese name is UNIT_LABELS's (functions/domain/tariff-labels.ts). */
  unit: string;
  label: string;
  clause: string;
  /** The seed does not state this amount: an operator-supplied value (Decision P1). */
  placeholder?: boolean;
}

export interface TariffRules {
  /** ※4: discount per gateway device without 24-hour failure support; not under Prime/Prime Plus. */
  gatewayWithout24hDiscount: PriceEntry;
  /** ※7: free training mails for a first-time user, not once on Prime/Prime Plus. */
  mailTrainingFirstTimeFreeMails: number;
  /** 別紙8 ※1: one-off items that are 0 yen on the first installation for these plans. */
  firstInstallationFree: { items: OneOffItem[]; plans: Array<'prime' | 'prime-plus'>; clause: string };
  /** Prime Plus bundle (※11): quantities included in its monthly price (Decision B1). */
  primePlusIncluded: { edrTerminals: number; cloudProxyUsers: number; elganaIds: number; mailTrainingMailsPerYear: number };
  /** 別紙12: invoice fees apply from this revision on; null where they do not exist yet. */
  invoiceFees: { exemptStartMonthAndNext: boolean; exemptCorporations: boolean; clause: string } | null;
  /** Products that may be applied for under this revision (docs/terms.md R6). */
  acceptsApplicationsFor: { edrSecurity: boolean; primePlus: boolean };
  /** 第2条 5: applications only from corporations (docs/terms.md R1). */
  corporateOnly: boolean;
  /** ※13: last JST date on which a new Prime application is accepted; null where Prime is open (R2). */
  primeApplicationsUntil: LocalDate | null;
}

export interface TariffRevision {
  id: string;
  effectiveFrom: LocalDate;
  title: string;
  /** Set where the effective date itself is not stated by the seed. */
  effectiveFromNote?: string;
  prices: Partial<Record<TariffItem, PriceEntry>>;
  rules: TariffRules;
}

export type Catalog = readonly TariffRevision[];

const placeholder = (amount: number, unit: string, label: string, clause: string): PriceEntry => ({
  amount,
  unit,
  label: `${label} ${PLACEHOLDER_NOTE}`,
  clause,
  placeholder: true,
});
const price = (amount: number, unit: string, label: string, clause: string): PriceEntry => ({ amount, unit, label, clause });

// Amounts the seed names but does not state (docs/terms.md §2): non-zero round numbers so that
// every calculation shows them, always flagged. Operators override them with tariff overrides.
const unstatedPrices = {
  'basicFee.withGateway': placeholder(3000, 'site/month', '基本料金① (ゲートウェイ装置設置拠点)', '別紙7 ※1'),
  'basicFee.withoutGateway': placeholder(1000, 'site/month', '基本料金② (ゲートウェイ装置なし拠点)', '別紙7 ※1'),
  cloudProxy: placeholder(500, 'user/month', 'クラウドプロキシ利用料', '別紙7'),
  elgana: placeholder(300, 'ID/month', 'elgana ベースプラン', '別紙7 ※15'),
  'mailTraining.perMail': placeholder(100, 'mail', '標的型攻撃メール訓練', '別紙7 ※7'),
} satisfies Partial<Record<TariffItem, PriceEntry>>;

const gatewayPrices = (p10: number, p50: number, p100: number) => ({
  'gatewaySecurity.10': price(p10, 'device/month', 'ゲートウェイセキュリティ装置 (10クライアント向け, 24時間機器故障対応付き)', '別紙7 ※3 ※4'),
  'gatewaySecurity.50': price(p50, 'device/month', 'ゲートウェイセキュリティ装置 (50クライアント向け, 24時間機器故障対応付き)', '別紙7 ※3 ※4'),
  'gatewaySecurity.100': price(p100, 'device/month', 'ゲートウェイセキュリティ装置 (100クライアント向け, 24時間機器故障対応付き)', '別紙7 ※3 ※4'),
});
const primePrices = (p10: number, p50: number, p100: number, clause: string) => ({
  'prime.10': price(p10, 'device/month', 'プライムプラン (10クライアント向け)', clause),
  'prime.50': price(p50, 'device/month', 'プライムプラン (50クライアント向け)', clause),
  'prime.100': price(p100, 'device/month', 'プライムプラン (100クライアント向け)', clause),
});
const primePlusPrices = {
  'primePlus.10': price(19000, 'device/month', 'プライムPlusプラン (10クライアント向け)', '別紙7 ※11 ※15'),
  'primePlus.50': price(21000, 'device/month', 'プライムPlusプラン (50クライアント向け)', '別紙7 ※11 ※15'),
  'primePlus.100': price(27000, 'device/month', 'プライムPlusプラン (100クライアント向け)', '別紙7 ※11 ※15'),
};
const edrPrice = { edrSecurity: price(1100, 'terminal/month', 'EDRセキュリティツール利用料', '別紙7 ※12 ※14') };

/** 別紙8 visit support and 別紙9 data migration: each item once, with its label. */
const ONE_OFF_LABELS = {
  'visit.basicWork': '基本作業費',
  'visit.statusDiagnosis': '状況診断費',
  'visit.osRecovery': 'OSリカバリ',
  'visit.osUpdate': 'OSアップデート',
  'visit.internetSetup': 'インターネット接続設定',
  'visit.wifiSetup': 'Wi-Fi機器設定',
  'visit.applicationSetup': '各種アプリケーション設定',
  'visit.gatewayInstallation': 'ゲートウェイセキュリティ装置設置・設定',
  'visit.routerInstallation.basic': 'レンタルルータ装置設置・設定 (ベーシックモデル)',
  'visit.routerInstallation.highEnd': 'レンタルルータ装置設置・設定 (ハイエンドモデル)',
  'dataMigration.per4_7GB': 'データ移行 (4.7GB)',
  'dataMigration.per4TB': 'データ移行 (4TB)',
  'dataMigration.perExtraTB': 'データ移行 (追加1TB)',
} as const satisfies Partial<Record<OneOffItem, string>>;
type ListedOneOffItem = keyof typeof ONE_OFF_LABELS;

/** 別紙8 prices basic work and status diagnosis per visit, every other item per device; 別紙9 by the volume of a device. */
const ONE_OFF_UNITS: Partial<Record<ListedOneOffItem, string>> = {
  'visit.basicWork': 'visit',
  'visit.statusDiagnosis': 'visit',
  'dataMigration.per4_7GB': '4.7GB/device',
  'dataMigration.per4TB': '4TB/device',
  'dataMigration.perExtraTB': 'TB/device',
};

type OneOffAmounts = Record<ListedOneOffItem, number>;

/** A revision's one-off prices; the items of its ※1 list (first installation free) cite ※1. */
function oneOffPrices(amounts: OneOffAmounts, firstInstallationFree: readonly OneOffItem[]): Partial<Record<TariffItem, PriceEntry>> {
  return Object.fromEntries(
    (Object.keys(ONE_OFF_LABELS) as ListedOneOffItem[]).map((item) => {
      const clause = item.startsWith('dataMigration.') ? '別紙9' : firstInstallationFree.includes(item) ? '別紙8 ※1' : '別紙8';
      return [item, price(amounts[item], ONE_OFF_UNITS[item] ?? 'device', ONE_OFF_LABELS[item], clause)];
    }),
  );
}

const FIRST_INSTALLATION_FREE_BEFORE: OneOffItem[] = ['visit.routerInstallation.basic', 'visit.routerInstallation.highEnd'];
const FIRST_INSTALLATION_FREE_FROM_2023_12_01: OneOffItem[] = [
  'visit.basicWork',
  'visit.statusDiagnosis',
  'visit.gatewayInstallation',
  'visit.routerInstallation.basic',
  'visit.routerInstallation.highEnd',
];

const ONE_OFF_BEFORE = oneOffPrices(
  {
    'visit.basicWork': 4500,
    'visit.statusDiagnosis': 1500,
    'visit.osRecovery': 10500,
    'visit.osUpdate': 7000,
    'visit.internetSetup': 3000,
    'visit.wifiSetup': 900,
    'visit.applicationSetup': 3500,
    'visit.gatewayInstallation': 8500,
    'visit.routerInstallation.basic': 18000,
    'visit.routerInstallation.highEnd': 15000,
    'dataMigration.per4_7GB': 6000,
    'dataMigration.per4TB': 75000,
    'dataMigration.perExtraTB': 12000,
  },
  FIRST_INSTALLATION_FREE_BEFORE,
);
const ONE_OFF_FROM_2023_12_01 = oneOffPrices(
  {
    'visit.basicWork': 7500,
    'visit.statusDiagnosis': 1500,
    'visit.osRecovery': 17100,
    'visit.osUpdate': 12100,
    'visit.internetSetup': 4500,
    'visit.wifiSetup': 3100,
    'visit.applicationSetup': 4400,
    'visit.gatewayInstallation': 8500,
    'visit.routerInstallation.basic': 21600,
    'visit.routerInstallation.highEnd': 18000,
    'dataMigration.per4_7GB': 16000,
    'dataMigration.per4TB': 101500,
    'dataMigration.perExtraTB': 25600,
  },
  FIRST_INSTALLATION_FREE_FROM_2023_12_01,
);

const invoicePrices = {
  'invoice.issuance': price(150, 'invoice', '請求書等発行手数料', '別紙12 3(2)'),
  'invoice.collection': price(50, 'payment', '請求書払い収納手数料', '別紙12 3(2)'),
};

const discount24h = (clause: string): PriceEntry => price(3000, 'device/month', '24時間機器故障対応なし割引', clause);
const primePlusIncluded = { edrTerminals: 5, cloudProxyUsers: 2, elganaIds: 5, mailTrainingMailsPerYear: 10 };

/**
 * The price list of the revisions from 2023-12-01 on: the same items, with EDR, Prime Plus
 * and the invoice fees; the 2024-04-01 revision changes the amounts given here.
 */
function pricesFrom20231201(amounts: { endpoint: number; gateway: [number, number, number]; prime: [number, number, number]; cloudSandbox: number }) {
  return {
    ...unstatedPrices,
    endpointSecurity: price(amounts.endpoint, 'terminal/month', 'エンドポイントセキュリティツール利用料', '別紙7 ※2 ※10 ※12'),
    ...edrPrice,
    ...gatewayPrices(...amounts.gateway),
    ...primePrices(...amounts.prime, '別紙7 ※6 ※13'),
    ...primePlusPrices,
    cloudSandbox: price(amounts.cloudSandbox, 'terminal/month', 'クラウドサンドボックス (オプション)', '別紙7'),
    ...ONE_OFF_FROM_2023_12_01,
    ...invoicePrices,
  };
}

/**
 * The rules of the 2023-12-01 revision (EDR and Prime Plus offered, corporations only,
 * Prime closed after 2023-12-28, ※1 from the new list, invoice fees), unchanged by the
 * price revision of 2024-04-01.
 */
const RULES_FROM_2023_12_01: TariffRules = {
  gatewayWithout24hDiscount: discount24h('別紙7 ※4'),
  mailTrainingFirstTimeFreeMails: 10,
  firstInstallationFree: {
    items: FIRST_INSTALLATION_FREE_FROM_2023_12_01,
    plans: ['prime', 'prime-plus'],
    clause: '別紙8 ※1',
  },
  primePlusIncluded,
  invoiceFees: { exemptStartMonthAndNext: true, exemptCorporations: true, clause: '別紙12 3' },
  acceptsApplicationsFor: { edrSecurity: true, primePlus: true },
  corporateOnly: true,
  primeApplicationsUntil: '2023-12-28',
};

export const SHIPPED_CATALOG: Catalog = [
  {
    id: 'baseline',
    effectiveFrom: '2014-04-01',
    effectiveFromNote:
      '利用規約変更内容はこの列を「2023年11月30日まで」とし、開始日を記載していません。2014年4月1日は料金表が答える最も早い日付として置いた仮の日付です。',
    title: '2023年11月30日までの料金 (利用規約変更前)',
    prices: {
      ...unstatedPrices,
      endpointSecurity: price(500, 'terminal/month', 'エンドポイントセキュリティツール利用料', '別紙7 ※2 ※10'),
      ...gatewayPrices(8000, 10000, 17000),
      ...primePrices(15000, 17000, 23000, '別紙7 ※6'),
      cloudSandbox: price(1000, 'terminal/month', 'クラウドサンドボックス (オプション)', '別紙7'),
      ...ONE_OFF_BEFORE,
    },
    rules: {
      gatewayWithout24hDiscount: discount24h('別紙7 ※4'),
      mailTrainingFirstTimeFreeMails: 10,
      firstInstallationFree: {
        items: FIRST_INSTALLATION_FREE_BEFORE,
        plans: ['prime'],
        clause: '別紙8 ※1',
      },
      primePlusIncluded,
      invoiceFees: null,
      acceptsApplicationsFor: { edrSecurity: false, primePlus: false },
      corporateOnly: false,
      primeApplicationsUntil: null,
    },
  },
  {
    id: '2023-12-01',
    effectiveFrom: '2023-12-01',
    title: '2023年12月1日変更 (EDR・プライムPlus新設, 法人限定, 請求書等発行手数料)',
    prices: pricesFrom20231201({ endpoint: 500, gateway: [8000, 10000, 17000], prime: [15000, 17000, 23000], cloudSandbox: 1000 }),
    rules: RULES_FROM_2023_12_01,
  },
  {
    id: '2024-04-01',
    effectiveFrom: '2024-04-01',
    title: '2024年4月1日変更 (価格改定)',
    prices: pricesFrom20231201({ endpoint: 600, gateway: [9000, 11000, 19000], prime: [17000, 19000, 26000], cloudSandbox: 1100 }),
    rules: RULES_FROM_2023_12_01,
  },
];

/** The items an operator may set: exactly those the seed leaves unstated. */
export const PLACEHOLDER_ITEMS = Object.keys(unstatedPrices) as TariffItem[];
