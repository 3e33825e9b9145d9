import { readStored, storedOrderSchema } from '../../functions/schemas/stored-items';
import { dueContract } from '../../bench/fixtures';
import { noFee } from '../domain/fixtures';
import type { Contract, Term } from '../../functions/domain/contract';
import { ContractItems } from '../../functions/store/dynamodb/contract-items';
import type { DynamoDbTable } from '../../functions/store/dynamodb/table';
import { InvalidCursorError } from '../../functions/domain/errors';
import type { ContractFact, NewOrder } from '../../functions/store/records';
import { InMemoryStore } from '../support/in-memory-store';

/**
 * The in-memory store against its reference, the DynamoDB store: the index keys ContractItems
 * gives a contract decide what the in-memory queries return, and the conditions answer alike.
 */
const TERM_2: Term = { number: 2, start: '2025-01-01', end: '2025-12-31', renewalMonth: '2025-12' };
const order = (orderId: string, slot = 'ORDER'): NewOrder => ({
  orderId,
  slot,
  fingerprint: 'fp',
  outcome: { detailType: 'ContractCreated', detail: { eventKey: orderId } },
  leaseUntil: 1000,
  at: '2024-06-01T10:00:00+09:00',
});
const renewedFact = (contractId: string, term: number): ContractFact => ({
  contractId,
  kind: 'renewed',
  term: { number: term, start: '2025-01-01' },
  outcome: { detailType: 'ContractRenewed', detail: { eventKey: `${contractId}#term-${term}` } },
  at: '2025-01-01T00:05:00+09:00',
});
const cancelled = (contract: Contract, requestedAt: string, effectiveDate: string): Contract => ({
  ...contract,
  cancellation: {
    orderId: `X-${contract.contractId}`,
    requestedAt,
    effectiveDate: effectiveDate as Contract['startDate'],
    terminationFee: noFee(),
    withdrawnTerm: null,
  },
});

describe('InMemoryStore', () => {
  it('finds by the renewal indexes exactly the contracts the DynamoDB items are indexed under (GSI3 shards and keys, GSI4)', async () => {
    const store = new InMemoryStore(4);
    const reference = new ContractItems({ renewalShards: 4 } as DynamoDbTable);
    const contracts = Array.from({ length: 40 }, (_, n): Contract => {
      const contract = dueContract('IDX', n);
      if (n % 5 === 1) return cancelled(contract, '2024-11-20T09:00:00+09:00', '2024-12-31'); // listed, not due
      if (n % 5 === 2) return cancelled(contract, '2024-06-01T09:00:00+09:00', '2024-06-30'); // neither
      if (n % 5 === 3) return cancelled(contract, '2025-01-05T09:00:00+09:00', '2025-03-31'); // asked after the term: still due
      if (n % 5 === 4) return { ...contract, term: TERM_2 };
      return contract;
    });
    for (const contract of contracts) store.seedContract(contract);

    const items = contracts.map((c) => reference.item(c));
    for (let shard = 0; shard < 4; shard++) {
      const expected = items
        .filter((item) => item.GSI3PK === `RENEWAL#${shard}` && String(item.GSI3SK) < '2025-01')
        .map((item) => String(item.GSI3SK))
        .sort()
        .map((key) => key.slice(key.indexOf('#') + 1));
      const found: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.dueForRenewal(shard, '2025-01', cursor, 3);
        found.push(...page.contractIds);
        cursor = page.cursor;
      } while (cursor);
      expect(found).toEqual(expected);
      expect(found.every((id) => store.shardOf(id) === reference.shardOf(id))).toBe(true);
    }
    const listed = items
      .filter((item) => item.GSI4PK === 'RENEWAL-MONTH#2024-12')
      .map((item) => String(item.GSI4SK))
      .sort();
    expect(listed).toHaveLength(24);
    expect((await store.contractsInRenewalMonth('2024-12', null, 100)).contracts.map((c) => c.contractId)).toEqual(listed);
  });

  it('answers conditions as the DynamoDB store: order-exists before stale, stale on a changed line or version, impossible ones thrown', async () => {
    const store = new InMemoryStore();
    const contract = dueContract('C', 1);
    expect(await store.createContract(order('O-1'), contract, null)).toEqual({ status: 'written' });
    const line = await store.getLine(contract.lineId);
    expect(line).toEqual({ lineId: contract.lineId, contractIds: [contract.contractId], version: 1 });

    const next = { ...dueContract('C', 2), lineId: contract.lineId };
    expect(await store.createContract(order('O-1'), next, null)).toEqual({ status: 'order-exists' });
    expect(await store.createContract(order('O-2'), next, null)).toEqual({ status: 'stale' });
    expect(await store.createContract(order('O-2'), next, { ...line!, version: 7 })).toEqual({ status: 'stale' });
    await expect(store.createContract(order('O-2'), contract, line)).rejects.toThrow('cannot fail');
    expect(await store.createContract(order('O-2'), next, line)).toEqual({ status: 'written' });
    expect((await store.getLine(contract.lineId))?.version).toBe(2);

    expect(await store.updateContract(order('O-3'), { ...contract, version: 2 }, 2)).toEqual({ status: 'stale' });
    expect(await store.updateContract(order('O-2'), { ...contract, version: 2 }, 2)).toEqual({ status: 'order-exists' });
    expect(await store.updateContract(order('O-3'), { ...contract, version: 2 }, 1)).toEqual({ status: 'written' });
    expect(await store.recordOrder(order('O-3'))).toEqual({ status: 'order-exists' });
    expect(await store.recordOrder(order('O-3', 'REUSED#x'))).toEqual({ status: 'written' });
    expect(store.orders().map((o) => `${o.orderId} ${o.slot}`)).toEqual(['O-1 ORDER', 'O-2 ORDER', 'O-3 ORDER', 'O-3 REUSED#x']);
  });

  it('saves a renewal with its facts at the version read, refuses a stale one, and counts its own result as written (L4)', async () => {
    const store = new InMemoryStore();
    const contract = dueContract('R', 1);
    store.seedContract(contract);
    const renewed = { ...contract, version: 2 };
    expect(await store.saveRenewal(renewed, 2, [renewedFact(contract.contractId, 2)])).toBe('stale');
    expect(store.facts()).toEqual([]);
    expect(await store.saveRenewal(renewed, 1, [renewedFact(contract.contractId, 2)])).toBe('written');
    // The same transaction again (a resend after a lost answer): its own result, written, nothing twice.
    expect(await store.saveRenewal(renewed, 1, [renewedFact(contract.contractId, 2)])).toBe('written');
    expect(store.facts().map((f) => `${f.PK} ${f.SK} ${f.published}`)).toEqual([`FACT#${contract.contractId} TERM#2#2025-01-01 false`]);
    await expect(store.saveRenewal({ ...renewed, version: 3 }, 2, [renewedFact(contract.contractId, 2)])).rejects.toThrow('cannot fail');
    expect((await store.getContract(contract.contractId))?.version).toBe(2);

    const notice: ContractFact = { ...renewedFact(contract.contractId, 2), kind: 'renewal-month' };
    expect(await store.putFact(notice)).toBe('written');
    expect(await store.putFact(notice)).toBe('exists');
    expect(store.unpublished().map((u) => u.key)).toEqual([
      { PK: `FACT#${contract.contractId}`, SK: 'NOTICE#2#2025-01-01' },
      { PK: `FACT#${contract.contractId}`, SK: 'TERM#2#2025-01-01' },
    ]);
  });

  it('marks orders and facts published (the lease to 0), requeues only an unpublished outcome at the lease seen, throws for a missing item', async () => {
    const store = new InMemoryStore();
    await store.recordOrder(order('O-1'));
    expect(await store.requeueOutcome({ orderId: 'O-1', slot: 'ORDER' }, 999, 5000)).toBe(false);
    expect(await store.requeueOutcome({ orderId: 'O-1', slot: 'ORDER' }, 1000, 5000)).toBe(true);
    expect(await store.requeueOutcome({ orderId: 'O-none', slot: 'ORDER' }, 1000, 5000)).toBe(false);
    await store.markPublished({ PK: 'ORDER#O-1', SK: 'ORDER' });
    expect(await store.getOrder({ orderId: 'O-1', slot: 'ORDER' })).toMatchObject({ published: true, leaseUntil: 0 });
    expect(await store.requeueOutcome({ orderId: 'O-1', slot: 'ORDER' }, 0, 5000)).toBe(false);

    await store.putFact(renewedFact('K-1', 2));
    await store.markPublished({ PK: 'FACT#K-1', SK: 'TERM#2#2025-01-01' });
    expect(store.unpublished()).toEqual([]);
    await expect(store.markPublished({ PK: 'FACT#K-1', SK: 'TERM#3#2026-01-01' })).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    await expect(store.markPublished({ PK: 'ORDER#O-2', SK: 'ORDER' })).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('keeps copies: neither what was written nor what was read changes the stored state', async () => {
    const store = new InMemoryStore();
    const contract = dueContract('COPY', 1);
    await store.createContract(order('O-1'), contract, null);
    contract.services.edrSecurity = { terminals: 99 };
    const read = await store.getContract(contract.contractId);
    expect(read?.services.edrSecurity).toEqual({ terminals: 8 });
    read!.history.length = 0;
    (await store.getContracts([contract.contractId]))[0].plan.code = 'none';
    expect(await store.getContract(contract.contractId)).toMatchObject({
      plan: { code: 'prime-plus' },
      history: [expect.objectContaining({ type: 'ContractCreated' })],
    });
    expect(await store.getContracts(['none', contract.contractId, contract.contractId])).toHaveLength(2);
  });

  it('refuses a cursor it did not give for the same query', async () => {
    const store = new InMemoryStore(1);
    for (let n = 0; n < 3; n++) store.seedContract(dueContract('CUR', n));
    const page = await store.dueForRenewal(0, '2025-01', null, 2);
    expect(page.contractIds).toHaveLength(2);
    expect(await store.dueForRenewal(0, '2025-01', page.cursor, 2)).toEqual({ contractIds: [expect.any(String)], cursor: null });
    await expect(store.contractsInRenewalMonth('2024-12', page.cursor, 2)).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.dueForRenewal(0, '2025-01', 'garbage', 2)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('runs a hook once before the next write of its kind, and fails a write that way', async () => {
    const store = new InMemoryStore();
    const seen: string[] = [];
    store.beforeNextWrite(() => void seen.push('before putFact'), 'putFact');
    await store.recordOrder(order('O-1'));
    expect(seen).toEqual([]);
    await store.putFact(renewedFact('K-1', 2));
    expect(seen).toEqual(['before putFact']);
    store.failNextWrite(new Error('boom'));
    await expect(store.recordOrder(order('O-2'))).rejects.toThrow('boom');
    expect(await store.getOrder({ orderId: 'O-2', slot: 'ORDER' })).toBeNull();
    expect(store.writes()).toEqual([
      { kind: 'recordOrder', result: 'written' },
      { kind: 'putFact', result: 'written' },
      { kind: 'recordOrder', result: 'threw' },
    ]);
    expect(store.pendingHooks()).toBe(0);
  });
});

describe('stored items read back', () => {
  it('reads an order stored before eventKey existed (docs/terms.md K1) keyed by its orderId, and refuses an item that is no order, naming the field', () => {
    const stored = {
      orderId: 'O-OLD',
      slot: 'ORDER',
      fingerprint: 'fp',
      outcome: { detailType: 'ContractCreated', detail: { orderId: 'O-OLD' } },
      published: true,
      leaseUntil: 0,
      at: 'x',
    };
    expect(readStored(storedOrderSchema, 'ORDER#O-OLD', stored).outcome.detail.eventKey).toBe('O-OLD');
    expect(() => readStored(storedOrderSchema, 'ORDER#O-BAD', { ...stored, published: 'yes' })).toThrow('stored item ORDER#O-BAD is not readable: published');
  });
});
