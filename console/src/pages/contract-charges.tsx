import { useState } from 'preact/hooks';
import { BillLines, BillTotals } from '../components/bill';
import { Section, Status } from '../components/layout';
import { QueryForm } from '../components/query-form';
import { dateJa, jaText, revisionJa } from '../format';
import { useLookup } from '../hooks';
import type { ChargesResponse } from '../types';

const enc = encodeURIComponent;

const FEE_NAMES: Record<string, string> = { 'invoice.issuance': '請求書等発行手数料', 'invoice.collection': '請求書払い収納手数料' };

/** The charges of a chosen month (interface §3): lines, 10%対象 and 消費税, 不課税, 合計; the 別紙12 fees it does not bear, and why. */
export function Charges({ contractId }: { contractId: string }) {
  const [path, setPath] = useState<string | null>(null);
  const bill = useLookup<ChargesResponse>(path);
  const b = bill.data;
  return (
    <Section title="月額料金 (請求月)">
      <QueryForm
        kind="month"
        label="請求月"
        name="month"
        hint="例: 2024年6月、2024/06。空欄は今月。"
        button="表示"
        onQuery={(month) => setPath(`/contracts/${enc(contractId)}/charges${month ? `?month=${enc(month)}` : ''}`)}
      />
      <Status {...bill} fields={{ month: '請求月' }} />
      {b && (
        <div data-testid="charges">
          <p>
            {dateJa(b.month)}分 ({revisionJa(b.revision, b.revisionEffectiveFrom)}の料金表)
          </p>
          <BillLines lines={b.lines} ratePercent={b.tax.ratePercent} />
          <BillTotals subtotal={b.subtotal} tax={b.tax} />
          {b.exemptions.length > 0 && (
            <ul class="notes">
              {b.exemptions.map((e) => (
                <li key={e.item}>
                  {FEE_NAMES[e.item] ?? '手数料'}: {jaText(e.reason)} ({jaText(e.clause)})
                </li>
              ))}
            </ul>
          )}
          {b.placeholders && <p class="note">※「仮」の金額は規約に記載がなく、運用者が設定する仮の値です。</p>}
        </div>
      )}
    </Section>
  );
}
