import { render, type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type {
  ChargesResponse,
  ContractResponse,
  ContractsResponse,
  OrderResponse,
  QuoteResponse,
  RenewalsResponse,
  TariffResponse,
} from '../../functions/http/lookup-responses';
import { lookup, LookupFailedError, useSession } from './api';
import { SignInFailedError, startSession } from './session';
import { dateJa, instantJa, planJa, yen } from './format';

/**
 * The customer-service console (docs/interface.md §6): search a contract by contract,
 * line, customer or order id; read its term, quote, charges; the tariff; the renewal
 * month's contracts. Everything in Japanese; every amount labelled 税抜 or 税込.
 */
type View =
  | { name: 'search' }
  | { name: 'contract'; contractId: string }
  | { name: 'customer'; customerId: string }
  | { name: 'order'; orderId: string }
  | { name: 'line'; lineId: string }
  | { name: 'tariff' }
  | { name: 'renewals' };

const enc = encodeURIComponent;

function viewOf(hash: string): View {
  const [, kind, id] = /^#\/(\w+)(?:\/(.+))?$/.exec(hash) ?? [];
  const value = id ? decodeURIComponent(id) : '';
  if (kind === 'contracts' && value) return { name: 'contract', contractId: value };
  if (kind === 'customers' && value) return { name: 'customer', customerId: value };
  if (kind === 'orders' && value) return { name: 'order', orderId: value };
  if (kind === 'lines' && value) return { name: 'line', lineId: value };
  if (kind === 'tariff') return { name: 'tariff' };
  if (kind === 'renewals') return { name: 'renewals' };
  return { name: 'search' };
}

/** A lookup's state: loading, its answer, or the Japanese message of its failure. */
function useLookup<T>(path: string | null): { data: T | null; error: string | null; loading: boolean } {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: path !== null });
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState({ data: null, error: null, loading: true });
    lookup<T>(path).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState({ data: null, error: error instanceof LookupFailedError ? error.message : '照会に失敗しました。', loading: false }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  return state;
}

function Status({ error, loading }: { error: string | null; loading: boolean }) {
  if (loading) return <p aria-live="polite">読み込み中…</p>;
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  return null;
}

function Table({ headers, children }: { headers: string[]; children: ComponentChildren }) {
  return (
    <table>
      <thead>
        <tr>
          {headers.map((header) => (
            <th scope="col" key={header}>
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** One field and its button: the date or month a lookup is for (empty: today, or this month). */
function QueryForm({
  label,
  name,
  placeholder,
  button,
  onQuery,
}: {
  label: string;
  name: string;
  placeholder: string;
  button: string;
  onQuery: (value: string) => void;
}) {
  const [value, setValue] = useState('');
  return (
    <form
      class="row"
      onSubmit={(e) => {
        e.preventDefault();
        onQuery(value.trim());
      }}
    >
      <label>
        {label}
        <input name={name} placeholder={placeholder} inputMode="numeric" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit">{button}</button>
    </form>
  );
}

const SEARCH_KINDS = [
  { value: 'contracts', label: '契約ID' },
  { value: 'lines', label: '回線ID' },
  { value: 'customers', label: '顧客ID' },
  { value: 'orders', label: '注文番号' },
] as const;

function Search() {
  const [kind, setKind] = useState<string>('contracts');
  const [id, setId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: Event) => {
    event.preventDefault();
    const value = id.trim();
    if (value === '') {
      setProblem('IDを入力してください。');
      return;
    }
    setProblem(null);
    location.hash = `#/${kind}/${enc(value)}`;
  };
  return (
    <Section title="契約の検索">
      <form onSubmit={submit} class="row">
        <label>
          検索の種類
          <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
            {SEARCH_KINDS.map((k) => (
              <option value={k.value} key={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          ID
          <input name="id" value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} autocomplete="off" />
        </label>
        <button type="submit">検索</button>
      </form>
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
    </Section>
  );
}

const SERVICE_NAMES: Record<string, [string, string]> = {
  endpointSecurity: ['エンドポイントセキュリティ', '端末'],
  edrSecurity: ['EDRセキュリティ', '端末'],
  cloudSandbox: ['クラウドサンドボックス', '端末'],
  cloudProxy: ['クラウドプロキシ', '名'],
  elgana: ['elgana', 'ID'],
};

function servicesJa(services: Record<string, unknown>): string[] {
  return Object.entries(services).flatMap(([key, value]) => {
    if (key === 'gatewaySecurity') {
      const g = value as { tier: number; failureSupport24h: boolean };
      return [`ゲートウェイセキュリティ ${g.tier}クライアント向け${g.failureSupport24h ? '' : ' (24時間故障対応なし)'}`];
    }
    const count = Object.values(value as Record<string, number>)[0] ?? 0;
    const [name, unit] = SERVICE_NAMES[key] ?? [key, ''];
    return count > 0 ? [`${name} ${count}${unit}`] : [];
  });
}

/** Months 1–12 of the term (docs/terms.md L1), the renewal month marked 更新月. */
function TermMonths({ term }: { term: NonNullable<ContractResponse['term']> }) {
  const [year, month] = term.renewalMonth.split('-').map(Number) as [number, number];
  const months = Array.from({ length: 12 }, (_, i) => {
    const index = year * 12 + (month - 1) - (11 - i);
    return { k: i + 1, label: `${Math.floor(index / 12)}年${(index % 12) + 1}月` };
  });
  return (
    <ol class="months" aria-label="契約期間の各月">
      {months.map(({ k, label }) => (
        <li key={k} class={k === 12 ? 'renewal' : ''}>
          {k}ヵ月目 {label}
          {k === 12 && <strong> 更新月</strong>}
        </li>
      ))}
    </ol>
  );
}

function ContractDetail({ contract }: { contract: ContractResponse }) {
  return (
    <>
      <Section title={`契約 ${contract.contractId}`}>
        <dl>
          <dt>状態</dt>
          <dd>{contract.status === 'live' ? '契約中' : '解約済み'}</dd>
          <dt>お客様</dt>
          <dd>
            {contract.customer.name} ({contract.customer.customerId})
          </dd>
          <dt>回線</dt>
          <dd>{contract.lineId}</dd>
          <dt>プラン</dt>
          <dd>{planJa(contract.plan)}</dd>
          <dt>サービス</dt>
          <dd>{servicesJa(contract.services as Record<string, unknown>).join('、') || 'なし'}</dd>
          <dt>利用開始日</dt>
          <dd>{dateJa(contract.startDate)}</dd>
          <dt>解約</dt>
          <dd>
            {contract.cancellation
              ? `解約日 ${dateJa(contract.cancellation.effectiveDate)}、解約金 ${yen(contract.cancellation.terminationFee.amount)} (不課税)`
              : 'なし'}
          </dd>
        </dl>
      </Section>
      <Section title="契約期間 (最低利用期間)">
        {contract.term ? (
          <>
            <p>
              第{contract.term.number}期: {dateJa(contract.term.start)}〜{dateJa(contract.term.end)}、更新月 {dateJa(contract.term.renewalMonth)}
            </p>
            <TermMonths term={contract.term} />
          </>
        ) : (
          <p>このプランに最低利用期間はありません。</p>
        )}
      </Section>
      <Quote contractId={contract.contractId} />
      <Charges contractId={contract.contractId} />
      <Section title="履歴">
        <Table headers={['日時', '内容', '注文番号']}>
          {contract.history.map((entry, i) => (
            <tr key={i}>
              <td>{instantJa(entry.at)}</td>
              <td>{entry.summary}</td>
              <td>{entry.orderId ?? '—'}</td>
            </tr>
          ))}
        </Table>
      </Section>
    </>
  );
}

function Quote({ contractId }: { contractId: string }) {
  const [path, setPath] = useState<string | null>(null);
  const quote = useLookup<QuoteResponse>(path);
  return (
    <Section title="解約金の試算">
      <QueryForm
        label="解約日 (YYYY-MM-DD、空欄は本日)"
        name="quoteDate"
        placeholder="2024-07-31"
        button="試算"
        onQuery={(date) => setPath(`/contracts/${enc(contractId)}/termination-quote${date ? `?date=${enc(date)}` : ''}`)}
      />
      <Status {...quote} />
      {quote.data && (
        <p class="figure" data-testid="quote">
          {dateJa(quote.data.effectiveDate)}に解約の場合: 解約金 <strong>{yen(quote.data.amount)}</strong> (不課税) = 基本料金① {yen(quote.data.basicFee)} ×
          残り
          {quote.data.remainingMonths}ヵ月 (料金表 {quote.data.revision}、{quote.data.clause}){quote.data.placeholder ? ' ※基本料金①は仮の金額' : ''}
        </p>
      )}
    </Section>
  );
}

function Charges({ contractId }: { contractId: string }) {
  const [path, setPath] = useState<string | null>(null);
  const bill = useLookup<ChargesResponse>(path);
  return (
    <Section title="月額料金 (請求月)">
      <QueryForm
        label="請求月 (YYYY-MM、空欄は今月)"
        name="month"
        placeholder="2024-06"
        button="表示"
        onQuery={(month) => setPath(`/contracts/${enc(contractId)}/charges${month ? `?month=${enc(month)}` : ''}`)}
      />
      <Status {...bill} />
      {bill.data && (
        <div data-testid="charges">
          <p>
            {dateJa(bill.data.month)}分 (料金表 {bill.data.revision})
          </p>
          <Table headers={['項目', '数量', '単価 (税抜)', '金額 (税抜)', '根拠']}>
            {bill.data.lines.map((line, i) => (
              <tr key={i}>
                <td>
                  {line.label.replace(/ \(placeholder:.*\)$/, '')}
                  {line.placeholder && <span class="tag"> 仮</span>}
                  {line.kind === 'termination-fee' && <span class="tag"> 不課税</span>}
                  {line.kind === 'one-off' && <span class="tag"> 単発 {dateJa(line.date)}</span>}
                </td>
                <td>{line.quantity}</td>
                <td>{yen(line.unitPrice)}</td>
                <td>{yen(line.amount)}</td>
                <td>{line.clause}</td>
              </tr>
            ))}
          </Table>
          <dl class="totals">
            <dt>小計 (税抜)</dt>
            <dd>{yen(bill.data.subtotal)}</dd>
            <dt>
              消費税 ({bill.data.tax.ratePercent}%、課税対象 {yen(bill.data.tax.taxableSubtotal)})
            </dt>
            <dd>{yen(bill.data.tax.consumptionTax)}</dd>
            <dt>合計 (税込)</dt>
            <dd>
              <strong>{yen(bill.data.tax.total)}</strong>
            </dd>
          </dl>
          {bill.data.placeholders && <p>※「仮」の金額は規約に記載がなく、運用者が設定する仮の値です。</p>}
        </div>
      )}
    </Section>
  );
}

function ContractPage({ path }: { path: string }) {
  const contract = useLookup<ContractResponse>(path);
  return (
    <>
      <Status {...contract} />
      {contract.data && <ContractDetail contract={contract.data} />}
    </>
  );
}

function LinePage({ lineId }: { lineId: string }) {
  const line = useLookup<{ contractId: string }>(`/lines/${enc(lineId)}/contract`);
  return (
    <>
      <Status {...line} />
      {line.data && <ContractPage path={`/contracts/${enc(line.data.contractId)}`} />}
    </>
  );
}

function ContractList({ contracts }: { contracts: Array<{ contractId: string; plan: { code: string; tier?: number }; status: string; startDate: string }> }) {
  if (contracts.length === 0) return <p>該当する契約はありません。</p>;
  return (
    <ul>
      {contracts.map((c) => (
        <li key={c.contractId}>
          <a href={`#/contracts/${enc(c.contractId)}`}>{c.contractId}</a> {planJa(c.plan)}、利用開始日 {dateJa(c.startDate)}、
          {c.status === 'live' ? '契約中' : '解約済み'}
        </li>
      ))}
    </ul>
  );
}

function CustomerPage({ customerId }: { customerId: string }) {
  const list = useLookup<ContractsResponse>(`/customers/${enc(customerId)}/contracts`);
  return (
    <Section title={`顧客 ${customerId} の契約`}>
      <Status {...list} />
      {list.data && <ContractList contracts={list.data.contracts} />}
    </Section>
  );
}

function OrderPage({ orderId }: { orderId: string }) {
  const order = useLookup<OrderResponse>(`/orders/${enc(orderId)}`);
  const detail = order.data?.outcome.detail as { contract?: { contractId: string }; contractId?: string | null } | undefined;
  const contractId = detail?.contract?.contractId ?? detail?.contractId ?? null;
  return (
    <Section title={`注文 ${orderId}`}>
      <Status {...order} />
      {order.data && (
        <dl>
          <dt>注文の種類</dt>
          <dd>{order.data.detailType ?? '—'}</dd>
          <dt>受付日時</dt>
          <dd>{instantJa(order.data.receivedAt)}</dd>
          <dt>結果</dt>
          <dd>{order.data.outcome.detailType}</dd>
          <dt>通知</dt>
          <dd>{order.data.published ? '送信済み' : '未送信'}</dd>
          <dt>契約</dt>
          <dd>{contractId ? <a href={`#/contracts/${enc(contractId)}`}>{contractId}</a> : '—'}</dd>
        </dl>
      )}
    </Section>
  );
}

function TariffPage() {
  const [path, setPath] = useState<string | null>(null);
  const tariff = useLookup<TariffResponse>(path);
  return (
    <Section title="料金表">
      <QueryForm
        label="適用日 (YYYY-MM-DD、空欄は本日)"
        name="tariffDate"
        placeholder="2024-04-01"
        button="表示"
        onQuery={(date) => setPath(`/tariff${date ? `?date=${enc(date)}` : ''}`)}
      />
      <Status {...tariff} />
      {tariff.data && (
        <div data-testid="tariff">
          <p>
            {tariff.data.title} ({dateJa(tariff.data.effectiveFrom)}から適用)
          </p>
          <Table headers={['項目', '単位', '金額 (税抜)', '根拠']}>
            {Object.entries(tariff.data.prices).map(([item, entry]) =>
              entry ? (
                <tr key={item}>
                  <td>
                    {entry.label.replace(/ \(placeholder:.*\)$/, '')}
                    {entry.placeholder && <span class="tag"> 仮</span>}
                  </td>
                  <td>{entry.unit}</td>
                  <td>{yen(entry.amount)}</td>
                  <td>{entry.clause}</td>
                </tr>
              ) : null,
            )}
          </Table>
        </div>
      )}
    </Section>
  );
}

function RenewalsPage() {
  const [path, setPath] = useState<string | null>(null);
  const list = useLookup<RenewalsResponse>(path);
  return (
    <Section title="更新月の契約">
      <QueryForm
        label="更新月 (YYYY-MM、空欄は今月)"
        name="renewalMonth"
        placeholder="2025-04"
        button="表示"
        onQuery={(month) => setPath(`/renewals?limit=200${month ? `&month=${enc(month)}` : ''}`)}
      />
      <Status {...list} />
      {list.data && (
        <div data-testid="renewals">
          <p>{dateJa(list.data.month)}が更新月の契約 (この月の解約は解約金なし)</p>
          {list.data.contracts.length === 0 ? (
            <p>該当する契約はありません。</p>
          ) : (
            <ul>
              {list.data.contracts.map((c) => (
                <li key={c.contractId}>
                  <a href={`#/contracts/${enc(c.contractId)}`}>{c.contractId}</a> {c.customer.name}、{c.willRenew ? '自動更新予定' : '更新なし (解約予定)'}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Section>
  );
}

function App({ signOut }: { signOut: (() => void) | null }) {
  const [view, setView] = useState<View>(viewOf(location.hash));
  useEffect(() => {
    const onHash = () => setView(viewOf(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return (
    <>
      <header>
        <h1>セキュリティおまかせプラン 契約照会</h1>
        <nav aria-label="メニュー">
          <a href="#/search">検索</a>
          <a href="#/tariff">料金表</a>
          <a href="#/renewals">更新月の契約</a>
          {signOut && (
            <button type="button" class="link" onClick={signOut}>
              サインアウト
            </button>
          )}
        </nav>
      </header>
      <main>
        {view.name === 'search' && <Search />}
        {view.name === 'contract' && <ContractPage path={`/contracts/${enc(view.contractId)}`} key={view.contractId} />}
        {view.name === 'line' && <LinePage lineId={view.lineId} key={view.lineId} />}
        {view.name === 'customer' && <CustomerPage customerId={view.customerId} key={view.customerId} />}
        {view.name === 'order' && <OrderPage orderId={view.orderId} key={view.orderId} />}
        {view.name === 'tariff' && <TariffPage />}
        {view.name === 'renewals' && <RenewalsPage />}
      </main>
    </>
  );
}

const root = document.getElementById('app') as HTMLElement;
startSession().then(
  (session) => {
    // null: the browser is on its way to the sign-in page.
    if (!session) return;
    useSession(session);
    render(<App signOut={session.signOut} />, root);
  },
  (error: unknown) =>
    render(
      <main>
        <p role="alert" class="error">
          {error instanceof SignInFailedError ? error.message : 'コンソールを開始できませんでした。ページを再読み込みしてください。'}
        </p>
      </main>,
      root,
    ),
);
