import { dateJa, instantJa, revisionJa } from '../format';
import { BILLING_METHODS, CUSTOMER_KINDS, planJa, servicesJa } from '../labels';
import { href } from '../router';
import type { ContractResponse, ContractView } from '../types';
import { statusText } from './contract-list';
import { Facts, Section } from './layout';
import { TermMonths } from './term';
import { DateJa, Id, InstantJa, Tag, Yen } from './text';

/** A contract's facts and term: status, customer, phone, line, plan, services, dates, billing method, cancellation. */
export function ContractSummary({ contract }: { contract: ContractView | ContractResponse }) {
  const cancellation = contract.cancellation;
  const fee = cancellation?.terminationFee;
  return (
    <>
      <Section
        title={
          <>
            契約 <Id>{contract.contractId}</Id>
          </>
        }
      >
        <Facts
          items={[
            ['状態', <span data-testid="status">{statusText(contract)}</span>],
            [
              'お客様',
              <>
                {contract.customer.name} (顧客ID{' '}
                <a href={href.customer(contract.customer.customerId)}>
                  <Id>{contract.customer.customerId}</Id>
                </a>
                、{CUSTOMER_KINDS[contract.customer.kind] ?? ''})
              </>,
            ],
            ['連絡先電話番号', contract.customer.phone ?? '登録なし'],
            [
              '回線',
              <a href={href.line(contract.lineId)}>
                <Id>{contract.lineId}</Id>
              </a>,
            ],
            ['プラン', planJa(contract.plan)],
            ['サービス', servicesJa(contract.services as Record<string, unknown>).join('、') || 'なし'],
            ['申込日時', instantJa(contract.appliedAt)],
            ['利用開始日', dateJa(contract.startDate)],
            ['お支払方法', BILLING_METHODS[contract.billing.method] ?? '—'],
            ['同意した規約', `${revisionJa(contract.acceptedTermsRevision)}の利用規約`],
            [
              '解約',
              cancellation && fee ? (
                <span data-testid="cancellation">
                  解約日 <DateJa date={cancellation.effectiveDate} /> <Tag kind="cancel">解約月 {dateJa(cancellation.effectiveDate.slice(0, 7))}</Tag> (受付{' '}
                  <InstantJa instant={cancellation.requestedAt} />
                  )、解約金 <Yen amount={fee.amount} /> ({fee.taxable ? '課税' : '不課税'}
                  {fee.amount > 0 && (
                    <>
                      、基本料金① <Yen amount={fee.basicFee} /> × 残り{fee.remainingMonths}ヵ月、<span class="nowrap">{revisionJa(fee.revision)}</span>
                    </>
                  )}
                  )
                </span>
              ) : (
                'なし'
              ),
            ],
          ]}
        />
      </Section>
      <Section title="契約期間 (最低利用期間)">
        {contract.term ? (
          <>
            <p>
              第{contract.term.number}期: <DateJa date={contract.term.start} />〜<DateJa date={contract.term.end} />
              、更新月 <DateJa date={contract.term.renewalMonth} />
            </p>
            <TermMonths term={contract.term} cancellationMonth={cancellation ? cancellation.effectiveDate.slice(0, 7) : null} />
          </>
        ) : (
          <p>このプランに最低利用期間はありません。</p>
        )}
      </Section>
    </>
  );
}
