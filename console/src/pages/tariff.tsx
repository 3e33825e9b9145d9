import { useState } from 'preact/hooks';
import { itemLabel } from '../components/bill';
import { Section, Status } from '../components/layout';
import { QueryForm } from '../components/query-form';
import { DataTable } from '../components/table';
import { Tag, Yen } from '../components/text';
import { dateJa, jaText, revisionJa, withTax } from '../format';
import { useLookup, usePageTitle } from '../hooks';
import { unitJa } from '../labels';
import type { TariffResponse } from '../types';

const enc = encodeURIComponent;

/** The tariff in force on a date (interface §3): each price 税抜 with 税込 beside it, its unit, ※4 and the plan's inclusions. */
export function TariffPage() {
  usePageTitle('料金表');
  const [path, setPath] = useState<string | null>(null);
  const tariff = useLookup<TariffResponse>(path);
  const t = tariff.data;
  const discount = t?.rules.gatewayWithout24hDiscount;
  const included = t?.rules.primePlusIncluded;
  return (
    <Section title="料金表">
      <QueryForm
        kind="date"
        label="適用日"
        name="tariffDate"
        hint="例: 2024年4月1日、2024/04/01。空欄は本日。"
        button="表示"
        onQuery={(date) => setPath(`/tariff${date ? `?date=${enc(date)}` : ''}`)}
      />
      <Status {...tariff} fields={{ date: '適用日' }} />
      {t && (
        <div data-testid="tariff">
          <p>
            {revisionJa(t.id, t.effectiveFrom)}の料金表: {jaText(t.title)} ({dateJa(t.effectiveFrom)}から適用)
          </p>
          <DataTable
            columns={[{ label: '項目' }, { label: '単位' }, { label: '税抜', num: true }, { label: '税込 (参考)', num: true }, { label: '根拠' }]}
            rows={Object.entries(t.prices).flatMap(([item, entry]) =>
              entry
                ? [
                    {
                      key: item,
                      cells: [
                        <>
                          {itemLabel({ item, label: entry.label })}
                          {entry.placeholder && (
                            <>
                              {' '}
                              <Tag kind="placeholder">仮</Tag>
                            </>
                          )}
                        </>,
                        unitJa(entry.unit),
                        <Yen amount={entry.amount} />,
                        <Yen amount={withTax(entry.amount)} />,
                        jaText(entry.clause),
                      ],
                    },
                  ]
                : [],
            )}
          />
          <ul class="notes" data-testid="tariff-notes">
            {discount && (
              <li>
                ※4 {itemLabel({ item: '', label: discount.label })}: ゲートウェイセキュリティ装置を24時間機器故障対応なしで契約する場合、1台・月あたり{' '}
                <Yen amount={discount.amount} /> 引 (税抜、税込 <Yen amount={withTax(discount.amount)} />
                )。プライムプラン・プライムPlusプランには適用しません ({jaText(discount.clause)})。
              </li>
            )}
            {included && (
              <li>
                プライムPlusプランに含まれるもの: EDRセキュリティ {included.edrTerminals}端末、クラウドプロキシ {included.cloudProxyUsers}名、elgana{' '}
                {included.elganaIds}
                ID、標的型攻撃メール訓練 年{included.mailTrainingMailsPerYear}通 (別紙7 ※11)。超える分は各料金で請求します。
              </li>
            )}
            <li>税込は1件ごとの参考額です。請求書では10%対象の合計に対して消費税を一括で計算します (1円未満切り捨て)。</li>
            <li>※「仮」の金額は規約に記載がなく、運用者が設定する仮の値です。</li>
          </ul>
        </div>
      )}
    </Section>
  );
}
