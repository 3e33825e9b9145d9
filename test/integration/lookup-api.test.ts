import type { APIGatewayProxyEvent, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { createLookupApiHandler } from '../../functions/handlers/lookup-api';
import { matchResource } from '../../functions/http/routes';
import { inboundHandlers } from './support/contracts';
import { freshTable, type TestTable } from './support/dynamodb';
import { fixedClock, harness, type Harness } from './support/fixtures';
import { RequestCounter } from './support/request-counter';
import { testDeps } from '../support/handler-deps';
import { englishWordsIn } from '../support/japanese-text';

let table: TestTable;
let h: Harness;
let lookup: ReturnType<typeof createLookupApiHandler>;
let counter: RequestCounter;
let contractId: string;
let otherContractId: string;
let lineId: string;
let customerId: string;

/** The parts of a REST proxy event the lookup reads, as API Gateway fills them. */
function get(path: string, query: Record<string, string> | null = null, httpMethod = 'GET'): APIGatewayProxyEvent {
  return { httpMethod, path, queryStringParameters: query } as APIGatewayProxyEvent;
}

async function call(path: string, query: Record<string, string> | null = null, httpMethod = 'GET') {
  const response = await lookup(get(path, query, httpMethod));
  return { status: response.statusCode, body: JSON.parse(response.body), headers: response.headers };
}

beforeAll(async () => {
  table = await freshTable('lookups');
  h = harness(table, '2024-06-01T10:00:00+09:00');
  lookup = createLookupApiHandler(testDeps({ dynamoDb: table.client, settings: table.settings, clock: fixedClock('2024-07-15T12:00:00+09:00') }));
  const handlers = inboundHandlers(h);
  customerId = `C-${Date.now()}`;
  lineId = `L-lookup-${Date.now()}`;
  const customer = { customerId, name: '株式会社ルックアップ', kind: 'corporation', phone: '06-0000-0000' };
  contractId = await handlers.created({ customer, lineId, startDate: '2024-05-10' });
  await handlers.change(
    handlers.changeEvent({
      contractId,
      requestedAt: '2024-06-10T09:00:00+09:00',
      services: { edrSecurity: { terminals: 12 }, gatewaySecurity: { tier: 10, failureSupport24h: true } },
    }),
  );
  otherContractId = await handlers.created({ customer, plan: { code: 'none' }, services: { edrSecurity: { terminals: 1 } } });
  // One counter per client: the SDK refuses a second middleware of the same name.
  counter = new RequestCounter(table.client);
});

/** What GET /contracts/{id} answers (a consistent read by key), without the history the list routes leave out. */
async function byIdWithoutHistory(id: string) {
  const { history: _history, ...contract } = (await call(`/contracts/${id}`)).body;
  return contract;
}
afterAll(() => table.client.destroy());

describe('lookup API', () => {
  it('answers GET /contracts/{id} with the contract, its status today and every change, from one read', async () => {
    counter.reset();
    const { status, body, headers } = await call(`/contracts/${contractId}`);

    expect(counter.snapshot()).toEqual({ GetItem: 1 });
    expect(status).toBe(200);
    expect(headers?.['content-type']).toMatch(/application\/json/);
    expect(body).toMatchObject({ contractId, lineId, status: 'live', version: 2, term: { number: 1, renewalMonth: '2025-04' } });
    expect(body.history.map((e: { type: string }) => e.type)).toEqual(['ContractCreated', 'ContractServicesChanged']);
    expect(body.history[1]).toEqual(expect.objectContaining({ at: '2024-06-10T09:00:00+09:00', orderId: expect.any(String), summary: expect.any(String) }));
  });

  it("lists a customer's contracts, as GET /contracts/{id} shows them without history, from one index query", async () => {
    counter.reset();
    const { status, body } = await call(`/customers/${customerId}/contracts`);

    expect(counter.snapshot()).toEqual({ Query: 1 });
    expect(status).toBe(200);
    expect(body.contracts.map((c: { contractId: string }) => c.contractId).sort()).toEqual([contractId, otherContractId].sort());
    for (const listed of body.contracts) expect(listed).toEqual(await byIdWithoutHistory(listed.contractId));
    // The index carries the contract as last written, not as created.
    expect(body.contracts.find((c: { contractId: string }) => c.contractId === contractId)).toMatchObject({
      version: 2,
      services: { edrSecurity: { terminals: 12 } },
    });
    expect(body.contracts[0].history).toBeUndefined();
  });

  it('answers an unknown customer with an empty list', async () => {
    expect(await call('/customers/nobody/contracts')).toMatchObject({ status: 200, body: { contracts: [] } });
  });

  it("answers a line's live contract, as GET /contracts/{id} shows it without history, from one index query", async () => {
    counter.reset();
    const { status, body } = await call(`/lines/${lineId}/contract`);

    expect(counter.snapshot()).toEqual({ Query: 1 });
    expect(status).toBe(200);
    expect(body).toEqual(await byIdWithoutHistory(contractId));
    expect(body).toMatchObject({ lineId, status: 'live', version: 2 });
  });

  it('answers 404 for a line that never had a contract, from one index query', async () => {
    counter.reset();
    expect(await call('/lines/L-none/contract')).toMatchObject({ status: 404, body: { error: { code: 'CONTRACT_NOT_FOUND' } } });
    expect(counter.snapshot()).toEqual({ Query: 1 });
  });

  it('picks the live contract of a line that has had several: in service today, else the next to start; none when all are cancelled', async () => {
    const handlers = inboundHandlers(h);
    const line = `L-history-${Date.now()}`;
    const lookupOn = (day: string) => {
      const handler = createLookupApiHandler(testDeps({ dynamoDb: table.client, settings: table.settings, clock: fixedClock(`${day}T12:00:00+09:00`) }));
      return async () => {
        const response = await handler(get(`/lines/${line}/contract`));
        return { status: response.statusCode, body: JSON.parse(response.body) };
      };
    };
    const [handoverDay, afterHandover, beforeStart] = [lookupOn('2024-06-30'), lookupOn('2024-07-15'), lookupOn('2024-05-01')];
    const first = await handlers.created({ lineId: line, startDate: '2024-05-10' });
    await handlers.cancel(handlers.cancelEvent({ contractId: first, effectiveDate: '2024-06-30' }));
    const second = await handlers.created({ lineId: line, startDate: '2024-07-01' });

    expect(await beforeStart()).toMatchObject({ status: 200, body: { contractId: first, status: 'live' } });
    expect(await handoverDay()).toMatchObject({ status: 200, body: { contractId: first, status: 'live', cancellation: { effectiveDate: '2024-06-30' } } });
    expect(await afterHandover()).toMatchObject({ status: 200, body: { contractId: second, status: 'live' } });

    await handlers.cancel(handlers.cancelEvent({ contractId: second, effectiveDate: '2024-07-10' }));
    counter.reset();
    expect(await afterHandover()).toMatchObject({ status: 404, body: { error: { code: 'CONTRACT_NOT_FOUND' } } });
    expect(counter.snapshot()).toEqual({ Query: 1 });
    expect(await handoverDay()).toMatchObject({ status: 200, body: { contractId: first } });
  });

  it('quotes the termination fee for a date (renewal month: nothing left to pay) and for today (month 3: 9 months)', async () => {
    const inRenewalMonth = await call(`/contracts/${contractId}/termination-quote`, { date: '2025-04-01' });
    const today = await call(`/contracts/${contractId}/termination-quote`);

    expect(inRenewalMonth).toMatchObject({ status: 200, body: { amount: 0, remainingMonths: 0, clause: '別紙7 ※11' } });
    expect(today).toMatchObject({
      status: 200,
      body: { effectiveDate: '2024-07-15', amount: 27000, basicFee: 3000, remainingMonths: 9, revision: '2024-04-01' },
    });
  });

  it('quotes 0 for a date after the term ends: asked today, the renewal stops (L5)', async () => {
    expect(await call(`/contracts/${contractId}/termination-quote`, { date: '2025-05-15' })).toMatchObject({
      status: 200,
      body: { effectiveDate: '2025-05-15', amount: 0, remainingMonths: 0 },
    });
  });

  it('answers 409 CONTRACT_NOT_LIVE for a quote on a contract whose cancellation is recorded, or that is cancelled', async () => {
    const handlers = inboundHandlers(h);
    const leaving = await handlers.created({
      customer: { customerId, name: '株式会社ルックアップ', kind: 'corporation', phone: '06-0000-0000' },
      startDate: '2024-05-10',
    });
    expect((await call(`/contracts/${leaving}/termination-quote`)).status).toBe(200);
    await handlers.cancel(handlers.cancelEvent({ contractId: leaving, requestedAt: '2024-06-20T09:00:00+09:00', effectiveDate: '2024-09-30' }));
    const gone = await handlers.created({
      customer: { customerId, name: '株式会社ルックアップ', kind: 'corporation', phone: '06-0000-0000' },
      startDate: '2024-05-10',
    });
    await handlers.cancel(handlers.cancelEvent({ contractId: gone, requestedAt: '2024-06-20T09:00:00+09:00', effectiveDate: '2024-06-30' }));
    for (const id of [leaving, gone]) {
      expect(await call(`/contracts/${id}/termination-quote`, { date: '2024-08-01' })).toMatchObject({
        status: 409,
        body: { error: { code: 'CONTRACT_NOT_LIVE', message: expect.stringContaining(`契約 ${id} は解約手続き済みです (解約日 2024年`) } },
      });
    }
  });

  it('answers the charges of a billing month, with the change counting for the whole month it was made in (C2)', async () => {
    const { status, body } = await call(`/contracts/${contractId}/charges`, { month: '2024-06' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ contractId, month: '2024-06', revision: '2024-04-01' });
    const edr = body.lines.find((line: { item: string }) => line.item === 'edrSecurity');
    expect(edr).toMatchObject({ quantity: 7, unitPrice: 1100, amount: 7700 });
  });

  it('answers 400 naming month for charges of a month the contract was not live', async () => {
    const { status, body } = await call(`/contracts/${contractId}/charges`, { month: '2024-04' });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'month' })] });
  });

  it('answers the tariff revision in force on a date, and 400 before the first one', async () => {
    expect(await call('/tariff', { date: '2024-03-31' })).toMatchObject({ status: 200, body: { id: '2023-12-01' } });
    expect(await call('/tariff', { date: '2024-04-01' })).toMatchObject({ status: 200, body: { id: '2024-04-01' } });
    expect(await call('/tariff')).toMatchObject({ status: 200, body: { id: '2024-04-01' } });
    expect(await call('/tariff', { date: '2001-01-01' })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'date' })] } },
    });
  });

  it('answers 404 CONTRACT_NOT_FOUND for an unknown contract on every contract route', async () => {
    for (const path of ['/contracts/nope', '/contracts/nope/termination-quote', '/contracts/nope/charges']) {
      const { status, body } = await call(path);
      expect(status).toBe(404);
      expect(body.error).toEqual({ code: 'CONTRACT_NOT_FOUND', message: '契約 nope は見つかりません。契約IDを確認してください。' });
    }
  });

  it('answers 400 INVALID_REQUEST with the fields for bad parameters, never a 500', async () => {
    const cases: Array<[string, Record<string, string> | null, string]> = [
      [`/contracts/${contractId}/termination-quote`, { date: '2024-02-30' }, 'date'],
      [`/contracts/${contractId}/charges`, { month: '2024-13' }, 'month'],
      [`/contracts/${contractId}`, { verbose: 'yes' }, 'verbose'],
      ['/contracts/%E0%A4%A', null, 'contractId'],
      [`/contracts/${'x'.repeat(201)}`, null, 'contractId'],
      // Past the calendar: the term containing 9999-12-31 would end in a five-digit year.
      [`/contracts/${contractId}/termination-quote`, { date: '9999-12-31' }, 'date'],
      [`/contracts/${contractId}/charges`, { month: '9999-12' }, 'month'],
      ['/tariff', { date: '9999-12-31' }, 'date'],
    ];
    for (const [path, query, field] of cases) {
      const { status, body } = await call(path, query);
      expect({ path, status }).toEqual({ path, status: 400 });
      expect(body.error.code).toBe('INVALID_REQUEST');
      expect(body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
      // In Japanese, for customer service to read out: the paths stay, the words are not English.
      for (const message of [body.error.message, ...body.error.fields.map((f: { message: string }) => f.message)]) {
        expect({ path, message, english: englishWordsIn(message, [contractId]) }).toEqual({ path, message, english: [] });
      }
    }
  });

  it('looks up an order by an orderId past K2’s 64 characters (its refusal is stored under it), up to 1,024, on every request', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await call(`/orders/${'o'.repeat(65)}`)).toMatchObject({ status: 404 });
      expect(await call(`/contracts/${'k'.repeat(65)}`)).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
      const { status, body } = await call(`/orders/${'o'.repeat(1025)}`);
      expect(status).toBe(400);
      expect(body.error.fields.map((f: { path: string }) => f.path)).toEqual(['orderId']);
    }
  });

  it('answers 404 for an unknown path and 405 for a method other than GET', async () => {
    expect(await call('/contracts')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(await call(`/contracts/${contractId}`, null, 'DELETE')).toMatchObject({ status: 405 });
  });
});

/**
 * The console's HTTP API (docs/interface.md §6): API Gateway has checked the token (JWT
 * authorizer) and hands over its claims in a v2 event; the group is the function's check.
 */
describe('lookup API behind the console HTTP API (v2 events, Cognito claims)', () => {
  /**
   * As an HTTP API hands a request to the function: the route it matched (routeKey), the
   * path parameters it decoded, and rawPath decoded too (path given here as the browser
   * sent it, percent-encoded).
   */
  function consoleEvent(path: string, claims: Record<string, unknown> | null, query?: Record<string, string>): APIGatewayProxyEventV2WithJWTAuthorizer {
    const rawPath = decodeURIComponent(path);
    // API Gateway's matching, as the local server plays it: the resource, its parameters decoded.
    const route = matchResource(path);
    return {
      version: '2.0',
      routeKey: route ? `GET ${route.resource}` : '$default',
      rawPath,
      ...(route && Object.keys(route.params).length > 0 ? { pathParameters: route.params } : {}),
      rawQueryString: new URLSearchParams(query).toString(),
      headers: {},
      isBase64Encoded: false,
      ...(query ? { queryStringParameters: query } : {}),
      requestContext: {
        http: { method: 'GET', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'console' },
        ...(claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: ['openid', 'email'] } } } : {}),
      },
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
  }
  const send = async (event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
    const response = await lookup(event);
    return { status: response.statusCode, body: JSON.parse(response.body) };
  };
  const staff = (groups: unknown) => ({ sub: 'user-1', client_id: 'console', token_use: 'access', 'cognito:groups': groups });

  it('answers a member of customer-service, with the groups as API Gateway flattens them or as a list', async () => {
    for (const groups of ['[customer-service]', '[billing customer-service]', 'customer-service', ['customer-service']]) {
      const { status, body } = await send(consoleEvent(`/contracts/${contractId}`, staff(groups)));
      expect({ groups, status }).toEqual({ groups, status: 200 });
      expect(body.contractId).toBe(contractId);
    }
    const quote = await send(consoleEvent(`/contracts/${contractId}/termination-quote`, staff('[customer-service]'), { date: '2024-07-31' }));
    expect(quote.status).toBe(200);
  });

  it('refuses a valid token without the group with 403 FORBIDDEN, before reading anything', async () => {
    const cases: unknown[] = [undefined, '', '[]', '[billing]', 'customer-service-admin', '[customer-services]', ['billing'], 42];
    for (const groups of cases) {
      counter.reset();
      const claims = groups === undefined ? { sub: 'user-1' } : staff(groups);
      const { status, body } = await send(consoleEvent(`/contracts/${contractId}`, claims));
      expect({ groups, status }).toEqual({ groups, status: 403 });
      expect(body.error).toEqual({ code: 'FORBIDDEN', message: expect.stringContaining('customer-service') });
      expect(counter.snapshot()).toEqual({});
    }
  });

  it('refuses a v2 event without an authorizer (a route left without one) with 403', async () => {
    expect(await send(consoleEvent(`/contracts/${contractId}`, null))).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });

  it('checks the path and query of a v2 event like those of the IAM API', async () => {
    const member = staff('[customer-service]');
    expect(await send(consoleEvent(`/contracts/${contractId}/charges`, member, { month: '2024-13' }))).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_REQUEST', fields: [{ path: 'month' }] } },
    });
    expect(await send(consoleEvent('/contracts/nope', member))).toMatchObject({ status: 404, body: { error: { code: 'CONTRACT_NOT_FOUND' } } });
  });

  it('looks up ids holding %, spaces or Japanese by the path parameters API Gateway decoded, not by decoding its rawPath again', async () => {
    const member = staff('[customer-service]');
    for (const id of ['L-%41', 'L 50% off', 'L-回線１']) {
      const created = await inboundHandlers(h).created({
        customer: { customerId: `C-odd-${Date.now()}`, name: '株式会社記号', kind: 'corporation', phone: '06-0000-0000' },
        lineId: id,
      });
      const { status, body } = await send(consoleEvent(`/lines/${encodeURIComponent(id)}/contract`, member));
      expect({ id, status, lineId: body.lineId, contractId: body.contractId }).toEqual({ id, status: 200, lineId: id, contractId: created });
    }
  });
});
