import { eventKeys, INBOUND_OF_OUTCOME, outcomes } from '../../functions/domain/outbound-events';
import { aContract } from './fixtures';

/** docs/terms.md K1: every published event carries its dedupe key. */
describe('eventKey on every outbound event', () => {
  const contract = aContract();
  const term = contract.term ?? { number: 1, start: '2024-05-10', end: '2025-04-30', renewalMonth: '2025-04' };
  const fee = { date: '2024-06-05' as const, revision: '2024-04-01', revisionEffectiveFrom: '2024-04-01' as const, lines: [], subtotal: 0 };
  const orderEvents = [
    outcomes.contractCreated('ORD-1', contract, '2024-06-01'),
    outcomes.applicationRejected('ORD-1', []),
    outcomes.servicesChanged('ORD-1', contract, '2024-06-01'),
    outcomes.servicesChangeRejected('ORD-1', null, []),
    outcomes.contractCancelled('ORD-1', contract, '2024-06-01'),
    outcomes.cancellationRejected('ORD-1', 'K-0001', []),
    outcomes.planChanged('ORD-1', { contract, previousPlan: { code: 'prime', tier: 10 }, effectiveDate: '2024-07-01', terminationFee: null }, '2024-06-01'),
    outcomes.planChangeRejected('ORD-1', 'K-0001', []),
    outcomes.oneOffFeeCharged('ORD-1', 'K-0001', fee),
    outcomes.oneOffServiceRejected('ORD-1', null, []),
  ];

  it('an order outcome is keyed by its orderId, and names its inbound detail-type', () => {
    for (const event of orderEvents) {
      expect(event.detail).toMatchObject({ eventKey: 'ORD-1', orderId: 'ORD-1' });
      expect(INBOUND_OF_OUTCOME[event.detailType]).toEqual(expect.any(String));
    }
    expect(new Set(orderEvents.map((e) => e.detailType)).size).toBe(orderEvents.length);
  });

  it('a renewal by contract and new term, a notice by contract and the term whose renewal month began', () => {
    const renewed = outcomes.contractRenewed(contract, { ...term, number: 2 }, '2025-05-01');
    expect(renewed.detail.eventKey).toBe('K-0001#term-2');
    expect(renewed.detail.eventKey).toBe(eventKeys.renewal('K-0001', 2));
    const notice = outcomes.renewalMonthStarted(contract, term, '2025-04-01');
    expect(notice.detail).toMatchObject({ eventKey: 'K-0001#notice-1', renewalMonth: '2025-04', renewsOn: '2025-05-01' });
  });

  it('a renewal month of December renews on 1 January of the next year', () => {
    const december = { ...term, renewalMonth: '2024-12' as const };
    expect(outcomes.renewalMonthStarted(contract, december, '2024-12-01').detail.renewsOn).toBe('2025-01-01');
  });
});
