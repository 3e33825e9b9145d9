import type { ContractResponse } from '../types';
import { Tag } from './text';

type Term = NonNullable<ContractResponse['term']>;

/** Months 1–12 of the term (docs/terms.md L1): the renewal month marked 更新月, a cancellation's month 解約月. */
export function TermMonths({ term, cancellationMonth }: { term: Term; cancellationMonth: string | null }) {
  const [year, month] = term.renewalMonth.split('-').map(Number) as [number, number];
  const months = Array.from({ length: 12 }, (_, i) => {
    const index = year * 12 + (month - 1) - (11 - i);
    const y = Math.floor(index / 12);
    const m = (index % 12) + 1;
    return { k: i + 1, label: `${y}年${m}月`, iso: `${y}-${String(m).padStart(2, '0')}` };
  });
  return (
    <ol class="months" aria-label="契約期間の各月">
      {months.map(({ k, label, iso }) => {
        const renewal = k === 12;
        const cancelled = iso === cancellationMonth;
        return (
          <li key={k} class={[renewal ? 'renewal' : '', cancelled ? 'cancelled' : ''].join(' ').trim() || undefined}>
            <span class="nowrap">{k}ヵ月目</span> <span class="nowrap">{label}</span>
            {renewal && <strong> 更新月</strong>}
            {cancelled && <Tag kind="cancel"> 解約月</Tag>}
          </li>
        );
      })}
    </ol>
  );
}
