import { oneOffFeeFor } from '../../functions/domain/charges/one-off-order';
import type { Contract, HistoryEntry, HistoryType } from '../../functions/domain/contract';
import { createContract, renewThrough, withCancellation, withOneOffFee, withPlanChange, withServices } from '../../functions/domain/contract-lifecycle';
import { BillingRunNotFoundError } from '../../functions/domain/errors';
import { SHIPPED_CATALOG, type PriceEntry } from '../../functions/domain/tariff/catalog';
import { PLACEHOLDER_NOTE, UNIT_LABELS, unitLabel, withoutPlaceholderNote } from '../../functions/domain/tariff-labels';
import { notBilledReason } from '../../functions/use-cases/deps';
import { englishWordsIn, JAPANESE } from '../support/japanese-text';
import { anApplication } from './fixtures';

/**
 * What the domain writes for people to read, beyond the reasons and errors that
 * test/http/japanese-messages.test.ts scans: the history's summaries (interface §3), the
 * tariff's labels and units, a billing run's failure reasons. Japanese, dates as
 * 2024年5月10日, no English word of three letters or more but the products' own names.
 */
function expectJapanese(text: string): void {
  expect({ text, english: englishWordsIn(text), iso: /\d{4}-\d{2}/.test(text) }).toEqual({ text, english: [], iso: false });
  expect(text).toMatch(JAPANESE);
}

const untaxed = { taxable: false };

/** A contract through every kind of change, and a second one whose cancellation withdraws a renewal (L3). */
function histories(): Contract[] {
  const created = createContract(anApplication(), SHIPPED_CATALOG);
  const changed = withServices(
    created,
    {
      orderId: 'ORD-S',
      requestedAt: '2024-06-01T09:00:00+09:00',
      services: {
        edrSecurity: { terminals: 10 },
        gatewaySecurity: { tier: 50, failureSupport24h: false },
        cloudSandbox: { terminals: 3 },
        cloudProxy: { users: 2 },
        elgana: { ids: 5 },
      },
    },
    SHIPPED_CATALOG,
  );
  const fee = oneOffFeeFor(SHIPPED_CATALOG, changed, {
    date: '2024-06-05',
    visitSupport: { items: [{ item: 'basicWork', quantity: 1 }] },
    dataMigration: { devices: [{ volumeGB: 10 }] },
  });
  const charged = withOneOffFee(
    changed,
    { orderId: 'ORD-O', date: fee.date, revision: fee.revision, lines: fee.lines, subtotal: fee.subtotal },
    '2024-06-01T09:00:00+09:00',
    SHIPPED_CATALOG,
  );
  const renewed = renewThrough(charged, '2025-05', '2025-05-01T00:05:00+09:00').contract;
  const { contract: planChanged } = withPlanChange(
    renewed,
    {
      orderId: 'ORD-P',
      requestedAt: '2025-06-10T09:00:00+09:00',
      effectiveDate: '2025-07-01',
      plan: { code: 'none' },
      services: { endpointSecurity: { terminals: 5 } },
    },
    SHIPPED_CATALOG,
    untaxed,
  );
  // Asked on the last day of term 1, processed after the run renewed it: the renewal is withdrawn.
  const lateCancel = withCancellation(
    renewed,
    { orderId: 'ORD-C', requestedAt: '2025-04-30T18:00:00+09:00', effectiveDate: '2025-04-30' },
    SHIPPED_CATALOG,
    untaxed,
  );
  return [planChanged, lateCancel];
}

describe('history summaries (interface §3)', () => {
  const entries = [...new Map(histories().flatMap((c) => c.history.map((e): [string, HistoryEntry] => [e.summary, e]))).values()];

  it('covers every kind of history entry', () => {
    const kinds: Record<HistoryType, true> = {
      ContractCreated: true,
      ContractServicesChanged: true,
      ContractCancelled: true,
      ContractRenewed: true,
      ContractPlanChanged: true,
      OneOffFeeCharged: true,
    };
    expect([...new Set(entries.map((e) => e.type))].sort()).toEqual(Object.keys(kinds).sort());
  });

  it.each(['ContractCreated', 'ContractServicesChanged', 'ContractCancelled', 'ContractRenewed', 'ContractPlanChanged', 'OneOffFeeCharged'])(
    '%s: Japanese, dates as 2024年5月10日, yen as 19,000円',
    (type) => {
      const summaries = entries.filter((e) => e.type === type).map((e) => e.summary);
      expect(summaries.length).toBeGreaterThan(0);
      for (const summary of summaries) expectJapanese(summary);
    },
  );

  it('reads as customer service says it', () => {
    expect(entries.map((e) => e.summary)).toEqual([
      '新規契約: プライムPlusプラン (10クライアント向け)、利用開始日 2024年5月10日。サービスはEDRセキュリティ 8端末、クラウドプロキシ 2名、elgana 5ID',
      'サービス変更: 変更後のサービスはEDRセキュリティ 10端末、ゲートウェイセキュリティ (50クライアント向け、24時間機器故障対応なし)、クラウドサンドボックス 3端末、クラウドプロキシ 2名、elgana 5ID',
      '単発サービス: 2024年6月5日、出張サポート・データ移行、109,000円 (税抜)',
      '自動更新: 第2期 2025年5月1日〜2026年4月30日',
      'プラン変更: プライムPlusプラン (10クライアント向け) → パッケージプランなし、適用日 2025年7月1日、解約金 27,000円 (不課税)。サービスはエンドポイントセキュリティ 5端末',
      '解約受付: 解約日 2025年4月30日、解約金 0円 (不課税)。第2期への自動更新を取り消し',
    ]);
  });
});

describe('the tariff (interface §3)', () => {
  const prices = SHIPPED_CATALOG.flatMap((revision) => [
    ...Object.values(revision.prices).filter((entry): entry is PriceEntry => entry !== undefined),
    revision.rules.gatewayWithout24hDiscount,
  ]);

  it('labels every price in Japanese, a placeholder with its note', () => {
    for (const entry of prices) {
      expectJapanese(entry.label);
      expect(entry.label.endsWith(PLACEHOLDER_NOTE)).toBe(entry.placeholder === true);
      expect(withoutPlaceholderNote(entry.label)).not.toContain('仮');
    }
    // Invoices issued before keep the English note; the console drops it as it drops the new one.
    expect(
      [
        'クラウドプロキシ利用料 (placeholder: not stated in the seed; set by the operator)',
        `クラウドプロキシ利用料 ${PLACEHOLDER_NOTE}`,
        'データ移行 (4TB)',
      ].map(withoutPlaceholderNote),
    ).toEqual(['クラウドプロキシ利用料', 'クラウドプロキシ利用料', 'データ移行 (4TB)']);
    for (const revision of SHIPPED_CATALOG) {
      expectJapanese(revision.title);
      if (revision.effectiveFromNote !== undefined) expect(englishWordsIn(revision.effectiveFromNote)).toEqual([]);
    }
  });

  it('keeps each unit a code, with a Japanese name for every one the catalog uses', () => {
    const units = [...new Set(prices.map((entry) => entry.unit))].sort();
    expect(units).toEqual(Object.keys(UNIT_LABELS).sort());
    for (const unit of units) expectJapanese(unitLabel(unit));
    expect(['device/month', 'visit', 'invoice', 'payment', 'constructor', 'kg'].map(unitLabel)).toEqual(['台・月', '回', '通', '回', 'constructor', 'kg']);
  });
});

describe('the billing run (interface §7.3)', () => {
  it('names a month in Japanese when its files are not ready', () => {
    expect(new BillingRunNotFoundError('2024-05').message).toBe('2024年5月の請求締めはまだ完了していません。締めの完了後に出力ファイルを取得できます。');
  });

  it('gives a contract it could not bill a Japanese reason: the domain’s message, or a pointer to the log', () => {
    const refusal = new Error('2024年5月は契約の利用期間外です');
    expect(notBilledReason(refusal)).toBe('請求書を発行できませんでした: 2024年5月は契約の利用期間外です');
    const internal = Object.assign(new Error('the contract kept changing during 3 attempts'), { name: 'ConflictError' });
    for (const reason of [notBilledReason(internal), notBilledReason('boom')]) {
      expectJapanese(reason);
      expect(reason).toMatch(/^請求書を発行できませんでした: /);
      expect(reason).not.toMatch(/ConflictError|kept changing|boom/);
    }
  });
});
