import { useState } from 'preact/hooks';
import { Section } from '../components/layout';
import { usePageTitle } from '../hooks';
import { href } from '../router';

const SEARCH_KINDS = [
  { value: 'contracts', label: '契約ID', field: 'ID' },
  { value: 'lines', label: '回線ID', field: 'ID' },
  { value: 'customers', label: '顧客ID', field: 'ID' },
  { value: 'orders', label: '注文番号', field: 'ID' },
  { value: 'names', label: '顧客名 (前方一致)', field: '顧客名' },
] as const;

/** Search by contract, line, customer or order id, or by the start of a customer's name (interface §7.3). */
export function SearchPage() {
  usePageTitle('検索');
  const [kind, setKind] = useState<string>('contracts');
  const [id, setId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const byName = kind === 'names';
  const submit = (event: Event) => {
    event.preventDefault();
    const value = id.trim();
    if (value === '') {
      setProblem(byName ? '顧客名を入力してください。' : 'IDを入力してください。');
      return;
    }
    if (byName && Array.from(value.normalize('NFKC').replace(/\s/g, '')).length < 2) {
      setProblem('顧客名は2文字以上入力してください (株式会社などの法人格は除いて数えます)。');
      return;
    }
    setProblem(null);
    location.hash = href.byKind(kind, value);
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
          {byName ? '顧客名' : 'ID'}
          <input name="id" value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} autocomplete="off" />
        </label>
        <button type="submit">検索</button>
        {problem && (
          <p role="alert" class="error">
            {problem}
          </p>
        )}
      </form>
      <p class="hint">顧客名は先頭から2文字以上で検索できます。「株式会社」「(株)」などの法人格、全角・半角、空白の違いは無視します。</p>
    </Section>
  );
}
