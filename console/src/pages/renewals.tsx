import { useState } from 'preact/hooks';
import { Section, Status } from '../components/layout';
import { QueryForm } from '../components/query-form';
import { DataTable } from '../components/table';
import { Id } from '../components/text';
import { dateJa } from '../format';
import { useLookup, usePageTitle } from '../hooks';
import { href } from '../router';
import type { RenewalsResponse } from '../types';

/** The live Prime Plus contracts whose renewal month is a month (interface §3). */
export function RenewalsPage() {
  usePageTitle('更新月の契約');
  const [path, setPath] = useState<string | null>(null);
  const list = useLookup<RenewalsResponse>(path);
  return (
    <Section title="更新月の契約">
      <QueryForm
        kind="month"
        label="更新月"
        name="renewalMonth"
        hint="例: 2025年4月、2025/04。空欄は今月。"
        button="表示"
        onQuery={(month) => setPath(`/renewals?limit=200${month ? `&month=${encodeURIComponent(month)}` : ''}`)}
      />
      <Status {...list} fields={{ month: '更新月' }} />
      {list.data && (
        <div data-testid="renewals">
          <p>{dateJa(list.data.month)}が更新月の契約 (この月の解約は解約金なし)</p>
          {list.data.contracts.length === 0 ? (
            <p>該当する契約はありません。</p>
          ) : (
            <DataTable
              columns={[{ label: '契約ID' }, { label: 'お客様' }, { label: '更新' }]}
              rows={list.data.contracts.map((c) => ({
                key: c.contractId,
                cells: [
                  <a href={href.contract(c.contractId)}>
                    <Id>{c.contractId}</Id>
                  </a>,
                  c.customer.name,
                  c.willRenew ? '自動更新予定' : '更新なし (解約予定)',
                ],
              }))}
            />
          )}
        </div>
      )}
    </Section>
  );
}
