import type { ComponentChildren } from 'preact';
import { withoutPlaceholderNote } from '../../../functions/domain/tariff-labels';
import { dateJa, jaText, yen } from '../format';
import { countOf, LINE_KINDS } from '../labels';
import { href } from '../router';
import type { BillLineView, BillTax } from '../types';
import { DataTable } from './table';
import { Id, Tag, Yen } from './text';

/** The catalog marks an operator placeholder in the label too: the console says 仮 instead. */
export function itemLabel(line: { label?: string; item: string }): string {
  return withoutPlaceholderNote(line.label ?? line.item);
}

/** 不課税 (T3: a termination fee, or its adjustment, unless the operator made it taxable), else the rate's 対象. */
export function isTaxable(line: BillLineView): boolean {
  if (line.taxable !== undefined) return line.taxable;
  return line.kind !== 'termination-fee';
}

/** What a line's numbers mean, in words: 日割 and its days, what the plan includes, ※4, ※1, an adjustment's invoice. */
function notes(line: BillLineView): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  if (line.prorated) {
    const { liveDays, daysInMonth, fullAmount } = line.prorated;
    out.push(`日割: ${daysInMonth}日中${liveDays}日分 (1か月分 ${yen(fullAmount)} × ${liveDays}/${daysInMonth}、1円未満切り捨て)`);
  }
  if (line.includedQuantity) {
    const { name, unit } = countOf(line.item);
    out.push(`${name} ${line.includedQuantity}${unit}込み (プランに含む)。超過の${line.quantity}${unit}分を請求`);
  }
  if (line.discount) out.push(`24時間機器故障対応なし割引: 1台${yen(line.discount.perUnit)}引 (${jaText(line.discount.clause)})`);
  if (line.waived) out.push(`初回設置のため無料 (通常 ${yen(line.waived.unitPrice)}、${jaText(line.waived.clause)})`);
  if (line.kind === 'one-off' && line.date) {
    out.push(
      <>
        実施日 {dateJa(line.date)}
        {line.orderId && (
          <>
            {' '}
            (注文 <Id>{line.orderId}</Id>)
          </>
        )}
      </>,
    );
  }
  if (line.kind === 'termination-fee' && line.date) out.push(`解約日 ${dateJa(line.date)}、残り${line.quantity}か月分`);
  if (line.adjusts) {
    const kind = line.adjusts.kind ? `の${LINE_KINDS[line.adjusts.kind] ?? ''}` : '';
    out.push(
      <>
        {dateJa(line.adjusts.month)}分{kind}の訂正 (差額調整、訂正する請求書{' '}
        <a href={href.invoice(line.adjusts.invoiceId)}>
          <Id>{line.adjusts.invoiceId}</Id>
        </a>
        )
      </>,
    );
  }
  return out;
}

function tags(line: BillLineView): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  if (line.kind === 'adjustment') out.push(<Tag kind="adjust">調整</Tag>);
  if (line.prorated) out.push(<Tag>日割</Tag>);
  if (line.kind === 'one-off') out.push(<Tag>単発</Tag>);
  if (line.placeholder) out.push(<Tag kind="placeholder">仮</Tag>);
  return out;
}

/** The lines of a bill or an invoice: item, quantity, unit price and amount (税抜), tax class, clause. */
export function BillLines({ lines, ratePercent, testId }: { lines: BillLineView[]; ratePercent: number; testId?: string }) {
  return (
    <DataTable
      testId={testId}
      columns={[
        { label: '項目' },
        { label: '数量', num: true },
        { label: '単価 (税抜)', num: true },
        { label: '金額 (税抜)', num: true },
        { label: '税区分' },
        { label: '根拠' },
      ]}
      rows={lines.map((line, i) => ({
        key: i,
        class: line.kind === 'adjustment' ? 'adjustment' : undefined,
        cells: [
          <>
            <span class="item">
              {itemLabel(line)}
              {tags(line).map((tag, j) => (
                <span key={j}> {tag}</span>
              ))}
            </span>
            {notes(line).map((note, j) => (
              <span class="note" key={j}>
                {note}
              </span>
            ))}
          </>,
          <span class="nowrap">{line.quantity.toLocaleString('ja-JP')}</span>,
          <Yen amount={line.unitPrice} />,
          <Yen amount={line.amount} />,
          <span class="nowrap">{isTaxable(line) ? `${ratePercent}%対象` : '不課税'}</span>,
          jaText(line.clause),
        ],
      }))}
    />
  );
}

/** 10%対象 and its 消費税, 不課税, 小計, 合計: the tax once for the bill (T2); a negative total is a credit. */
export function BillTotals({ subtotal, tax, testId }: { subtotal: number; tax: BillTax; testId?: string }) {
  const untaxed = subtotal - tax.taxableSubtotal;
  const credit = tax.total < 0;
  return (
    <dl class="totals" data-testid={testId}>
      <dt>{tax.ratePercent}%対象 (税抜)</dt>
      <dd>
        <Yen amount={tax.taxableSubtotal} />
      </dd>
      <dt>消費税 ({tax.ratePercent}%)</dt>
      <dd>
        <Yen amount={tax.consumptionTax} />
      </dd>
      <dt>不課税</dt>
      <dd>
        <Yen amount={untaxed} />
      </dd>
      <dt>小計 (税抜)</dt>
      <dd>
        <Yen amount={subtotal} />
      </dd>
      <dt class="grand">{credit ? '合計 (税込、ご返金・相殺)' : '合計 (税込)'}</dt>
      <dd class="grand">
        <strong>
          <Yen amount={tax.total} />
        </strong>
      </dd>
    </dl>
  );
}
