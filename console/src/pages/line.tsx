import { ContractList } from '../components/contract-list';
import { Section, Status } from '../components/layout';
import { Id } from '../components/text';
import { today } from '../format';
import { useLookup, usePageTitle } from '../hooks';
import type { LineContractsResponse } from '../types';
import { ContractPage } from './contract';

const enc = encodeURIComponent;

/**
 * A line (interface §7.3): its live contract, or, when every contract it had is cancelled,
 * the last one, said so; then every contract the line has had.
 */
export function LinePage({ lineId }: { lineId: string }) {
  usePageTitle(`回線 ${lineId}`);
  const line = useLookup<LineContractsResponse>(`/lines/${enc(lineId)}/contracts`);
  const contracts = line.data?.contracts ?? [];
  // As GET /lines/{id}/contract chooses: the live contract in service today, else the next to start (a planned handover).
  const lives = contracts.filter((c) => c.status === 'live');
  const live = lives.find((c) => c.startDate <= today()) ?? lives.at(-1);
  const shown = live ?? contracts[0];
  return (
    <>
      <Status {...line} />
      {line.data && !shown && (
        <Section
          title={
            <>
              回線 <Id>{lineId}</Id>
            </>
          }
        >
          <p>この回線の契約はありません。回線IDを確認してください。</p>
        </Section>
      )}
      {shown && !live && (
        <p class="notice" role="status" data-testid="line-notice">
          回線 <Id>{lineId}</Id> に契約中の契約はありません。最後の契約 (解約済み) を表示しています。
        </p>
      )}
      {shown && <ContractPage contractId={shown.contractId} key={shown.contractId} />}
      {contracts.length > 1 && (
        <Section title="この回線のすべての契約">
          <ContractList contracts={contracts} testId="line-contracts" />
        </Section>
      )}
    </>
  );
}
