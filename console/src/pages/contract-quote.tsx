import { useState } from 'preact/hooks';
import { Section, Status } from '../components/layout';
import { QueryForm } from '../components/query-form';
import { Yen } from '../components/text';
import { dateJa, jaText, revisionJa } from '../format';
import { useLookup } from '../hooks';
import type { QuoteResponse } from '../types';

const enc = encodeURIComponent;

/** What leaving would cost on a chosen date (interface §3): the fee, its parts and its clause. */
export function Quote({ contractId }: { contractId: string }) {
  const [path, setPath] = useState<string | null>(null);
  const quote = useLookup<QuoteResponse>(path);
  const q = quote.data;
  return (
    <Section title="解約金の試算">
      <QueryForm
        kind="date"
        label="解約日"
        name="quoteDate"
        hint="例: 2024年7月31日、2024/07/31。空欄は本日。"
        button="試算"
        onQuery={(date) => setPath(`/contracts/${enc(contractId)}/termination-quote${date ? `?date=${enc(date)}` : ''}`)}
      />
      <Status {...quote} fields={{ date: '解約日' }} />
      {q && (
        <p class="figure" data-testid="quote">
          {dateJa(q.effectiveDate)}に解約の場合: 解約金{' '}
          <strong>
            <Yen amount={q.amount} />
          </strong>{' '}
          ({q.taxable ? '課税' : '不課税'}) = 基本料金① <Yen amount={q.basicFee} /> × 残り{q.remainingMonths}ヵ月 ({revisionJa(q.revision)}の料金表、
          {jaText(q.clause)}){q.placeholder ? ' ※基本料金①は仮の金額' : ''}
        </p>
      )}
    </Section>
  );
}
