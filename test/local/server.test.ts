import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { rawHttp } from '../support/raw-http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { SchedulePayloadError } from '../../functions/schemas/renewal';
import { INBOUND_SOURCE, ROUTES, type HandlerName } from '../../functions/topology/routing';
import { RenewalIncompleteError, type RenewalSummary } from '../../functions/use-cases/monthly-renewal';
import { LocalEventBus, type BusEvent } from '../../local/event-bus';
import type { LocalFunction } from '../../local/lambda-runtime';
import { PortInUseError, startLocalServer, type LocalServer } from '../../local/server';

/**
 * The local server's wire behaviour, with stand-in functions (no DynamoDB): what the real
 * AWS SDK client sees from PutEvents, and what the lookup and renewal functions receive.
 */
const BUS = 'omakase-contracts';
const received: { target: HandlerName; event: BusEvent }[] = [];
const lookupEvents: APIGatewayProxyEvent[] = [];
const renewalEvents: unknown[] = [];

function fn(name: string, handler: (event: never) => Promise<unknown>): LocalFunction {
  return { name, timeoutMs: 1000, handler };
}

const functions = new Map<HandlerName, LocalFunction>(
  ROUTES.map((route) => [
    route.handler,
    fn(route.handler, async (event: BusEvent) => {
      received.push({ target: route.handler, event });
    }),
  ]),
);

let server: LocalServer;
let bus: LocalEventBus;
let client: EventBridgeClient;

beforeAll(async () => {
  server = await startLocalServer({ port: 0 });
  bus = new LocalEventBus({ busName: BUS, functions, retry: { maxAttempts: 1, baseDelayMs: 1 } });
  client = new EventBridgeClient({
    endpoint: server.url,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'anything', secretAccessKey: 'anything' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await bus.close();
  await server.close();
});

function makeReady(): void {
  server.ready({
    bus,
    lookup: fn('lookup-api', async (event: APIGatewayProxyEvent) => {
      lookupEvents.push(event);
      if (event.pathParameters?.contractId === 'explode') throw new Error('bug');
      return { statusCode: 200, headers: { 'x-from': 'lookup' }, body: JSON.stringify({ ok: true }) };
    }),
    renewal: fn('monthly-renewal', async (event: { scheduledTime?: string }) => {
      renewalEvents.push(event);
      if (event.scheduledTime === 'bad')
        throw new SchedulePayloadError('the renewal payload is not valid', [{ path: 'scheduledTime', message: 'Invalid ISO datetime' }]);
      if (event.scheduledTime === '2024-05-01T00:05:00+09:00') throw new RenewalIncompleteError(incomplete);
      return { renewed: 3, skipped: 1, failed: 0 };
    }),
    billing: NO_BILLING,
    filesRoot: '/nonexistent',
  });
}

// This file's server is driven with stand-in functions; the billing run has its own tests (test/integration/monthly-billing.test.ts).
const NO_BILLING = {
  start: fn('monthly-billing', () => Promise.reject(new Error('no billing run in this test'))),
  drained: () => Promise.resolve(0),
  summary: () => Promise.resolve(null),
};

const incomplete: RenewalSummary = {
  month: '2024-05',
  scheduledTime: '2024-05-01T00:05:00+09:00',
  shards: [0],
  complete: false,
  renewed: 1,
  termsRenewed: 1,
  notices: 0,
  skipped: [],
  failed: [],
};

const application = (detail: string, overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  EventBusName: BUS,
  Source: INBOUND_SOURCE,
  DetailType: 'ContractApplicationSubmitted',
  Detail: detail,
  ...overrides,
});

describe('local server', () => {
  it('answers /health with 503 until ready, and nothing else meanwhile', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(503);
    const early = await fetch(`${server.url}/_local/events`);
    expect(early.status).toBe(503);
    expect(await early.json()).toEqual({ error: { code: 'NOT_READY', message: expect.any(String) } });
    makeReady();
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('accepts PutEvents from the AWS SDK client and delivers to the routed function', async () => {
    const result = await client.send(new PutEventsCommand({ Entries: [application('{"orderId":"ORD-1"}', { Resources: ['r1'] })] }));
    expect(result.FailedEntryCount).toBe(0);
    const eventId = result.Entries?.[0]?.EventId;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    await bus.idle();
    expect(received).toContainEqual({
      target: 'contract-application',
      event: expect.objectContaining({ id: eventId, resources: ['r1'], detail: { orderId: 'ORD-1' } }),
    });
    const listing = (await (await fetch(`${server.url}/_local/events`)).json()) as { events: { event: BusEvent; state: string }[] };
    expect(listing.events.find((record) => record.event.id === eventId)?.state).toBe('delivered');
  });

  it('keeps the time the client gives, to the second', async () => {
    const result = await client.send(new PutEventsCommand({ Entries: [application('{}', { Time: new Date('2023-12-28T15:00:00Z') })] }));
    const id = result.Entries?.[0]?.EventId;
    expect(bus.events().find((record) => record.event.id === id)?.event.time).toBe('2023-12-28T15:00:00Z');
  });

  it('fails bad entries one by one, in order, and puts the good ones', async () => {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          application('not json'),
          application('{"orderId":"ORD-2"}'),
          application('["an array"]'),
          application('{}', { Source: undefined }),
          application('{}', { DetailType: undefined }),
          application('', {}),
          application('{}', { EventBusName: 'no-such-bus' }),
          application('{}', { Source: 'aws.s3' }),
          application('{}', { EventBusName: `arn:aws:events:ap-northeast-1:000000000000:event-bus/${BUS}` }),
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(7);
    expect(result.Entries?.map((entry) => entry.ErrorCode ?? 'ok')).toEqual([
      'MalformedDetail',
      'ok',
      'MalformedDetail',
      'InvalidArgument',
      'InvalidArgument',
      'InvalidArgument',
      'ResourceNotFoundException',
      'NotAuthorizedForSourceException',
      'ok',
    ]);
    expect(result.Entries?.[0]?.ErrorMessage).toBe('Detail is malformed.');
    expect(result.Entries?.[3]?.ErrorMessage).toBe('Parameter Source is not valid. Reason: Source is a required argument.');
    expect(result.Entries?.[5]?.ErrorMessage).toBe('Parameter Detail is not valid. Reason: Detail is a required argument.');
  });

  it('refuses a call with more than 10 entries, or none, as a ValidationException', async () => {
    const eleven = Array.from({ length: 11 }, () => application('{}'));
    await expect(client.send(new PutEventsCommand({ Entries: eleven }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('between 1 and 10 (got 11)'),
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new PutEventsCommand({ Entries: [] }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses a request over 256 KB in all', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(30_000) });
    await expect(client.send(new PutEventsCommand({ Entries: Array.from({ length: 9 }, () => application(big)) }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
  });

  it('answers other EventBridge operations and unparsable bodies with AWS JSON errors', async () => {
    const unknown = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.ListRules' },
      body: '{}',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await unknown.json()).toEqual({ __type: 'UnknownOperationException', message: expect.stringContaining('AWSEvents.ListRules') });

    const garbage = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': 'AWSEvents.PutEvents' }, body: '{' });
    expect(await garbage.json()).toEqual({ __type: 'SerializationException', message: expect.any(String) });
  });

  it('turns a lookup into an API Gateway REST proxy event and passes the answer through', async () => {
    const response = await fetch(`${server.url}/contracts/C%2F1?date=2024-02-29&date=2024-03-01`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-from')).toBe('lookup');
    expect(await response.json()).toEqual({ ok: true });
    expect(lookupEvents.at(-1)).toMatchObject({
      resource: '/contracts/{contractId}',
      path: '/contracts/C%2F1',
      httpMethod: 'GET',
      pathParameters: { contractId: 'C/1' },
      queryStringParameters: { date: '2024-03-01' },
      multiValueQueryStringParameters: { date: ['2024-02-29', '2024-03-01'] },
      body: null,
      requestContext: { resourcePath: '/contracts/{contractId}', httpMethod: 'GET', stage: 'local' },
    });

    await fetch(`${server.url}/tariff/`);
    expect(lookupEvents.at(-1)).toMatchObject({ resource: '/tariff', path: '/tariff/', pathParameters: null, queryStringParameters: null });
  });

  it('answers 502 as API Gateway does when the lookup function throws', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await fetch(`${server.url}/contracts/explode`);
    expect(logged).toHaveBeenCalledWith('lookup function failed for GET /contracts/explode:', expect.any(Error));
    logged.mockRestore();
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
  });

  it('answers unknown paths with 404, wrong methods with 405 and bad escapes with 400, as JSON, without calling the function', async () => {
    const calls = lookupEvents.length;
    const missing = await fetch(`${server.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: 'NOT_FOUND', message: '該当する照会がありません (GET /nowhere)。照会先のアドレスを確認してください。' },
    });
    const wrongMethod = await fetch(`${server.url}/contracts/1`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect(await wrongMethod.json()).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
    const badEscape = await fetch(`${server.url}/contracts/%E0`);
    expect(badEscape.status).toBe(400);
    expect(await badEscape.json()).toMatchObject({ error: { code: 'INVALID_REQUEST', fields: [{ path: 'contractId' }] } });
    const localWrongMethod = await fetch(`${server.url}/_local/events`, { method: 'POST' });
    expect(localWrongMethod.status).toBe(405);
    expect(localWrongMethod.headers.get('allow')).toBe('GET');
    expect(lookupEvents).toHaveLength(calls);
  });

  it('invokes the renewal function with the Scheduler payload and answers its summary', async () => {
    const response = await fetch(`${server.url}/_local/schedules/monthly-renewal`, {
      method: 'POST',
      body: JSON.stringify({ scheduledTime: '2024-04-01T00:05:00+09:00' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ renewed: 3, skipped: 1, failed: 0 });
    expect(renewalEvents.at(-1)).toEqual({ scheduledTime: '2024-04-01T00:05:00+09:00' });
  });

  it('answers 400 with the fields for a body that is not JSON, without invoking the function', async () => {
    const before = renewalEvents.length;
    const response = await fetch(`${server.url}/_local/schedules/monthly-renewal`, { method: 'POST', body: 'scheduledTime=now' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'INVALID_REQUEST', message: 'the body must be JSON', fields: [{ path: 'scheduledTime', message: expect.any(String) }] },
    });
    expect(renewalEvents).toHaveLength(before);
  });

  it("answers the function's own payload validation as a 400", async () => {
    const response = await fetch(`${server.url}/_local/schedules/monthly-renewal`, { method: 'POST', body: '{"scheduledTime":"bad"}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'INVALID_REQUEST', message: 'the renewal payload is not valid', fields: [{ path: 'scheduledTime', message: 'Invalid ISO datetime' }] },
    });
  });

  it('answers an incomplete run as a 500 that still shows its summary', async () => {
    const response = await fetch(`${server.url}/_local/schedules/monthly-renewal`, {
      method: 'POST',
      body: JSON.stringify({ scheduledTime: incomplete.scheduledTime }),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: 'RENEWAL_FAILED', message: expect.stringContaining('ran out of time') }, summary: incomplete });
  });

  describe('hostile input', () => {
    const raw = (bytes: string | Buffer) => rawHttp(server.url, bytes);

    it('answers a request target that is no URL with 400, and goes on serving', async () => {
      const { text } = await raw('GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(text).toMatch(/^HTTP\/1\.1 400/);
      expect(text).toContain('BAD_REQUEST');
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    });

    it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
      'hands the function a query parameter and a header named %s as names like any other',
      async (name) => {
        const { text } = await raw(`GET /tariff?${name}=1&${name}=2 HTTP/1.1\r\nHost: x\r\n${name}: a\r\nConnection: close\r\n\r\n`);
        expect(text).toMatch(/^HTTP\/1\.1 200/);
        const event = lookupEvents.at(-1) as APIGatewayProxyEvent;
        // Own properties, as JSON.parse makes them: Object.prototype is untouched.
        expect(Object.getOwnPropertyDescriptor(event.queryStringParameters, name)?.value).toBe('2');
        expect(Object.getOwnPropertyDescriptor(event.multiValueQueryStringParameters, name)?.value).toEqual(['1', '2']);
        // Node's parser leaves a header named __proto__ out of message.headers (rawHeaders only): served without it.
        const header = name === '__proto__' ? undefined : 'a';
        expect(Object.getOwnPropertyDescriptor(event.headers, name.toLowerCase())?.value).toBe(header);
        expect(Object.getOwnPropertyDescriptor(event.multiValueHeaders, name.toLowerCase())?.value).toEqual(header && [header]);
      },
    );

    it('answers bytes that are no HTTP at all with 400, and goes on serving', async () => {
      const { text } = await raw(Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]));
      expect(text).toMatch(/^HTTP\/1\.1 400/);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    });

    it('closes the connection after a 413, so that nothing left of the body is read as the next request', async () => {
      const size = 2 * 1024 * 1024;
      const head = `POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSEvents.PutEvents\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: ${size}\r\n\r\n`;
      const { text, closed } = await raw(Buffer.concat([Buffer.from(head), Buffer.alloc(size, 'x')]));
      expect(text).toMatch(/^HTTP\/1\.1 413/);
      expect(text.toLowerCase()).toContain('connection: close');
      expect(closed).toBe(true);
      expect((await fetch(`${server.url}/_local/events`)).status).toBe(200);
    });

    it('refuses a detail nested deeper than the bus takes, and keeps listing events and dead letters', async () => {
      const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
      const result = await client.send(new PutEventsCommand({ Entries: [application(`{"orderId":"ORD-DEEP","x":${deep}}`)] }));
      expect(result.Entries).toEqual([expect.objectContaining({ ErrorCode: 'MalformedDetail', ErrorMessage: expect.stringContaining('deeper than 100') })]);
      const nested99 = `${'['.repeat(98)}1${']'.repeat(98)}`;
      expect((await client.send(new PutEventsCommand({ Entries: [application(`{"orderId":"ORD-98","x":${nested99},"s":"[[[{"}`)] }))).FailedEntryCount).toBe(0);
      for (const path of ['/_local/events', '/_local/dead-letters']) expect((await fetch(`${server.url}${path}`)).status).toBe(200);
    });
  });

  it('says on /health which part is unwell, and why', async () => {
    const other = await startLocalServer({ port: 0 });
    try {
      other.ready({
        bus,
        lookup: fn('lookup-api', () => Promise.resolve(null)),
        renewal: fn('monthly-renewal', () => Promise.resolve(null)),
        billing: NO_BILLING,
        filesRoot: '/nonexistent',
        health: { dynamodb: () => Promise.resolve('DynamoDB Local exited with SIGKILL'), streamMapping: () => Promise.resolve(null) },
      });
      const health = await fetch(`${other.url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'unhealthy', parts: { dynamodb: 'DynamoDB Local exited with SIGKILL' } });
    } finally {
      await other.close();
    }
  });

  it('says clearly when the port is taken', async () => {
    await expect(startLocalServer({ port: server.port })).rejects.toThrow(PortInUseError);
    await expect(startLocalServer({ port: server.port })).rejects.toThrow(`Port ${server.port} on 127.0.0.1 is already in use`);
  });
});
