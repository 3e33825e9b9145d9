import { dateJa } from '../format';
import { planJa, STATUS_NAMES } from '../labels';
import { href } from '../router';
import type { ContractView } from '../types';
import { DataTable } from './table';
import { Id } from './text';

/** 契約中, 契約中 (解約予定日 …), 解約済み (解約日 …). */
export function statusText(contract: Pick<ContractView, 'status' | 'cancellation'>): string {
  const status = STATUS_NAMES[contract.status] ?? '';
  if (!contract.cancellation) return status;
  const on = dateJa(contract.cancellation.effectiveDate);
  return contract.status === 'cancelled' ? `${status} (解約日 ${on})` : `${status} (解約予定日 ${on})`;
}

/** Contracts in a table: each with its line, plan, start, status (and its cancellation date). */
export function ContractList({ contracts, testId }: { contracts: ContractView[]; testId?: string }) {
  if (contracts.length === 0) return <p>該当する契約はありません。</p>;
  return (
    <DataTable
      testId={testId}
      columns={[{ label: '契約ID' }, { label: '回線ID' }, { label: 'プラン' }, { label: '利用開始日' }, { label: '状態' }]}
      rows={contracts.map((c) => ({
        key: c.contractId,
        cells: [
          <a href={href.contract(c.contractId)}>
            <Id>{c.contractId}</Id>
          </a>,
          <a href={href.line(c.lineId)}>
            <Id>{c.lineId}</Id>
          </a>,
          planJa(c.plan),
          <span class="nowrap">{dateJa(c.startDate)}</span>,
          statusText(c),
        ],
      }))}
    />
  );
}
