import { aContractEachTest, codesOf, created, detailOf, orders } from './harness';

/** processCancellation on the in-memory store: the termination fee (L2), refusals, a concurrent change (stale), redelivery. */
// Prime Plus from 2024-05-10: term 1 is 2024-05 … 2025-04.
const given = aContractEachTest();

const cancel = (orderId: string, detail: Record<string, unknown> = {}) =>
  orders.cancel(given.deps, { orderId, requestedAt: '2024-06-15T09:00:00+09:00', contractId: given.contractId, effectiveDate: '2024-06-30', ...detail });

const MONTH_2_FEE = {
  amount: 30000,
  basicFee: 3000,
  remainingMonths: 10,
  revision: '2024-04-01',
  clause: '別紙7 ※11',
  taxable: false,
  amountIncludingTax: 30000,
  placeholder: true,
};

describe('processCancellation', () => {
  it('cancels with the termination fee of month 2 of the term: 10 months of basic fee ①, 不課税', async () => {
    const result = await cancel('ORD-2');

    expect(result).toMatchObject({ orderId: 'ORD-2', duplicate: false, outcome: { detailType: 'ContractCancelled' } });
    expect(result.outcome.detail.terminationFee).toEqual(MONTH_2_FEE);
    const cancellation = {
      orderId: 'ORD-2',
      requestedAt: '2024-06-15T09:00:00+09:00',
      effectiveDate: '2024-06-30',
      terminationFee: MONTH_2_FEE,
      withdrawnTerm: null,
    };
    expect(detailOf(result).contract).toMatchObject({ status: 'live', version: 2, cancellation });
    expect((await given.store.getContract(given.contractId))?.cancellation).toEqual(cancellation);
  });

  it('defaults the effective date to the JST date of requestedAt', async () => {
    const result = await orders.cancel(given.deps, { orderId: 'ORD-2', requestedAt: '2024-06-30T15:00:00Z', contractId: given.contractId });
    expect(detailOf(result).contract.cancellation.effectiveDate).toBe('2024-07-01');
    expect(result.outcome.detail.terminationFee).toMatchObject({ amount: 27000, remainingMonths: 9 });
  });

  it('refuses a second cancellation (CONTRACT_NOT_LIVE), an unknown contract, an effective date before the request', async () => {
    await cancel('ORD-2');
    const second = await cancel('ORD-3', { effectiveDate: '2024-08-31' });
    expect(second.outcome).toMatchObject({ detailType: 'CancellationRejected', detail: { eventKey: 'ORD-3', contractId: given.contractId } });
    expect(codesOf(second.outcome)).toEqual(['CONTRACT_NOT_LIVE']);

    const unknown = await cancel('ORD-4', { contractId: 'K-none' });
    expect(unknown.outcome.detail).toMatchObject({ contractId: 'K-none', reasons: [{ code: 'CONTRACT_NOT_FOUND' }] });

    const other = await created(given.deps, 'ORD-5');
    const backdated = await cancel('ORD-6', { contractId: other, requestedAt: '2024-07-01T00:30:00+09:00', effectiveDate: '2024-06-30' });
    expect(backdated.outcome.detail.reasons).toEqual([
      expect.objectContaining({ code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'effectiveDate' })] }),
    ]);

    expect((await given.store.getContract(given.contractId))?.cancellation?.effectiveDate).toBe('2024-06-30');
    expect((await given.store.getContract(other))?.cancellation).toBeNull();
  });

  it('refuses a request dated before the first tariff revision instead of failing, naming requestedAt', async () => {
    const result = await cancel('ORD-2', { requestedAt: '2010-01-01T09:00:00+09:00', effectiveDate: undefined });
    expect(result).toMatchObject({ duplicate: false, outcome: { detailType: 'CancellationRejected' } });
    expect(result.outcome.detail.reasons).toEqual([
      expect.objectContaining({ code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'requestedAt' })] }),
    ]);
  });

  it('decides again on the fresh contract when a services change lands first (stale): both in the history', async () => {
    given.store.beforeNextWrite(async () => {
      await orders.changeServices(given.deps, {
        orderId: 'ORD-CHG',
        requestedAt: '2024-06-10T09:00:00+09:00',
        contractId: given.contractId,
        services: { edrSecurity: { terminals: 9 } },
      });
    }, 'updateContract');
    const result = await cancel('ORD-2');

    expect(result.outcome.detailType).toBe('ContractCancelled');
    expect(detailOf(result).contract).toMatchObject({ version: 3, services: { edrSecurity: { terminals: 9 } }, cancellation: { orderId: 'ORD-2' } });
    expect(given.store.writes().slice(1)).toEqual([
      { kind: 'updateContract', result: 'written' },
      { kind: 'updateContract', result: 'stale' },
      { kind: 'updateContract', result: 'written' },
    ]);
    expect((await given.store.getContract(given.contractId))?.history.map((e) => [e.type, e.orderId])).toEqual([
      ['ContractCreated', 'ORD-1'],
      ['ContractServicesChanged', 'ORD-CHG'],
      ['ContractCancelled', 'ORD-2'],
    ]);
  });

  it('answers a redelivery with the stored outcome after a later change, cancelling once', async () => {
    const first = await cancel('ORD-2');
    await orders.changeServices(given.deps, {
      orderId: 'ORD-3',
      requestedAt: '2024-06-20T09:00:00+09:00',
      contractId: given.contractId,
      services: { edrSecurity: { terminals: 9 } },
    });
    const again = await cancel('ORD-2');

    expect(again).toEqual({ orderId: 'ORD-2', outcome: first.outcome, duplicate: true });
    expect((await given.store.getContract(given.contractId))?.version).toBe(3);
    expect(given.store.orders().filter((o) => o.outcome.detailType === 'ContractCancelled')).toHaveLength(1);
  });
});
