import { useEffect, useState } from 'preact/hooks';
import { lookup } from '../api';
import { Failure, Section } from '../components/layout';
import { DataTable } from '../components/table';
import { Id, Tag, Yen } from '../components/text';
import { dateJa } from '../format';
import { href } from '../router';
import type { Invoice, InvoicesResponse } from '../types';

const enc = encodeURIComponent;

/** The contract's invoices (interface §7.3), newest month first, a page at a time. */
export function Invoices({ contractId }: { contractId: string }) {
  const [invoices, setInvoices] = useState<Invoice[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [state, setState] = useState<{ loading: boolean; error: unknown }>({ loading: true, error: null });
  const load = (token: string | null) => {
    setState({ loading: true, error: null });
    lookup<InvoicesResponse>(`/contracts/${enc(contractId)}/invoices?limit=24${token ? `&nextToken=${enc(token)}` : ''}`).then(
      (page) => {
        setInvoices((shown) => (token ? [...shown, ...page.invoices] : page.invoices));
        setNext(page.nextToken ?? null);
        setState({ loading: false, error: null });
      },
      (error: unknown) => setState({ loading: false, error }),
    );
  };
  useEffect(() => load(null), [contractId]);
  return (
    <Section title="請求書">
      {state.error ? <Failure error={state.error} /> : null}
      {!state.loading && !state.error && invoices.length === 0 && <p>まだ請求書はありません (月次請求で締めた月から発行されます)。</p>}
      {invoices.length > 0 && (
        <DataTable
          testId="invoices"
          columns={[{ label: '取引年月' }, { label: '請求書番号' }, { label: '発行日' }, { label: '合計 (税込)', num: true }, { label: '備考' }]}
          rows={invoices.map((invoice) => ({
            key: invoice.invoiceId,
            cells: [
              <span class="nowrap">{dateJa(invoice.month)}分</span>,
              <a href={href.invoice(invoice.invoiceId)}>
                <Id>{invoice.invoiceId}</Id>
              </a>,
              <span class="nowrap">{dateJa(invoice.issueDate)}</span>,
              <Yen amount={invoice.tax.total} />,
              <span class="tags">
                {invoice.lines.some((line) => line.kind === 'adjustment') && <Tag kind="adjust">調整あり</Tag>}
                {invoice.tax.total < 0 && <Tag>ご返金</Tag>}
                {invoice.placeholder && <Tag kind="placeholder">仮</Tag>}
              </span>,
            ],
          }))}
        />
      )}
      {state.loading && <p aria-live="polite">読み込み中…</p>}
      {next && !state.loading && (
        <button type="button" class="no-print" onClick={() => load(next)}>
          さらに表示
        </button>
      )}
    </Section>
  );
}
