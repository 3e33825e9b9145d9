import type { ComponentChildren } from 'preact';
import { BillLines } from '../components/bill';
import { Facts, Section, Status } from '../components/layout';
import { Reasons } from '../components/reasons';
import { Id, Yen } from '../components/text';
import { dateJa, instantJa, revisionJa } from '../format';
import { useLookup, usePageTitle } from '../hooks';
import { OUTCOME_TYPES, ORDER_TYPES, planJa, servicesJa } from '../labels';
import { href } from '../router';
import type { BillLineView, ContractView, OrderResponse, Reason } from '../types';

const enc = encodeURIComponent;

export function OrderLink({ orderId }: { orderId: string }) {
  return (
    <a href={href.order(orderId)}>
      <Id>{orderId}</Id>
    </a>
  );
}

interface OutcomeDetail {
  contract?: ContractView;
  contractId?: string | null;
  reasons?: Reason[];
  terminationFee?: { amount: number; taxable: boolean; remainingMonths: number } | null;
  previousPlan?: { code: string; tier?: number };
  effectiveDate?: string;
  withdrawnTerm?: { number: number } | null;
  fee?: { date: string; revision: string; lines: BillLineView[]; subtotal: number };
}

/** What the accepted order did, in words: the contract created, the services now, the cancellation, the plan change, the fee. */
function Accepted({ type, detail }: { type: string; detail: OutcomeDetail }) {
  const c = detail.contract;
  const fee = detail.terminationFee;
  const feeText = fee ? (
    <>
      解約金 <Yen amount={fee.amount} /> ({fee.taxable ? '課税' : '不課税'}、残り{fee.remainingMonths}ヵ月分)
    </>
  ) : (
    'なし'
  );
  if (type === 'OneOffFeeCharged' && detail.fee) {
    return (
      <>
        <p>
          {dateJa(detail.fee.date)}実施の単発サービスを計上しました ({revisionJa(detail.fee.revision)}の料金表、小計 <Yen amount={detail.fee.subtotal} />{' '}
          税抜)。 消費税は{dateJa(detail.fee.date.slice(0, 7))}分の請求でまとめて計算します。
        </p>
        <BillLines lines={detail.fee.lines.map((line) => ({ ...line, kind: 'one-off' }))} ratePercent={10} />
      </>
    );
  }
  if (!c) return null;
  const items: Array<[string, ComponentChildren] | null> = [
    ['回線', <Id>{c.lineId}</Id>],
    ['お客様', c.customer.name],
  ];
  if (type === 'ContractCreated') {
    items.push(
      ['プラン', planJa(c.plan)],
      ['サービス', servicesJa(c.services as Record<string, unknown>).join('、') || 'なし'],
      ['利用開始日', dateJa(c.startDate)],
    );
  }
  if (type === 'ContractServicesChanged') items.push(['変更後のサービス', servicesJa(c.services as Record<string, unknown>).join('、') || 'なし']);
  if (type === 'ContractCancelled') {
    items.push(['解約日', dateJa(c.cancellation?.effectiveDate)], ['解約金', feeText]);
    if (detail.withdrawnTerm) items.push(['自動更新の取消', `第${detail.withdrawnTerm.number}期への自動更新を取り消しました`]);
  }
  if (type === 'ContractPlanChanged') {
    items.push(
      ['変更前のプラン', planJa(detail.previousPlan)],
      ['変更後のプラン', planJa(c.plan)],
      ['適用日', dateJa(detail.effectiveDate)],
      ['プライムPlusプランの途中解約金', feeText],
    );
  }
  return <Facts items={items} />;
}

/** What the order was, what became of it, and why (interface §3, §7.5), in Japanese. */
export function OrderPage({ orderId }: { orderId: string }) {
  usePageTitle(`注文 ${orderId}`);
  const order = useLookup<OrderResponse>(`/orders/${enc(orderId)}`);
  const o = order.data;
  const detail = (o?.outcome.detail ?? {}) as OutcomeDetail;
  const contractId = detail.contract?.contractId ?? detail.contractId ?? null;
  const outcome = o ? OUTCOME_TYPES[o.outcome.detailType] : undefined;
  return (
    <Section
      title={
        <>
          注文 <Id>{orderId}</Id>
        </>
      }
    >
      <Status {...order} />
      {o && (
        <div data-testid="order">
          <Facts
            items={[
              ['注文の内容', (o.detailType && ORDER_TYPES[o.detailType]) ?? '不明な注文'],
              ['受付日時', instantJa(o.receivedAt)],
              [
                '結果',
                <strong class={outcome?.accepted === false ? 'refused' : 'accepted'} data-testid="outcome">
                  {outcome?.text ?? '結果を判別できません'}
                </strong>,
              ],
              ['結果の通知', o.published ? '送信済み' : '未送信 (まもなく送信されます)'],
              ['契約', contractId ? <a href={href.contract(contractId)}>{<Id>{contractId}</Id>}</a> : 'なし'],
            ]}
          />
          {detail.reasons && detail.reasons.length > 0 ? (
            <>
              <h3>お断りの理由 ({detail.reasons.length}件)</h3>
              <Reasons reasons={detail.reasons} />
            </>
          ) : (
            <Accepted type={o.outcome.detailType} detail={detail} />
          )}
        </div>
      )}
    </Section>
  );
}
