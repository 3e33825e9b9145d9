import type { APIGatewayProxyEvent } from 'aws-lambda';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import type { LocalDate } from '../../functions/domain/calendar';
import type { Contract } from '../../functions/domain/contract';
import { createContract } from '../../functions/domain/contract-lifecycle';
import { SHIPPED_CATALOG } from '../../functions/domain/tariff/catalog';
import { createLookupApiHandler } from '../../functions/handlers/lookup-api';
import { ContractItems } from '../../functions/store/dynamodb/contract-items';
import { DynamoDbTable } from '../../functions/store/dynamodb/table';
import * as lookups from '../../functions/use-cases/lookups';
import { InMemoryStore } from '../support/in-memory-store';
import { testDeps } from '../support/handler-deps';
import { lookupDeps } from '../use-cases/harness';
import { inboundHandlers } from './support/contracts';
import { freshTable, type TestTable } from './support/dynamodb';
import { fixedClock, harness, type Harness } from './support/fixtures';
import { RequestCounter } from './support/request-counter';

/** GET /customers?namePrefix= and GET /lines/{lineId}/contracts (interface §7.3) on DynamoDB Local, through the lookup handler. */
const NOW = '2024-07-15T12:00:00+09:00';
let table: TestTable;
let h: Harness;
let lookup: ReturnType<typeof createLookupApiHandler>;
let counter: RequestCounter;
let items: ContractItems;

async function call(path: string, query: Record<string, string> | null = null) {
  const response = await lookup({ httpMethod: 'GET', path, queryStringParameters: query } as APIGatewayProxyEvent);
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

type Found = Array<[string, string[]]>;
const found = (body: { customers: Array<{ customerId: string; contracts: Array<{ contractId: string }> }> }): Found =>
  body.customers.map((c) => [c.customerId, c.contracts.map((k) => k.contractId)]);

/** Every page of a search through the handler, `limit` customers at a time. */
async function allPages(namePrefix: string, limit: number): Promise<Found[]> {
  const pages: Found[] = [];
  let nextToken: string | undefined;
  do {
    const { status, body } = await call('/customers', { namePrefix, limit: String(limit), ...(nextToken ? { nextToken } : {}) });
    expect(status).toBe(200);
    pages.push(found(body));
    nextToken = body.nextToken ?? undefined;
  } while (nextToken && pages.length < 50);
  return pages;
}

/** A contract as an application would create it, put straight into the table as bench/ seeds it (ContractItems.item). */
async function seeded(contractId: string, customerId: string, name: string, startDate = '2024-05-10'): Promise<Contract> {
  const contract = createContract(
    {
      contractId,
      orderId: `ORD-${contractId}`,
      appliedAt: '2024-05-01T10:00:00+09:00',
      customer: { customerId, name, kind: 'corporation', phone: '06-0000-0000' },
      lineId: `L-${contractId}`,
      startDate: startDate as LocalDate,
      plan: { code: 'prime-plus', tier: 10 },
      services: { edrSecurity: { terminals: 8 } },
      billing: { method: 'account-transfer' },
    },
    SHIPPED_CATALOG,
  );
  await table.client.send(new PutCommand({ TableName: table.settings.tableName, Item: items.item(contract) }));
  return contract;
}

const customer = (customerId: string, name: string) => ({ customer: { customerId, name, kind: 'corporation', phone: '06-0000-0000' } });

beforeAll(async () => {
  table = await freshTable('names');
  h = harness(table);
  lookup = createLookupApiHandler(testDeps({ dynamoDb: table.client, settings: table.settings, clock: fixedClock(NOW) }));
  items = new ContractItems(new DynamoDbTable({ client: table.client, tableName: table.settings.tableName, renewalShards: table.settings.renewalShards }));
  counter = new RequestCounter(table.client);
});
afterAll(() => table.client.destroy());

describe('GET /customers?namePrefix=', () => {
  it('finds customers by a prefix of the name whatever the legal form, width, case and spaces, from one index query', async () => {
    const handlers = inboundHandlers(h);
    const buppan = [
      await handlers.created({ ...customer('C-BUPPAN', '株式会社サンプル物産'), startDate: '2024-05-10' }),
      await handlers.created({ ...customer('C-BUPPAN', 'サンプル物産 株式会社'), startDate: '2024-06-01' }),
    ];
    const shoji = await handlers.created(customer('C-SHOJI', 'サンプル商事（株）'));
    const latin = await handlers.created(customer('C-LATIN', 'ＳＡＭＰＬＥ　Ｔｒａｄｉｎｇ'));
    await handlers.created(customer('C-TEST', '有限会社テスト'));

    for (const namePrefix of ['サンプル', '㈱サンプル', '（株） サン', 'ｻﾝﾌﾟﾙ', '株式会社サンプル']) {
      counter.reset();
      const { status, body } = await call('/customers', { namePrefix });
      expect({ namePrefix, status, found: found(body) }).toEqual({
        namePrefix,
        status: 200,
        // By normalised name: 商 (U+5546) before 物 (U+7269).
        found: [
          ['C-SHOJI', [shoji]],
          ['C-BUPPAN', buppan],
        ],
      });
      expect(counter.snapshot()).toEqual({ Query: 1 });
      expect(body.nextToken).toBeNull();
    }
    expect(found((await call('/customers', { namePrefix: 'サンプル物' })).body)).toEqual([['C-BUPPAN', buppan]]);
    for (const namePrefix of ['sample t', 'Ｓａｍｐｌｅ', 'SA']) expect(found((await call('/customers', { namePrefix })).body)).toEqual([['C-LATIN', [latin]]]);

    // Each customer once, named as its latest contract names it; each contract as GET /contracts/{id} shows it, without history.
    const { body } = await call('/customers', { namePrefix: 'サンプル物産' });
    expect(body.customers).toHaveLength(1);
    expect(body.customers[0]).toMatchObject({ customerId: 'C-BUPPAN', name: 'サンプル物産 株式会社' });
    const { history: _history, ...byId } = (await call(`/contracts/${buppan[1]}`)).body;
    expect(body.customers[0].contracts[1]).toEqual(byId);
  });

  it('answers 400 INVALID_REQUEST naming the parameter, before reading anything, for a prefix too short or too long once normalised and other bad queries', async () => {
    const cases: Array<[Record<string, string> | null, string]> = [
      [null, 'namePrefix'],
      [{ namePrefix: 'サ' }, 'namePrefix'],
      [{ namePrefix: '株式会社 ｻ' }, 'namePrefix'],
      [{ namePrefix: '（株）' }, 'namePrefix'],
      [{ namePrefix: '　　' }, 'namePrefix'],
      [{ namePrefix: '' }, 'namePrefix'],
      [{ namePrefix: 'a'.repeat(101) }, 'namePrefix'],
      [{ namePrefix: 'あ'.repeat(134) }, 'namePrefix'],
      [{ namePrefix: ' '.repeat(10_000) }, 'namePrefix'],
      // 9 characters as typed, 135 once NFKC has spelled out ﷺ.
      [{ namePrefix: 'ﷺ'.repeat(9) }, 'namePrefix'],
      [{ namePrefix: 'サン\ud800' }, 'namePrefix'],
      [{ namePrefix: 'サンプル', limit: '0' }, 'limit'],
      [{ namePrefix: 'サンプル', limit: '101' }, 'limit'],
      [{ namePrefix: 'サンプル', limit: '1e2' }, 'limit'],
      [{ namePrefix: 'サンプル', name: 'x' }, 'name'],
      [{ namePrefix: 'サンプル', nextToken: '' }, 'nextToken'],
    ];
    for (const [query, field] of cases) {
      counter.reset();
      const { status, body } = await call('/customers', query);
      expect({ query, status, code: body.error?.code }).toEqual({ query, status: 400, code: 'INVALID_REQUEST' });
      expect(body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
      expect(counter.snapshot()).toEqual({});
    }
  });

  it('refuses a page token of another prefix or of another query with 400 naming nextToken, never a 500', async () => {
    for (let i = 1; i <= 3; i++) await seeded(`K-TOKEN-${i}`, `C-TOKEN-${i}`, `トークン${i}`);
    await seeded('K-TOKEN-9', 'C-TOKEN-9', 'トーク');
    const first = await call('/customers', { namePrefix: 'トークン', limit: '1' });
    expect(found(first.body)).toEqual([['C-TOKEN-1', ['K-TOKEN-1']]]);
    const token: string = first.body.nextToken;
    expect(found((await call('/customers', { namePrefix: 'トークン', limit: '1', nextToken: token })).body)).toEqual([['C-TOKEN-2', ['K-TOKEN-2']]]);

    const renewals = (await call('/renewals', { month: '2025-04', limit: '1' })).body.nextToken as string;
    expect(renewals).toEqual(expect.any(String));
    const tokenOf = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const foreign = tokenOf({ GSI6PK: 'CUSTOMER-NAME#トー', GSI6SK: 'x', PK: '__proto__', SK: 'y' });
    for (const [namePrefix, nextToken] of [
      ['トーキョー', token],
      ['サンプル', token],
      ['トークン', renewals],
      ['トークン', foreign],
      ['トークン', 'bm90LWEta2V5'],
    ]) {
      const { status, body } = await call('/customers', { namePrefix, nextToken });
      expect({ namePrefix, status }).toEqual({ namePrefix, status: 400 });
      expect(body.error).toMatchObject({ code: 'INVALID_REQUEST', fields: [{ path: 'nextToken' }] });
    }
    // Made up, but inside the query: DynamoDB starts after it, as after any key.
    const madeUp = tokenOf({ GSI6PK: 'CUSTOMER-NAME#トー', GSI6SK: 'トークン1#~', PK: '__proto__', SK: 'y' });
    expect(await call('/customers', { namePrefix: 'トークン', nextToken: madeUp })).toMatchObject({ status: 200 });
  });

  it('takes %, #, __proto__ and a prefix of 100 characters as text, finding only what they spell', async () => {
    const percent = await seeded('K-PCT', 'C-%', '100%ホールディングス');
    const hash = await seeded('K-HASH', 'C-#1', 'AB#C合同会社');
    const proto = await seeded('K-PROTO', '__proto__', '__proto__');
    const long = await seeded('K-LONG', 'C-LONG', `株式会社${'長'.repeat(190)}`);

    const cases: Array<[string, Found]> = [
      ['100%', [['C-%', [percent.contractId]]]],
      ['%ホ', []],
      ['%%', []],
      ['ab#c', [['C-#1', [hash.contractId]]]],
      ['Ａｂ＃', [['C-#1', [hash.contractId]]]],
      ['##', []],
      ['ab#c#C-#1', []],
      ['__proto__', [['__proto__', [proto.contractId]]]],
      ['__', [['__proto__', [proto.contractId]]]],
      ['constructor', []],
      ['長'.repeat(100), [['C-LONG', [long.contractId]]]],
      ['長'.repeat(99) + '短', []],
      ['𠮷'.repeat(100), []],
    ];
    for (const [namePrefix, expected] of cases) {
      const { status, body } = await call('/customers', { namePrefix });
      expect({ namePrefix, status, found: found(body) }).toEqual({ namePrefix, status: 200, found: expected });
    }
  });

  it('answers any namePrefix, limit and nextToken with 200 or 400 and an error body, never a 500', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom('%', '%%', '#', '##', '__proto__', 'constructor', '株式会社', '（株）', '\ud800\udc00\ud800', 'ﷺ'.repeat(30), '𠮷'.repeat(101)),
    );
    const query = fc.record(
      { namePrefix: text, limit: fc.oneof(fc.constantFrom('1', '20', '100', '0', '-1', ''), fc.string({ maxLength: 4 })), nextToken: text },
      { requiredKeys: ['namePrefix'] },
    );
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const { status, body } = await call('/customers', q);
        expect([200, 400]).toContain(status);
        if (status === 400)
          expect(body.error).toEqual(expect.objectContaining({ code: 'INVALID_REQUEST', message: expect.any(String), fields: expect.any(Array) }));
      }),
      { seed: 20261207, numRuns: 150 },
    );
  });

  it('pages by customers, never cutting one with several contracts in two, and pages as the in-memory store does', async () => {
    const memory = new InMemoryStore();
    const seed = async (contractId: string, customerId: string, name: string) => memory.seedContract(await seeded(contractId, customerId, name));
    // Lower-case contract ids, which a normalised name can spell: without its escapes, the index would put
    // c#k-p2's and z's rows between c's (ab#c#k-p1, ab#c#k-p2#…, ab#c#k-p3#…, ab#c#k-p4).
    await seed('k-p1', 'c', 'ページ商会');
    await seed('k-p2', 'c#k-p2', 'ページ商会');
    await seed('k-p3', 'z', 'ページ商会#c#k-p3');
    await seed('k-p4', 'c', '株式会社ページ商会');
    // One customer with five contracts: more rows than a page of 1 reads in one Query.
    for (let i = 1; i <= 5; i++) await seed(`K-PM-${i}`, 'C-PM', `ページ本舗 ${i}号`);
    for (let i = 1; i <= 3; i++) await seed(`K-PS-${i}`, `C-PS-${i}`, `（有）ページ${i}`);
    const everyone: Found = [
      ['C-PS-1', ['K-PS-1']],
      ['C-PS-2', ['K-PS-2']],
      ['C-PS-3', ['K-PS-3']],
      ['c', ['k-p1', 'k-p4']],
      ['c#k-p2', ['k-p2']],
      ['z', ['k-p3']],
      ['C-PM', ['K-PM-1', 'K-PM-2', 'K-PM-3', 'K-PM-4', 'K-PM-5']],
    ];
    const inMemory = async (limit: number) => {
      const pages: Found[] = [];
      let nextToken: string | undefined;
      do {
        const page = await lookups.customersByName(lookupDeps(memory, NOW), { namePrefix: 'ページ', limit, ...(nextToken ? { nextToken } : {}) });
        pages.push(found(page));
        nextToken = page.nextToken ?? undefined;
      } while (nextToken && pages.length < 50);
      return pages;
    };

    for (let limit = 1; limit <= 8; limit++) {
      const pages = await allPages('ページ', limit);
      expect({ limit, pages }).toEqual({ limit, pages: chunks(everyone, limit) });
      expect({ limit, pages: await inMemory(limit) }).toEqual({ limit, pages });
    }
    counter.reset();
    expect(found((await call('/customers', { namePrefix: 'ページ本舗', limit: '1' })).body)).toEqual([everyone[6]]);
    // Five rows of one customer: Limit 2 a Query, until the query ends.
    expect(counter.snapshot()).toEqual({ Query: 3 });
  });

  it('keys no name that is only a legal form; keys a contract written before the index on its next write', async () => {
    const handlers = inboundHandlers(h);
    const keysOf = async (contractId: string) => {
      const { Item } = await table.client.send(new GetCommand({ TableName: table.settings.tableName, Key: { PK: `CONTRACT#${contractId}`, SK: 'CONTRACT' } }));
      return { GSI6PK: Item?.GSI6PK, GSI6SK: Item?.GSI6SK };
    };
    const onlyForm = await handlers.created(customer('C-FORM', '株式会社'));
    expect(await keysOf(onlyForm)).toEqual({ GSI6PK: undefined, GSI6SK: undefined });

    const older = await handlers.created(customer('C-OLDER', '再索引テスト'));
    expect(await keysOf(older)).toEqual({ GSI6PK: 'CUSTOMER-NAME#再索', GSI6SK: `再索引テスト#C-OLDER#${older}` });
    // As a contract item written before GSI6 was keyed.
    await table.client.send(
      new UpdateCommand({ TableName: table.settings.tableName, Key: { PK: `CONTRACT#${older}`, SK: 'CONTRACT' }, UpdateExpression: 'REMOVE GSI6PK, GSI6SK' }),
    );
    expect(await call('/customers', { namePrefix: '再索引' })).toEqual({ status: 200, body: { customers: [], nextToken: null } });
    await handlers.change(handlers.changeEvent({ contractId: older, requestedAt: '2024-06-10T09:00:00+09:00', services: { edrSecurity: { terminals: 9 } } }));
    const { body } = await call('/customers', { namePrefix: '再索引' });
    expect(found(body)).toEqual([['C-OLDER', [older]]]);
    expect(body.customers[0].contracts[0]).toMatchObject({ version: 2, services: { edrSecurity: { terminals: 9 } } });
  });

  it('leaves out an entry keyed under another normaliser than the one that reads it', async () => {
    const stale = await seeded('K-STALE', 'C-STALE', '株式会社旧索引');
    // As a normaliser that kept 株式会社 would have keyed it.
    await table.client.send(
      new UpdateCommand({
        TableName: table.settings.tableName,
        Key: { PK: 'CONTRACT#K-STALE', SK: 'CONTRACT' },
        UpdateExpression: 'SET GSI6PK = :pk, GSI6SK = :sk',
        ExpressionAttributeValues: { ':pk': 'CUSTOMER-NAME#株式', ':sk': `株式会社旧索引#C-STALE#${stale.contractId}` },
      }),
    );
    expect(await call('/customers', { namePrefix: '株式' })).toEqual({ status: 200, body: { customers: [], nextToken: null } });
  });
});

describe('GET /lines/{lineId}/contracts', () => {
  it('lists every contract a cancelled line has had, newest first, from one index query; GET /lines/{lineId}/contract still 404', async () => {
    const handlers = inboundHandlers(h);
    const line = `L-past-${Date.now()}`;
    const first = await handlers.created({ lineId: line, startDate: '2024-05-10' });
    await handlers.cancel(handlers.cancelEvent({ contractId: first, requestedAt: '2024-05-20T09:00:00+09:00', effectiveDate: '2024-05-31' }));
    const second = await handlers.created({ lineId: line, startDate: '2024-06-01', appliedAt: '2024-05-20T10:00:00+09:00' });
    await handlers.cancel(handlers.cancelEvent({ contractId: second, requestedAt: '2024-06-10T09:00:00+09:00', effectiveDate: '2024-06-30' }));
    const third = await handlers.created({ lineId: line, startDate: '2024-07-01', appliedAt: '2024-06-05T10:00:00+09:00' });
    await handlers.cancel(handlers.cancelEvent({ contractId: third, requestedAt: '2024-07-02T09:00:00+09:00', effectiveDate: '2024-07-10' }));

    counter.reset();
    const { status, body } = await call(`/lines/${encodeURIComponent(line)}/contracts`);
    expect(counter.snapshot()).toEqual({ Query: 1 });
    expect(status).toBe(200);
    expect(body.contracts.map((c: { contractId: string; startDate: string; status: string }) => [c.contractId, c.startDate, c.status])).toEqual([
      [third, '2024-07-01', 'cancelled'],
      [second, '2024-06-01', 'cancelled'],
      [first, '2024-05-10', 'cancelled'],
    ]);
    for (const listed of body.contracts) {
      const { history: _history, ...byId } = (await call(`/contracts/${listed.contractId}`)).body;
      expect(listed).toEqual(byId);
    }
    expect(await call(`/lines/${encodeURIComponent(line)}/contract`)).toMatchObject({ status: 404, body: { error: { code: 'CONTRACT_NOT_FOUND' } } });
  });

  it('answers a line that never had a contract with 200 and an empty list, and refuses a query parameter', async () => {
    expect(await call('/lines/L-never/contracts')).toEqual({ status: 200, body: { contracts: [] } });
    expect(await call('/lines/L-never/contracts', { all: 'yes' })).toMatchObject({ status: 400, body: { error: { fields: [{ path: 'all' }] } } });
  });
});

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
