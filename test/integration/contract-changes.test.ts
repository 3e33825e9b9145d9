import { UNKNOWN_FIELD } from '../../functions/schemas/field-issues';
import { useTable } from './support/suite';
import { RequestCounter } from './support/request-counter';

const t = useTable('changes');

const codesOf = (event: { detail: Record<string, any> }) => (event.detail.reasons as Array<{ code: string }>).map((r) => r.code);

describe('EDR needs a telephone, and every accepted order records its terms revision (S2)', () => {
  it('refuses adding EDR without a phone naming customer.phone, takes it with customer.phone, and keeps each revision in the history', async () => {
    const contractId = await t.handlers.created({
      appliedAt: '2023-11-20T10:00:00+09:00',
      startDate: '2023-11-25',
      customer: { customerId: 'C-S2', name: '株式会社電話', kind: 'corporation' },
      plan: { code: 'none' },
      services: { endpointSecurity: { terminals: 3 } },
    });
    const noPhone = t.handlers.changeEvent({ contractId, requestedAt: '2024-06-01T09:00:00+09:00', services: { edrSecurity: { terminals: 3 } } });
    await t.handlers.change(noPhone);
    expect(t.handlers.outcomeOf(noPhone.detail.orderId).detail.reasons).toEqual([
      expect.objectContaining({ code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'customer.phone' })] }),
    ]);

    const withPhone = t.handlers.changeEvent({
      contractId,
      requestedAt: '2024-06-01T09:00:00+09:00',
      services: { edrSecurity: { terminals: 3 } },
      customer: { phone: '06-1234-5678' },
    });
    await t.handlers.change(withPhone);
    const changed = t.handlers.outcomeOf(withPhone.detail.orderId);
    expect(changed.detailType).toBe('ContractServicesChanged');
    expect(changed.detail.contract).toMatchObject({ customer: { phone: '06-1234-5678' }, acceptedTermsRevision: '2024-04-01' });
    const stored = await t.store.getContract(contractId);
    expect(stored?.history.map((e) => e.acceptedTermsRevision)).toEqual(['baseline', '2024-04-01']);
  });

  it('refuses a customer part holding anything but phone, naming the field', async () => {
    const contractId = await t.handlers.created();
    const odd = t.handlers.changeEvent({ contractId, services: { edrSecurity: { terminals: 3 } }, customer: { phone: '06', name: '別名' } });
    await t.handlers.change(odd);
    expect(t.handlers.outcomeOf(odd.detail.orderId).detail.reasons[0].fields).toEqual([{ path: 'customer.name', message: UNKNOWN_FIELD }]);
  });
});

describe('ServicesChangeRequested', () => {
  it('replaces the services with the complete desired set and counts the version', async () => {
    const contractId = await t.handlers.created();
    const event = t.handlers.changeEvent({ contractId, services: { edrSecurity: { terminals: 12 } } });
    await t.handlers.change(event);

    const outcome = t.handlers.outcomeOf(event.detail.orderId);
    expect(outcome.detailType).toBe('ContractServicesChanged');
    expect(outcome.detail.contract).toMatchObject({ contractId, services: { edrSecurity: { terminals: 12 } }, version: 2 });
    expect(outcome.detail.contract.services.gatewaySecurity).toBeUndefined();
    const stored = await t.store.getContract(contractId);
    expect(stored?.history.map((e) => [e.type, e.orderId])).toEqual([
      ['ContractCreated', expect.any(String)],
      ['ContractServicesChanged', event.detail.orderId],
    ]);
  });

  it('costs one read and one transaction (the stream publisher marks the outcome on its own client)', async () => {
    const contractId = await t.handlers.created();
    const counter = new RequestCounter(t.table.client);
    await t.handlers.change(t.handlers.changeEvent({ contractId, services: { edrSecurity: { terminals: 6 } } }));
    expect(counter.snapshot()).toEqual({ GetItem: 1, TransactWriteItems: 1 });
  });

  it('applies every one of 8 concurrent changes: all in the history, the version counting them exactly', async () => {
    const contractId = await t.handlers.created();
    const events = Array.from({ length: 8 }, (_, i) => t.handlers.changeEvent({ contractId, services: { edrSecurity: { terminals: 10 + i } } }));
    const results = await Promise.all(events.map((event) => t.handlers.change(event)));

    expect(results.every((r) => 'outcome' in r && r.outcome === 'ContractServicesChanged')).toBe(true);
    const stored = await t.store.getContract(contractId);
    expect(stored?.version).toBe(9);
    const changeOrders = stored?.history.filter((e) => e.type === 'ContractServicesChanged').map((e) => e.orderId);
    expect(changeOrders?.sort()).toEqual(events.map((e) => e.detail.orderId).sort());
    // The published versions are distinct: each change was decided on the state before it.
    const versions = events.map((e) => t.handlers.outcomeOf(e.detail.orderId).detail.contract.version as number);
    expect(versions.sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses a change delivered after a later one (unordered delivery): the later request keeps the services', async () => {
    const contractId = await t.handlers.created();
    const later = t.handlers.changeEvent({ contractId, requestedAt: '2024-06-20T09:00:00+09:00', services: { edrSecurity: { terminals: 20 } } });
    const earlier = t.handlers.changeEvent({ contractId, requestedAt: '2024-06-10T09:00:00+09:00', services: { edrSecurity: { terminals: 10 } } });
    await t.handlers.change(later);
    await t.handlers.change(earlier);

    expect(t.handlers.outcomeOf(later.detail.orderId).detailType).toBe('ContractServicesChanged');
    const refused = t.handlers.outcomeOf(earlier.detail.orderId);
    expect(refused.detailType).toBe('ServicesChangeRejected');
    expect(refused.detail.reasons).toEqual([
      expect.objectContaining({ code: 'INVALID_REQUEST', fields: [{ path: 'requestedAt', message: expect.stringContaining(later.detail.orderId) }] }),
    ]);
    const stored = await t.store.getContract(contractId);
    expect(stored).toMatchObject({ version: 2, services: { edrSecurity: { terminals: 20 } } });
  });

  it('refuses a change breaking R3 with EDR_ENDPOINT_CONFLICT, leaving the contract as it was', async () => {
    const contractId = await t.handlers.created({ plan: { code: 'none' }, services: { endpointSecurity: { terminals: 3 } } });
    const event = t.handlers.changeEvent({ contractId, services: { endpointSecurity: { terminals: 3 }, edrSecurity: { terminals: 3 } } });
    await t.handlers.change(event);

    const outcome = t.handlers.outcomeOf(event.detail.orderId);
    expect(outcome.detailType).toBe('ServicesChangeRejected');
    expect(outcome.detail.contractId).toBe(contractId);
    expect(codesOf(outcome)).toEqual(['EDR_ENDPOINT_CONFLICT']);
    expect((await t.store.getContract(contractId))?.version).toBe(1);
  });

  it('refuses a change of an unknown contract with CONTRACT_NOT_FOUND', async () => {
    const event = t.handlers.changeEvent({ contractId: 'no-such-contract', services: {} });
    await t.handlers.change(event);
    const outcome = t.handlers.outcomeOf(event.detail.orderId);
    expect(outcome.detail).toMatchObject({ contractId: 'no-such-contract' });
    expect(codesOf(outcome)).toEqual(['CONTRACT_NOT_FOUND']);
  });

  it('refuses a change after the cancellation took effect with CONTRACT_NOT_LIVE', async () => {
    const contractId = await t.handlers.created({ plan: { code: 'none' }, services: { edrSecurity: { terminals: 2 } } });
    await t.handlers.cancel(t.handlers.cancelEvent({ contractId, effectiveDate: '2024-06-30' }));
    const onTheLastDay = t.handlers.changeEvent({ contractId, requestedAt: '2024-06-30T23:59:00+09:00', services: { edrSecurity: { terminals: 3 } } });
    const after = t.handlers.changeEvent({ contractId, requestedAt: '2024-06-30T15:00:00Z', services: { edrSecurity: { terminals: 3 } } });
    await t.handlers.change(onTheLastDay);
    await t.handlers.change(after);

    expect(t.handlers.outcomeOf(onTheLastDay.detail.orderId).detailType).toBe('ContractServicesChanged');
    expect(codesOf(t.handlers.outcomeOf(after.detail.orderId))).toEqual(['CONTRACT_NOT_LIVE']);
  });

  it('refuses a change requested before the contract was applied for with INVALID_REQUEST on requestedAt', async () => {
    const contractId = await t.handlers.created({ appliedAt: '2024-05-01T10:00:00+09:00' });
    const event = t.handlers.changeEvent({ contractId, requestedAt: '2024-04-30T14:59:00Z', services: { edrSecurity: { terminals: 6 } } });
    await t.handlers.change(event);

    const outcome = t.handlers.outcomeOf(event.detail.orderId);
    expect(outcome.detailType).toBe('ServicesChangeRejected');
    expect(outcome.detail.reasons).toEqual([expect.objectContaining({ code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'requestedAt' })] })]);
    expect((await t.store.getContract(contractId))?.version).toBe(1);
  });

  it('refuses a malformed change with INVALID_REQUEST and still names the contract', async () => {
    const event = t.handlers.changeEvent({ contractId: 'C-x', requestedAt: '2024-13-01T09:00:00+09:00', services: { edrSecurity: { terminals: 'many' } } });
    await t.handlers.change(event);
    const outcome = t.handlers.outcomeOf(event.detail.orderId);
    expect(outcome).toMatchObject({ detailType: 'ServicesChangeRejected', detail: { contractId: 'C-x' } });
    expect(outcome.detail.reasons[0].fields.map((f: { path: string }) => f.path).sort()).toEqual(['requestedAt', 'services.edrSecurity.terminals']);
  });
});

describe('CancellationRequested', () => {
  it('cancels a Prime Plus contract with its termination fee (month 2 of the term: 10 months of basic fee ①)', async () => {
    const contractId = await t.handlers.created({ startDate: '2024-05-10' });
    const event = t.handlers.cancelEvent({ contractId, requestedAt: '2024-06-15T09:00:00+09:00', effectiveDate: '2024-06-30' });
    await t.handlers.cancel(event);

    const outcome = t.handlers.outcomeOf(event.detail.orderId);
    expect(outcome.detailType).toBe('ContractCancelled');
    expect(outcome.detail.terminationFee).toMatchObject({ amount: 30000, basicFee: 3000, remainingMonths: 10, revision: '2024-04-01', clause: '別紙7 ※11' });
    expect(outcome.detail.contract).toMatchObject({
      status: 'live',
      version: 2,
      cancellation: { orderId: event.detail.orderId, effectiveDate: '2024-06-30', terminationFee: outcome.detail.terminationFee },
    });
  });

  it('defaults the effective date to the JST date of requestedAt', async () => {
    const contractId = await t.handlers.created();
    const event = t.handlers.cancelEvent({ contractId, requestedAt: '2024-06-30T15:00:00Z' });
    await t.handlers.cancel(event);
    expect(t.handlers.outcomeOf(event.detail.orderId).detail.contract.cancellation.effectiveDate).toBe('2024-07-01');
  });

  it('refuses a second cancellation with CONTRACT_NOT_LIVE', async () => {
    const contractId = await t.handlers.created();
    await t.handlers.cancel(t.handlers.cancelEvent({ contractId, effectiveDate: '2024-07-31' }));
    const second = t.handlers.cancelEvent({ contractId, effectiveDate: '2024-08-31' });
    await t.handlers.cancel(second);

    expect(codesOf(t.handlers.outcomeOf(second.detail.orderId))).toEqual(['CONTRACT_NOT_LIVE']);
    expect((await t.store.getContract(contractId))?.cancellation?.effectiveDate).toBe('2024-07-31');
  });

  it('refuses an effective date before the request with INVALID_REQUEST on effectiveDate', async () => {
    const contractId = await t.handlers.created();
    const event = t.handlers.cancelEvent({ contractId, requestedAt: '2024-07-01T00:30:00+09:00', effectiveDate: '2024-06-30' });
    await t.handlers.cancel(event);
    const [reason] = t.handlers.outcomeOf(event.detail.orderId).detail.reasons;
    expect(reason).toMatchObject({ code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'effectiveDate' })] });
  });

  it('refuses a cancellation dated before the first tariff revision instead of failing on it, naming requestedAt', async () => {
    const contractId = await t.handlers.created();
    const event = t.handlers.cancelEvent({ contractId, requestedAt: '2010-01-01T09:00:00+09:00' });
    const result = await t.handlers.cancel(event);

    expect(result).toMatchObject({ outcome: 'CancellationRejected', duplicate: false });
    const [reason] = t.handlers.outcomeOf(event.detail.orderId).detail.reasons;
    expect(reason).toMatchObject({ code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'requestedAt' })] });
  });

  it('refuses the cancellation of an unknown contract with CONTRACT_NOT_FOUND', async () => {
    const event = t.handlers.cancelEvent({ contractId: 'no-such-contract' });
    await t.handlers.cancel(event);
    expect(t.handlers.outcomeOf(event.detail.orderId)).toMatchObject({ detailType: 'CancellationRejected', detail: { contractId: 'no-such-contract' } });
    expect(codesOf(t.handlers.outcomeOf(event.detail.orderId))).toEqual(['CONTRACT_NOT_FOUND']);
  });

  it('publishes one outcome for a cancellation delivered twice, even after a later change of the contract', async () => {
    const contractId = await t.handlers.created();
    const event = t.handlers.cancelEvent({ contractId, effectiveDate: '2024-09-30' });
    await t.handlers.cancel(event);
    await t.handlers.change(t.handlers.changeEvent({ contractId, services: { edrSecurity: { terminals: 9 } } }));
    const again = await t.handlers.cancel(event);

    expect(again).toMatchObject({ duplicate: true, outcome: 'ContractCancelled' });
    expect(t.h.bus.forOrder(event.detail.orderId)).toHaveLength(1);
    expect((await t.store.getContract(contractId))?.version).toBe(3);
  });
});
