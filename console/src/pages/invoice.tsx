import { BillLines, BillTotals } from '../components/bill';
import { Status } from '../components/layout';
import { Id, Tag } from '../components/text';
import { dateJa, revisionJa } from '../format';
import { useLookup, usePageTitle } from '../hooks';
import { BILLING_METHODS } from '../labels';
import { href } from '../router';
import type { Invoice } from '../types';

const enc = encodeURIComponent;

/**
 * The invoice as a qualified invoice (適格請求書, interface §7.5, rules.md I5): issuer and
 * 登録番号, 請求書番号, 発行日, 取引年月, 宛名 御中, the lines 税抜, 10%対象 and its 消費税,
 * 不課税, 合計; adjustments 調整 naming the invoice they correct; 仮 on placeholders.
 * The print stylesheet leaves out the menu and the buttons: it prints on one A4 page.
 */
export function InvoiceView({ invoice }: { invoice: Invoice }) {
  usePageTitle(`請求書 ${invoice.invoiceId}`);
  const adjustments = invoice.lines.filter((line) => line.kind === 'adjustment');
  const credit = invoice.tax.total < 0;
  const placeholderPrice = invoice.lines.some((line) => line.placeholder);
  return (
    <article class="invoice" data-testid="invoice" aria-labelledby="invoice-title">
      <div class="invoice-actions no-print">
        <a href={href.contract(invoice.contractId)}>契約に戻る</a>
        <button type="button" onClick={() => print()}>
          印刷する
        </button>
      </div>
      <h2 id="invoice-title" class="invoice-title">
        {credit ? '請求書 (適格請求書・適格返還請求書)' : '請求書 (適格請求書)'}
      </h2>
      <div class="invoice-head">
        <div class="addressee">
          <p class="to">
            <span class="name">{invoice.customer.name}</span> 御中
          </p>
          <p>
            お客様番号 <Id>{invoice.customer.customerId}</Id>
          </p>
          <p>
            契約 <Id>{invoice.contractId}</Id>
          </p>
        </div>
        <dl class="facts invoice-facts">
          <dt>請求書番号</dt>
          <dd>
            <Id>{invoice.invoiceId}</Id>
          </dd>
          <dt>発行日</dt>
          <dd>{dateJa(invoice.issueDate)}</dd>
          <dt>取引年月</dt>
          <dd>{dateJa(invoice.month)}分</dd>
          <dt>お支払方法</dt>
          <dd>{BILLING_METHODS[invoice.billingMethod] ?? '—'}</dd>
          <dt>料金表</dt>
          <dd>{revisionJa(invoice.revision)}</dd>
        </dl>
        <div class="issuer" data-testid="issuer">
          <p class="name">
            {invoice.issuer.name}
            {invoice.issuer.placeholder && (
              <>
                {' '}
                <Tag kind="placeholder">仮</Tag>
              </>
            )}
          </p>
          <p>
            登録番号 <Id>{invoice.issuer.registrationNumber}</Id>
            {invoice.issuer.placeholder && (
              <>
                {' '}
                <Tag kind="placeholder">仮</Tag>
              </>
            )}
          </p>
        </div>
      </div>
      <p class="amount-due">
        {credit ? 'ご返金額 (相殺)' : 'ご請求金額'} (税込) <strong class="yen">{`${Math.abs(invoice.tax.total).toLocaleString('ja-JP')}円`}</strong>
      </p>
      <BillLines lines={invoice.lines} ratePercent={invoice.tax.ratePercent} testId="invoice-lines" />
      <BillTotals subtotal={invoice.subtotal} tax={invoice.tax} testId="invoice-totals" />
      <ul class="notes">
        <li>消費税は{invoice.tax.ratePercent}%対象の合計額に対して一括で計算しています (1円未満切り捨て)。解約金は不課税です。</li>
        {adjustments.length > 0 && <li>「調整」の行は、発行済みの請求書の内容を訂正する差額です。訂正する請求書の番号を各行に記載しています。</li>}
        {credit && <li>合計が負の額のため、この額をご返金または次回以降のご請求と相殺します。</li>}
        {invoice.issuer.placeholder && <li>※「仮」: 発行者名・登録番号は運用者が設定するまでの仮の値です。</li>}
        {placeholderPrice && <li>※「仮」の金額は規約に記載がなく、運用者が設定する仮の値です。</li>}
      </ul>
    </article>
  );
}

export function InvoicePage({ invoiceId }: { invoiceId: string }) {
  const invoice = useLookup<Invoice>(`/invoices/${enc(invoiceId)}`);
  usePageTitle(invoice.data ? null : `請求書 ${invoiceId}`);
  return (
    <>
      <Status {...invoice} />
      {invoice.data && <InvoiceView invoice={invoice.data} />}
    </>
  );
}
