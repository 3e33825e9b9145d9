import { servicesChangeSchema } from '../../functions/schemas/orders/services-change';
import { StaleDecisionError } from '../../functions/use-cases/order-idempotency';
import { processServicesChange } from '../../functions/use-cases/process-services-change';
import { aContractEachTest, codesOf, created, detailOf, orders, received } from './harness';

/** processServicesChange on the in-memory store: the complete desired set, refusals, a concurrent change (stale), redelivery. */
const given = aContractEachTest();

const change = (orderId: string, detail: Record<string, unknown> = {}) =>
  orders.changeServices(given.deps, {
    orderId,
    requestedAt: '2024-06-01T09:00:00+09:00',
    contractId: given.contractId,
    services: { edrSecurity: { terminals: 12 } },
    ...detail,
  });

describe('processServicesChange', () => {
  it('replaces the services with the complete desired set, counting the version, in one conditional write', async () => {
    const result = await change('ORD-2');

    expect(result).toMatchObject({ orderId: 'ORD-2', duplicate: false, outcome: { detailType: 'ContractServicesChanged' } });
    expect(result.outcome.detail).toMatchObject({
      eventKey: 'ORD-2',
      orderId: 'ORD-2',
      contract: { contractId: given.contractId, version: 2, status: 'live' },
    });
    expect(detailOf(result).contract.services).toEqual({ edrSecurity: { terminals: 12 } });
    const stored = await given.store.getContract(given.contractId);
    expect(stored?.services).toEqual({ edrSecurity: { terminals: 12 } });
    expect(stored?.history.map((e) => [e.type, e.orderId, e.services])).toEqual([
      [
        'ContractCreated',
        'ORD-1',
        { edrSecurity: { terminals: 8 }, gatewaySecurity: { tier: 10, failureSupport24h: true }, cloudProxy: { users: 2 }, elgana: { ids: 5 } },
      ],
      ['ContractServicesChanged', 'ORD-2', { edrSecurity: { terminals: 12 } }],
    ]);
    expect(given.store.writes().slice(1)).toEqual([{ kind: 'updateContract', result: 'written' }]);
  });

  it('decides again on the fresh contract when a concurrent change lands between its read and its write: both in the history', async () => {
    given.store.beforeNextWrite(async () => {
      await change('ORD-RIVAL', { requestedAt: '2024-06-01T08:00:00+09:00', services: { edrSecurity: { terminals: 9 } } });
    }, 'updateContract');
    const result = await change('ORD-2');

    expect(result.outcome.detailType).toBe('ContractServicesChanged');
    expect(detailOf(result).contract).toMatchObject({ version: 3, services: { edrSecurity: { terminals: 12 } } });
    expect(given.store.writes().slice(1)).toEqual([
      { kind: 'updateContract', result: 'written' },
      { kind: 'updateContract', result: 'stale' },
      { kind: 'updateContract', result: 'written' },
    ]);
    const stored = await given.store.getContract(given.contractId);
    expect(stored?.version).toBe(3);
    expect(stored?.history.map((e) => [e.type, e.orderId, e.services.edrSecurity?.terminals])).toEqual([
      ['ContractCreated', 'ORD-1', 8],
      ['ContractServicesChanged', 'ORD-RIVAL', 9],
      ['ContractServicesChanged', 'ORD-2', 12],
    ]);
  });

  it('leaves deciding again to its caller: one attempt whose save is stale throws StaleDecisionError and writes nothing', async () => {
    const { inbound, order } = received('ServicesChangeRequested', servicesChangeSchema, {
      orderId: 'ORD-2',
      requestedAt: '2024-06-01T09:00:00+09:00',
      contractId: given.contractId,
      services: { edrSecurity: { terminals: 12 } },
    });
    given.store.beforeNextWrite(async () => {
      await change('ORD-RIVAL', { requestedAt: '2024-06-01T08:00:00+09:00', services: { edrSecurity: { terminals: 9 } } });
    }, 'updateContract');

    await expect(processServicesChange(given.deps, inbound, order)).rejects.toBeInstanceOf(StaleDecisionError);
    expect(given.store.orders().map((o) => o.orderId)).toEqual(['ORD-1', 'ORD-RIVAL']);
    expect(await given.store.getContract(given.contractId)).toMatchObject({ version: 2, services: { edrSecurity: { terminals: 9 } } });
  });

  it('refuses a change requested before one already applied (unordered delivery), naming the later order', async () => {
    await change('ORD-LATER', { requestedAt: '2024-06-20T09:00:00+09:00', services: { edrSecurity: { terminals: 20 } } });
    const earlier = await change('ORD-EARLIER', { requestedAt: '2024-06-10T09:00:00+09:00', services: { edrSecurity: { terminals: 10 } } });

    expect(earlier.outcome).toMatchObject({ detailType: 'ServicesChangeRejected', detail: { eventKey: 'ORD-EARLIER', contractId: given.contractId } });
    expect(earlier.outcome.detail.reasons).toEqual([
      {
        code: 'INVALID_REQUEST',
        message: expect.any(String),
        clause: 'interface.md §1.1',
        fields: [{ path: 'requestedAt', message: expect.stringContaining('(注文 ORD-LATER)') }],
      },
    ]);
    expect(await given.store.getContract(given.contractId)).toMatchObject({ version: 2, services: { edrSecurity: { terminals: 20 } } });
  });

  it('refuses EDR beside endpoint security (R3), an unknown contract, and a change after the cancellation took effect', async () => {
    const endpoint = await created(given.deps, 'ORD-E', { plan: { code: 'none' }, services: { endpointSecurity: { terminals: 3 } } });
    const conflict = await change('ORD-2', { contractId: endpoint, services: { endpointSecurity: { terminals: 3 }, edrSecurity: { terminals: 3 } } });
    expect(codesOf(conflict.outcome)).toEqual(['EDR_ENDPOINT_CONFLICT']);
    expect((await given.store.getContract(endpoint))?.version).toBe(1);

    const unknown = await change('ORD-3', { contractId: 'K-none' });
    expect(unknown.outcome.detail).toMatchObject({ contractId: 'K-none', reasons: [{ code: 'CONTRACT_NOT_FOUND' }] });

    await orders.cancel(given.deps, { orderId: 'ORD-C', requestedAt: '2024-06-01T09:00:00+09:00', contractId: given.contractId, effectiveDate: '2024-06-30' });
    const onTheLastDay = await change('ORD-4', { requestedAt: '2024-06-30T23:59:00+09:00' });
    const after = await change('ORD-5', { requestedAt: '2024-06-30T15:00:00Z' });
    expect(onTheLastDay.outcome.detailType).toBe('ContractServicesChanged');
    expect(codesOf(after.outcome)).toEqual(['CONTRACT_NOT_LIVE']);
    expect((await given.store.getContract(given.contractId))?.history.map((e) => e.type)).toEqual([
      'ContractCreated',
      'ContractCancelled',
      'ContractServicesChanged',
    ]);
    expect(given.store.orders().map((o) => [o.orderId, o.outcome.detailType])).toEqual([
      ['ORD-1', 'ContractCreated'],
      ['ORD-2', 'ServicesChangeRejected'],
      ['ORD-3', 'ServicesChangeRejected'],
      ['ORD-4', 'ContractServicesChanged'],
      ['ORD-5', 'ServicesChangeRejected'],
      ['ORD-C', 'ContractCancelled'],
      ['ORD-E', 'ContractCreated'],
    ]);
  });

  it('answers a redelivery with the stored outcome even after a later change, applying it once', async () => {
    const first = await change('ORD-2');
    await change('ORD-3', { services: { edrSecurity: { terminals: 4 } } });
    const again = await change('ORD-2');

    expect(again).toEqual({ orderId: 'ORD-2', outcome: first.outcome, duplicate: true });
    expect(await given.store.getContract(given.contractId)).toMatchObject({ version: 3, services: { edrSecurity: { terminals: 4 } } });
  });

  it('cannot change the stored contract through what it read', async () => {
    const read = await given.store.getContract(given.contractId);
    if (read) read.services = {};
    expect((await given.store.getContract(given.contractId))?.services.edrSecurity).toEqual({ terminals: 8 });
  });
});
