import { fieldLabel as apiFieldLabel } from '../../functions/domain/field-labels';
import { unitLabel } from '../../functions/domain/tariff-labels';

/**
 * The Japanese names of what the API sends as codes (docs/interface.md §1, §2, §7): the
 * console shows these, never the codes. Field names come from the API's own list
 * (functions/domain/field-labels.ts, import-free, bundled as it is), so that an error on
 * screen and the API's message name a field alike.
 */

/** A field path as staff read it; `context` names what the screen calls a field (解約日 for the quote's date). */
export function fieldLabel(path: string, context: Record<string, string> = {}): string {
  return context[path] ?? apiFieldLabel(path);
}

export const PLAN_NAMES: Record<string, string> = { none: 'パッケージプランなし', prime: 'プライムプラン', 'prime-plus': 'プライムPlusプラン' };

export function planJa(plan: { code: string; tier?: number } | null | undefined): string {
  if (!plan) return '—';
  const name = PLAN_NAMES[plan.code] ?? 'プラン';
  return plan.tier ? `${name} (${plan.tier}クライアント向け)` : name;
}

export const BILLING_METHODS: Record<string, string> = {
  invoice: '請求書払い',
  'account-transfer': '口座振替',
  'credit-card': 'クレジットカード払い',
};

export const CUSTOMER_KINDS: Record<string, string> = { corporation: '法人', individual: '個人' };

export const STATUS_NAMES: Record<string, string> = { live: '契約中', cancelled: '解約済み' };

/** Inbound orders (interface §1.1): what the order asked for. */
export const ORDER_TYPES: Record<string, string> = {
  ContractApplicationSubmitted: '新規契約の申込み',
  ServicesChangeRequested: 'サービス変更の依頼',
  CancellationRequested: '解約の依頼',
  PlanChangeRequested: 'プラン変更の依頼',
  OneOffServiceOrdered: '単発サービス (出張サポート・データ移行・メール訓練) の注文',
};

/** Outcomes (interface §1.2): what became of it; `accepted` false for a refusal. */
export const OUTCOME_TYPES: Record<string, { text: string; accepted: boolean }> = {
  ContractCreated: { text: '受け付けました: 契約を作成しました', accepted: true },
  ContractApplicationRejected: { text: 'お断りしました: 申込みは受け付けられませんでした', accepted: false },
  ContractServicesChanged: { text: '受け付けました: サービスを変更しました', accepted: true },
  ServicesChangeRejected: { text: 'お断りしました: サービス変更は受け付けられませんでした', accepted: false },
  ContractCancelled: { text: '受け付けました: 解約を受け付けました', accepted: true },
  CancellationRejected: { text: 'お断りしました: 解約は受け付けられませんでした', accepted: false },
  ContractPlanChanged: { text: '受け付けました: プランを変更しました', accepted: true },
  PlanChangeRejected: { text: 'お断りしました: プラン変更は受け付けられませんでした', accepted: false },
  OneOffFeeCharged: { text: '受け付けました: 単発サービスの料金を計上しました', accepted: true },
  OneOffServiceRejected: { text: 'お断りしました: 単発サービスは受け付けられませんでした', accepted: false },
};

/** Refusal codes (interface §1.2), each by what it means. */
export const REASON_NAMES: Record<string, string> = {
  INVALID_REQUEST: '注文内容の誤り',
  ORDER_ID_REUSED: '注文番号の重複',
  CORPORATE_ONLY: '法人限定',
  PRIME_PLAN_CLOSED: 'プライムプランの新規受付終了',
  EDR_ENDPOINT_CONFLICT: 'EDRとエンドポイントセキュリティの同時契約',
  EDR_PRIME_CONFLICT: 'プライムプランとEDRの同時契約',
  PRODUCT_NOT_AVAILABLE: '提供していない商品',
  LINE_ALREADY_CONTRACTED: '回線は契約済み',
  CONTRACT_NOT_FOUND: '契約が見つからない',
  CONTRACT_NOT_LIVE: '解約済みの契約',
};

/** The billing run's states (interface §7.3). */
export const RUN_STATUS: Record<string, string> = {
  'not-run': '未実行 (この月はまだ締めていません)',
  running: '実行中',
  completed: '完了',
  'completed-with-failures': '完了 (請求できなかった契約あり)',
};

export const FILE_FORMATS: Record<string, string> = { csv: '1行が請求明細1件 (会計用、表計算ソフトで開けます)', jsonl: '1行が請求書1件 (システム連携用)' };

/** Invoice line kinds (interface §7.1). */
export const LINE_KINDS: Record<string, string> = {
  monthly: '月額',
  'one-off': '単発',
  'termination-fee': '解約金',
  'invoice-fee': '請求書等発行手数料',
  adjustment: '調整',
};

/** Tariff units (the catalog's, in English) as a price is read: 1拠点・1か月あたり. */
export const UNITS: Record<string, string> = {
  'site/month': '1拠点・月あたり',
  'device/month': '1台・月あたり',
  'terminal/month': '1端末・月あたり',
  'user/month': '1名・月あたり',
  'ID/month': '1ID・月あたり',
  mail: '1通あたり',
  visit: '1回あたり',
  device: '1台あたり',
  '4.7GB/device': '1台あたり (4.7GBまで)',
  '4TB/device': '1台あたり (4TBまで)',
  'TB/device': '1台あたり (4TB超の1TBごと)',
  invoice: '請求書等1通あたり',
  payment: '支払1回あたり',
};

/** A unit as a price is read (1台・月あたり); a code the console does not phrase, by the API's own name for it. */
export function unitJa(unit: string): string {
  return UNITS[unit] ?? `1${unitLabel(unit)}あたり`;
}

/** What a quantity of an item counts, for the lines that say what is included (B1): EDR 5端末込み. */
export function countOf(item: string): { name: string; unit: string } {
  if (item.startsWith('edrSecurity')) return { name: 'EDR', unit: '端末' };
  if (item.startsWith('endpointSecurity')) return { name: 'エンドポイント', unit: '端末' };
  if (item.startsWith('cloudSandbox')) return { name: 'クラウドサンドボックス', unit: '端末' };
  if (item.startsWith('cloudProxy')) return { name: 'クラウドプロキシ', unit: '名' };
  if (item.startsWith('elgana')) return { name: 'elgana', unit: 'ID' };
  if (item.startsWith('mailTraining')) return { name: '標的型攻撃メール訓練', unit: '通' };
  return { name: '', unit: '' };
}

/** Contracted services (interface §1.1), each with its count. */
const SERVICE_NAMES: Record<string, [string, string]> = {
  endpointSecurity: ['エンドポイントセキュリティ', '端末'],
  edrSecurity: ['EDRセキュリティ', '端末'],
  cloudSandbox: ['クラウドサンドボックス', '端末'],
  cloudProxy: ['クラウドプロキシ', '名'],
  elgana: ['elgana', 'ID'],
};

export function servicesJa(services: Record<string, unknown>): string[] {
  return Object.entries(services).flatMap(([key, value]) => {
    if (key === 'gatewaySecurity') {
      const g = value as { tier: number; failureSupport24h: boolean };
      return [`ゲートウェイセキュリティ ${g.tier}クライアント向け${g.failureSupport24h ? '' : ' (24時間機器故障対応なし)'}`];
    }
    const count = Object.values(value as Record<string, number>)[0] ?? 0;
    const [name, unit] = SERVICE_NAMES[key] ?? ['その他のサービス', ''];
    return count > 0 ? [`${name} ${count}${unit}`] : [];
  });
}
