/**
 * The Japanese names of the fields and values a request may carry, for the messages the
 * API sends (a refusal's or an error's `message`) and for the console. The paths
 * themselves (`fields[].path`) and the values are the stable contract and stay as they
 * are (docs/interface.md §1.2, §3); only what a person reads is named here.
 *
 * No imports: the console may bundle this module as it is.
 */

/** Field path → label. A list index is written `*` (`visitSupport.items.*.quantity`). */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  '(root)': 'リクエスト全体',
  // Inbound orders (interface §1.1).
  orderId: '注文番号',
  appliedAt: '申込日時',
  requestedAt: '申込日時',
  contractId: '契約ID',
  lineId: '回線ID',
  customer: '顧客情報',
  'customer.customerId': '顧客ID',
  'customer.name': '顧客名',
  'customer.kind': '顧客区分',
  'customer.phone': '連絡先電話番号',
  startDate: '利用開始日',
  effectiveDate: '効力発生日 (解約日・適用日)',
  plan: 'プラン',
  'plan.code': 'プラン',
  'plan.tier': 'プランのクライアント数区分',
  services: 'サービス',
  'services.endpointSecurity': 'エンドポイントセキュリティ',
  'services.endpointSecurity.terminals': 'エンドポイントセキュリティの端末数',
  'services.edrSecurity': 'EDRセキュリティ',
  'services.edrSecurity.terminals': 'EDRセキュリティの端末数',
  'services.gatewaySecurity': 'ゲートウェイセキュリティ',
  'services.gatewaySecurity.tier': 'ゲートウェイセキュリティ装置のクライアント数区分',
  'services.gatewaySecurity.failureSupport24h': 'ゲートウェイセキュリティの24時間機器故障対応',
  'services.cloudSandbox': 'クラウドサンドボックス',
  'services.cloudSandbox.terminals': 'クラウドサンドボックスの端末数',
  'services.cloudProxy': 'クラウドプロキシ',
  'services.cloudProxy.users': 'クラウドプロキシの利用者数',
  'services.elgana': 'elgana',
  'services.elgana.ids': 'elganaのID数',
  billing: '請求情報',
  'billing.method': '支払方法',
  date: '日付',
  visitSupport: '出張サポート',
  'visitSupport.items': '出張サポートの作業',
  'visitSupport.items.*': '出張サポートの作業',
  'visitSupport.items.*.item': '出張サポートの作業項目',
  'visitSupport.items.*.quantity': '出張サポートの作業の数量',
  dataMigration: 'データ移行',
  'dataMigration.devices': 'データ移行の機器',
  'dataMigration.devices.*': 'データ移行の機器',
  'dataMigration.devices.*.volumeGB': 'データ移行の容量 (GB)',
  mailTraining: '標的型攻撃メール訓練',
  'mailTraining.mails': '標的型攻撃メール訓練の通数',
  // The same parts as the one-off fee calculation names them (functions/domain/charges/one-off-fees.ts).
  items: '出張サポートの作業',
  'items.*': '出張サポートの作業',
  'items.*.item': '出張サポートの作業項目',
  'items.*.quantity': '出張サポートの作業の数量',
  devices: 'データ移行の機器',
  'devices.*': 'データ移行の機器',
  'devices.*.volumeGB': 'データ移行の容量 (GB)',
  mails: '標的型攻撃メール訓練の通数',
  includedMailsUsedThisTerm: '今期に利用済みのメール訓練の通数',
  // Lookups (interface §3, §7.3): path parameters and queries.
  customerId: '顧客ID',
  invoiceId: '請求書番号',
  month: '請求月',
  limit: '件数',
  nextToken: '続きのページの指定',
  namePrefix: '顧客名',
  // The renewal schedule's payload (interface §4).
  scheduledTime: '実行予定日時',
  shards: '対象の区分',
  'shards.*': '対象の区分',
};

/** Value → label, for the values a request chooses from (interface §1.1). */
export const VALUE_LABELS: Readonly<Record<string, string>> = {
  corporation: '法人',
  individual: '個人',
  none: 'パッケージプランなし',
  prime: 'プライムプラン',
  'prime-plus': 'プライムPlusプラン',
  invoice: '請求書払い',
  'account-transfer': '口座振替',
  'credit-card': 'クレジットカード払い',
  basicWork: '基本作業費',
  statusDiagnosis: '状況診断費',
  osRecovery: 'OSリカバリ',
  osUpdate: 'OSアップデート',
  internetSetup: 'インターネット接続設定',
  wifiSetup: 'Wi-Fi機器設定',
  applicationSetup: '各種アプリケーション設定',
  gatewayInstallation: 'ゲートウェイセキュリティ装置設置・設定',
  'routerInstallation.basic': 'レンタルルータ装置設置・設定 (ベーシックモデル)',
  'routerInstallation.highEnd': 'レンタルルータ装置設置・設定 (ハイエンドモデル)',
};

/** The label of `key`, if the map has one of its own: a sender's key may be `__proto__` or `constructor`. */
const own = (labels: Readonly<Record<string, string>>, key: string): string | undefined => (Object.hasOwn(labels, key) ? labels[key] : undefined);

/** `a.0.b` and `a[0].b` alike: the segments of a path, an index as a number. */
function segmentsOf(path: string): Array<string | number> {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((segment) => segment !== '')
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

const keyOf = (segments: Array<string | number>): string => segments.map((s) => (typeof s === 'number' ? '*' : s)).join('.');

/**
 * The Japanese name of a field path, as a message names it: `customer.kind` → 顧客区分;
 * a list entry by its place (`visitSupport.items.0.quantity` → 出張サポートの作業の数量 (1件目));
 * a key no label knows (a sender's misspelling) quoted as sent, after the nearest known
 * part (`services.firewall` → サービスの「firewall」).
 */
export function fieldLabel(path: string): string {
  const exact = own(FIELD_LABELS, path);
  if (exact !== undefined) return exact;
  const segments = segmentsOf(path);
  const places = segments.filter((s): s is number => typeof s === 'number').map((i) => `${i + 1}件目`);
  const where = places.length > 0 ? ` (${places.join('・')})` : '';
  for (let known = segments.length; known > 0; known -= 1) {
    const label = own(FIELD_LABELS, keyOf(segments.slice(0, known)));
    if (label === undefined) continue;
    const rest = segments.slice(known).filter((s): s is string => typeof s === 'string');
    return rest.length === 0 ? `${label}${where}` : `${label}の「${rest.join('.')}」${where}`;
  }
  return `「${path}」`;
}

/** A value as a message names it: 法人 (corporation); a value without a label as it is. */
export function valueLabel(value: unknown): string {
  const text = String(value);
  const label = typeof value === 'string' ? own(VALUE_LABELS, value) : undefined;
  return label === undefined ? text : `${label} (${text})`;
}
