import { FieldRefusal, InvalidCursorError } from '../../functions/domain/errors';
import { errorResponse } from '../../functions/http/errors';
import type { LookupDeps } from '../../functions/use-cases/deps';
import * as lookups from '../../functions/use-cases/lookups';
import { InMemoryStore } from '../support/in-memory-store';
import { created, lookupDeps, orderDeps, orders, sequentialIds, type TestOrderDeps } from './harness';

/** GET /lines/{lineId}/contracts and GET /customers?namePrefix= (interface §7.3) on the in-memory store, on 2024-07-15 (JST). */
const TODAY = '2024-07-15T12:00:00+09:00';
let store: InMemoryStore;
let deps: TestOrderDeps;
beforeEach(() => {
  store = new InMemoryStore();
  deps = orderDeps(store);
});
const on = (now = TODAY) => lookupDeps(store, now);
const customer = (customerId: string, name: string) => ({ customer: { customerId, name, kind: 'corporation', phone: '06-0000-0000' } });
const search = (namePrefix: string, page: { limit?: number; nextToken?: string } = {}) => lookups.customersByName(on(), { namePrefix, ...page });
const shown = (page: Awaited<ReturnType<typeof search>>) => page.customers.map((c) => [c.customerId, c.contracts.map((k) => k.contractId)]);

/** Every page of a search, `limit` customers at a time. */
async function allPages(namePrefix: string, limit: number) {
  const pages: Array<Awaited<ReturnType<typeof search>>> = [];
  let nextToken: string | undefined;
  do {
    const page = await search(namePrefix, { limit, ...(nextToken ? { nextToken } : {}) });
    pages.push(page);
    nextToken = page.nextToken ?? undefined;
  } while (nextToken && pages.length < 50);
  return pages;
}

describe('contractsOnLine', () => {
  it('lists every contract the line has had, cancelled ones too, newest first by start date', async () => {
    const first = await created(deps, 'ORD-1', { lineId: 'L-A', startDate: '2024-05-10' });
    await orders.cancel(deps, { orderId: 'ORD-C1', requestedAt: '2024-05-20T09:00:00+09:00', contractId: first, effectiveDate: '2024-05-31' });
    const second = await created(deps, 'ORD-2', { lineId: 'L-A', startDate: '2024-06-01', appliedAt: '2024-05-21T10:00:00+09:00' });
    await orders.cancel(deps, { orderId: 'ORD-C2', requestedAt: '2024-06-20T09:00:00+09:00', contractId: second, effectiveDate: '2024-06-30' });
    // Applied before the others: contractIds do not follow start dates.
    const third = await created(deps, 'ORD-3', { lineId: 'L-A', startDate: '2024-07-01', appliedAt: '2024-05-01T10:00:00+09:00' });
    await orders.cancel(deps, { orderId: 'ORD-C3', requestedAt: '2024-07-05T09:00:00+09:00', contractId: third, effectiveDate: '2024-07-10' });
    await created(deps, 'ORD-4', { lineId: 'L-B' });

    const { contracts } = await lookups.contractsOnLine(on(), 'L-A');
    expect(contracts.map((c) => [c.contractId, c.startDate, c.status])).toEqual([
      [third, '2024-07-01', 'cancelled'],
      [second, '2024-06-01', 'cancelled'],
      [first, '2024-05-10', 'cancelled'],
    ]);
    // The contract view of §2, as GET /customers/{id}/contracts shows it: no history.
    const ofCustomer = (await lookups.contractsOfCustomer(on(), 'C-001')).contracts;
    expect(contracts[0]).toEqual(ofCustomer.find((c) => c.contractId === third));
    expect(contracts[0]).not.toHaveProperty('history');
    // GET /lines/{lineId}/contract still finds none live.
    await expect(lookups.lineContract(on(), 'L-A')).rejects.toMatchObject({ name: 'LineContractNotFoundError' });
  });

  it('puts the greater contractId first between contracts starting the same day', async () => {
    const one = await store.getContract(await created(deps, 'ORD-1', { lineId: 'L-A' }));
    const two = await store.getContract(await created(deps, 'ORD-2', { lineId: 'L-B' }));
    if (!one || !two) throw new Error('not created');
    // No line takes two contracts starting the same day (R7): a store that held them, in index order.
    const held = { ...on(), store: { contractsOnLine: async () => [one, two] } as unknown as LookupDeps['store'] };
    expect((await lookups.contractsOnLine(held, 'L-A')).contracts.map((c) => c.contractId)).toEqual([two.contractId, one.contractId]);
  });

  it('answers a line that never had a contract with an empty list', async () => {
    expect(await lookups.contractsOnLine(on(), 'L-none')).toEqual({ contracts: [] });
  });
});

describe('customersByName', () => {
  it('finds a name by its prefix whatever the legal form, its place, the width, case and spaces of either side', async () => {
    const sample = await created(deps, 'ORD-1', customer('C-1', '株式会社サンプル'));
    const trailing = await created(deps, 'ORD-2', customer('C-2', 'サンプル商事（株）'));
    const latin = await created(deps, 'ORD-3', customer('C-3', 'ＳＡＭＰＬＥ　Ｔｒａｄｉｎｇ'));
    await created(deps, 'ORD-4', customer('C-4', '有限会社テスト'));

    for (const prefix of ['サン', 'サンプル', '㈱サンプル', '株式会社 サン', 'ｻﾝﾌﾟﾙ', '（株）サ ン']) {
      expect({ prefix, found: shown(await search(prefix)) }).toEqual({
        prefix,
        found: [
          ['C-1', [sample]],
          ['C-2', [trailing]],
        ],
      });
    }
    expect(shown(await search('サンプル商'))).toEqual([['C-2', [trailing]]]);
    for (const prefix of ['sample', 'SAMPLE T', 'ｓａｍｐｌｅｔ', 'Sa']) expect(shown(await search(prefix))).toEqual([['C-3', [latin]]]);
    expect(await search('サンプル商事株式会社大阪')).toEqual({ customers: [], nextToken: null });
    expect(await search('zz')).toEqual({ customers: [], nextToken: null });
  });

  it('lists a customer once, with all its matching contracts by start date and the name its latest gives', async () => {
    const older = await created(deps, 'ORD-1', { ...customer('C-1', 'サンプル株式会社'), lineId: 'L-1', startDate: '2024-05-10' });
    const newer = await created(deps, 'ORD-2', { ...customer('C-1', '株式会社サンプル'), lineId: 'L-2', startDate: '2024-06-01' });
    const { customers, nextToken } = await search('サンプル');
    expect(nextToken).toBeNull();
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({ customerId: 'C-1', name: '株式会社サンプル' });
    expect(customers[0].contracts.map((c) => c.contractId)).toEqual([older, newer]);
    expect(customers[0].contracts[0]).toEqual((await lookups.contractsOfCustomer(on(), 'C-1')).contracts[0]);
  });

  it('pages by customers, never cutting one with several contracts across two pages, at every limit', async () => {
    const expected: Array<[string, string[]]> = [];
    // Names in index order (the normalised name, then the customerId): C-2 and C-4 have three contracts.
    for (const [id, count] of [
      ['C-1', 1],
      ['C-2', 3],
      ['C-3', 1],
      ['C-4', 3],
      ['C-5', 1],
    ] as const) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push(await created(deps, `ORD-${id}-${i}`, customer(id, `株式会社サンプル${id.slice(-1)}`)));
      expected.push([id, ids]);
    }
    for (let limit = 1; limit <= 6; limit++) {
      const pages = await allPages('サンプル', limit);
      expect({ limit, pages: pages.map(shown) }).toEqual({ limit, pages: chunks(expected, limit) });
      expect(pages.at(-1)?.nextToken).toBeNull();
    }
    // The default page holds all five.
    expect(shown(await search('サンプル'))).toEqual(expected);
  });

  it('refuses a prefix of fewer than 2 characters once normalised, as a 400 naming namePrefix', async () => {
    await created(deps, 'ORD-1', customer('C-1', '株式会社サンプル'));
    for (const prefix of ['サ', '株式会社サ', '（株） ｻ', '　', '', '株式会社']) {
      const refused = await search(prefix).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(FieldRefusal);
      const response = errorResponse(refused);
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'INVALID_REQUEST', fields: [{ path: 'namePrefix' }] } });
    }
  });

  it('never finds a name that is only a legal form, nor one left with one character', async () => {
    await created(deps, 'ORD-1', customer('C-1', '株式会社'));
    await created(deps, 'ORD-2', customer('C-2', '（株）Ａ'));
    expect(await search('株式会社ab')).toEqual({ customers: [], nextToken: null });
    expect(await search('aa')).toEqual({ customers: [], nextToken: null });
  });

  it('takes %, #, _ and __proto__ as the text they are, in names and customerIds', async () => {
    const percent = await created(deps, 'ORD-1', customer('C-%', '100%サンプル'));
    const hash = await created(deps, 'ORD-2', customer('C-#1', 'AB#C'));
    const proto = await created(deps, 'ORD-3', customer('__proto__', '__proto__'));

    expect(shown(await search('100%'))).toEqual([['C-%', [percent]]]);
    expect(shown(await search('10'))).toEqual([['C-%', [percent]]]);
    expect(await search('%サ')).toEqual({ customers: [], nextToken: null });
    expect(shown(await search('ab#'))).toEqual([['C-#1', [hash]]]);
    expect(shown(await search('ab#c'))).toEqual([['C-#1', [hash]]]);
    expect(await search('##')).toEqual({ customers: [], nextToken: null });
    expect(await search('ab#c#C-#1')).toEqual({ customers: [], nextToken: null });
    expect(shown(await search('__proto__'))).toEqual([['__proto__', [proto]]]);
    expect(shown(await search('__'))).toEqual([['__proto__', [proto]]]);
    expect(await search('constructor')).toEqual({ customers: [], nextToken: null });
  });

  it('keeps the rows of a customer together whatever # another name or customerId holds, so that a page never cuts it', async () => {
    // Lower-case contract ids, as a normalised name can spell them.
    deps = orderDeps(store, undefined, sequentialIds('k'));
    // Keyed without escapes, the rows would sort ab#c#k-000001, ab#c#k-000002#…, ab#c#k-000003#…, ab#c#k-000004, …
    const first = await created(deps, 'ORD-1', customer('c', 'AB'));
    const byId = await created(deps, 'ORD-2', customer('c#k-000002', 'AB'));
    const byName = await created(deps, 'ORD-3', customer('z', 'AB#c#k-000003'));
    const again = await created(deps, 'ORD-4', customer('c', 'AB'));
    for (let limit = 1; limit <= 3; limit++) {
      expect({ limit, pages: (await allPages('ab', limit)).map(shown) }).toEqual({
        limit,
        pages: chunks(
          [
            ['c', [first, again]],
            ['c#k-000002', [byId]],
            ['z', [byName]],
          ],
          limit,
        ),
      });
    }
  });

  it('refuses a page token of another prefix, or none of ours', async () => {
    for (let i = 1; i <= 3; i++) await created(deps, `ORD-${i}`, customer(`C-${i}`, `サンプル${i}`));
    await created(deps, 'ORD-9', customer('C-9', 'サンクス'));
    const first = await search('サンプル', { limit: 1 });
    expect(first.nextToken).not.toBeNull();
    const token = first.nextToken ?? '';
    expect(shown(await search('サンプル', { limit: 1, nextToken: token }))).toEqual([['C-2', ['K-000002']]]);
    // Same partition (サン), another prefix: the token's key lies outside this query.
    await expect(search('サンクス', { nextToken: token })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(search('テスト', { nextToken: token })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(search('サンプル', { nextToken: 'bm90LWEta2V5' })).rejects.toMatchObject({ parameter: 'nextToken' });
  });
});

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
