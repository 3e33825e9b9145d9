import { ContractSummary } from '../components/contract-summary';
import { Section, Status } from '../components/layout';
import { DataTable } from '../components/table';
import { InstantJa } from '../components/text';
import { jaText } from '../format';
import { useLookup, usePageTitle } from '../hooks';
import type { ContractResponse } from '../types';
import { Charges } from './contract-charges';
import { Invoices } from './contract-invoices';
import { Quote } from './contract-quote';
import { OrderLink } from './order';

const enc = encodeURIComponent;

/** A contract: its facts, term, the quote (live contracts only), its invoices, a month's charges, its history. */
export function ContractDetail({ contract }: { contract: ContractResponse }) {
  usePageTitle(`契約 ${contract.contractId}`);
  return (
    <>
      <ContractSummary contract={contract} />
      {contract.cancellation ? (
        <Section title="解約金の試算">
          <p data-testid="no-quote">解約手続き済みの契約のため、解約金の試算はありません。確定した解約金は上の「解約」欄のとおりです。</p>
        </Section>
      ) : (
        <Quote contractId={contract.contractId} />
      )}
      <Invoices contractId={contract.contractId} />
      <Charges contractId={contract.contractId} />
      <Section title="履歴">
        <DataTable
          testId="history"
          columns={[{ label: '日時' }, { label: '内容', wide: true }, { label: '注文番号' }]}
          rows={contract.history.map((entry, i) => ({
            key: i,
            cells: [<InstantJa instant={entry.at} />, jaText(entry.summary), entry.orderId ? <OrderLink orderId={entry.orderId} /> : '—'],
          }))}
        />
      </Section>
    </>
  );
}

export function ContractPage({ contractId }: { contractId: string }) {
  const contract = useLookup<ContractResponse>(`/contracts/${enc(contractId)}`);
  usePageTitle(contract.data ? null : `契約 ${contractId}`);
  return (
    <>
      <Status {...contract} />
      {contract.data && <ContractDetail contract={contract.data} />}
    </>
  );
}
