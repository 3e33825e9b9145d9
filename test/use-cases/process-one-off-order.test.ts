import { aContractEachTest, detailOf, orders } from './harness';

/** processOneOffOrder on the in-memory store (docs/terms.md §8): the fee kept on the contract, the first-visit waiver, refusals. */
const given = aContractEachTest();

const visit = (orderId: string, date: string) =>
  orders.orderOneOff(given.deps, {
    orderId,
    requestedAt: `${date}T09:00:00+09:00`,
    contractId: given.contractId,
    date,
    visitSupport: {
      items: [
        { item: 'basicWork', quantity: 1 },
        { item: 'gatewayInstallation', quantity: 1 },
      ],
    },
  });
const pathsOf = (outcome: { detail: Record<string, any> }) =>
  (outcome.detail.reasons as Array<{ fields?: Array<{ path: string }> }>).flatMap((r) => (r.fields ?? []).map((f) => f.path));

describe('processOneOffOrder', () => {
  it('waives the ※1 items of the first visit order and charges the second; both fees kept on the contract', async () => {
    const first = await visit('ORD-2', '2024-06-05');
    const second = await visit('ORD-3', '2024-06-20');

    expect(first.outcome).toEqual({
      detailType: 'OneOffFeeCharged',
      detail: {
        eventKey: 'ORD-2',
        orderId: 'ORD-2',
        contractId: given.contractId,
        fee: {
          date: '2024-06-05',
          revision: '2024-04-01',
          lines: [
            {
              item: 'visit.basicWork',
              label: '基本作業費',
              quantity: 1,
              unitPrice: 0,
              amount: 0,
              clause: '別紙8 ※1',
              waived: { unitPrice: 7500, clause: '別紙8 ※1' },
            },
            {
              item: 'visit.gatewayInstallation',
              label: 'ゲートウェイセキュリティ装置設置・設定',
              quantity: 1,
              unitPrice: 0,
              amount: 0,
              clause: '別紙8 ※1',
              waived: { unitPrice: 8500, clause: '別紙8 ※1' },
            },
          ],
          subtotal: 0,
        },
      },
    });
    expect(detailOf(second).fee).toMatchObject({ subtotal: 16000, lines: [{ amount: 7500 }, { amount: 8500 }] });
    const stored = await given.store.getContract(given.contractId);
    expect(stored?.oneOffFees?.map((f) => [f.orderId, f.date, f.subtotal])).toEqual([
      ['ORD-2', '2024-06-05', 0],
      ['ORD-3', '2024-06-20', 16000],
    ]);
    expect(stored?.history.map((e) => [e.type, e.orderId])).toEqual([
      ['ContractCreated', 'ORD-1'],
      ['OneOffFeeCharged', 'ORD-2'],
      ['OneOffFeeCharged', 'ORD-3'],
    ]);
  });

  it('charges the first visit once when it is redelivered: the second order still pays', async () => {
    const first = await visit('ORD-2', '2024-06-05');
    expect(await visit('ORD-2', '2024-06-05')).toEqual({ orderId: 'ORD-2', outcome: first.outcome, duplicate: true });
    expect(detailOf(await visit('ORD-3', '2024-06-20')).fee.subtotal).toBe(16000);
    expect((await given.store.getContract(given.contractId))?.oneOffFees).toHaveLength(2);
  });

  it('refuses unknown items, zero quantities, a date before the start and an empty order, naming every field', async () => {
    const bad = await orders.orderOneOff(given.deps, {
      orderId: 'ORD-2',
      requestedAt: '2024-06-01T09:00:00+09:00',
      contractId: given.contractId,
      date: '2024-05-01',
      visitSupport: { items: [{ item: 'teaCeremony', quantity: 1 }] },
      dataMigration: { devices: [{ volumeGB: 0 }] },
      mailTraining: { mails: -1 },
    });
    expect(bad.outcome).toMatchObject({ detailType: 'OneOffServiceRejected', detail: { contractId: given.contractId } });
    expect(pathsOf(bad.outcome).sort()).toEqual(['dataMigration.devices.0.volumeGB', 'mailTraining.mails', 'visitSupport.items.0.item']);

    const early = await orders.orderOneOff(given.deps, {
      orderId: 'ORD-3',
      requestedAt: '2024-06-01T09:00:00+09:00',
      contractId: given.contractId,
      date: '2024-05-01',
      mailTraining: { mails: 3 },
    });
    expect(pathsOf(early.outcome)).toEqual(['date']);

    const empty = await orders.orderOneOff(given.deps, { orderId: 'ORD-4', requestedAt: '2024-06-01T09:00:00+09:00', contractId: given.contractId });
    expect(pathsOf(empty.outcome)).toEqual(['visitSupport']);

    expect(await given.store.getContract(given.contractId)).toMatchObject({ version: 1 });
    expect((await given.store.getContract(given.contractId))?.oneOffFees ?? []).toEqual([]);
    expect(
      given.store
        .writes()
        .slice(1)
        .map((w) => w.kind),
    ).toEqual(['recordOrder', 'recordOrder', 'recordOrder']);
  });
});
