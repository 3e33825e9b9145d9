import type { APIGatewayProxyEvent } from 'aws-lambda';
import { applicationDetail } from '../../bench/fixtures';
import { fieldLabel, valueLabel } from '../../functions/domain/field-labels';
import * as reasons from '../../functions/domain/reasons';
import { checkApplication, checkCancellation, checkOneOffOrder, checkPlanChange } from '../../functions/domain/rules/contract-rules';
import { SHIPPED_CATALOG } from '../../functions/domain/tariff/catalog';
import { createLookupApiHandler } from '../../functions/handlers/lookup-api';
import { errorResponse, ForbiddenError, MethodNotAllowedError, RouteNotFoundError } from '../../functions/http/errors';
import { LOOKUP_RESOURCES } from '../../functions/http/routes';
import { parseInbound } from '../../functions/schemas/inbound';
import { applicationSchema } from '../../functions/schemas/orders/application';
import { cancellationSchema } from '../../functions/schemas/orders/cancellation';
import { oneOffOrderSchema } from '../../functions/schemas/orders/one-off-order';
import { planChangeSchema } from '../../functions/schemas/orders/plan-change';
import { servicesChangeSchema } from '../../functions/schemas/orders/services-change';
import { aCancellation, aContract, aCustomer } from '../domain/fixtures';
import { englishWordsIn, JAPANESE } from '../support/japanese-text';
import { InMemoryStore } from '../support/in-memory-store';
import { silentLogger } from '../support/observability';
import { created, lookupDeps, orderDeps, orders } from '../use-cases/harness';

/**
 * Every message the API sends is Japanese (docs/interface.md §1.2, §3): a customer-service
 * agent reads it out. Only the stable names may stand in ASCII (codes, field paths, the
 * values a request chooses from, product names, ISO examples of a format); an English
 * word coming back in a reason builder, a field's message or a lookup's error fails here.
 */
const IDS = ['ORD-1', 'K-1'];

function expectJapanese(message: string, quoted: readonly string[] = IDS): void {
  expect({ message, english: englishWordsIn(message, quoted) }).toEqual({ message, english: [] });
  expect(message).toMatch(JAPANESE);
}

function expectJapaneseReason(reason: reasons.Reason): void {
  expectJapanese(reason.message);
  for (const field of reason.fields ?? []) expectJapanese(field.message);
}

describe('reasons (interface §1.2)', () => {
  /** Each reason builder of functions/domain/reasons.ts, with the arguments it is called with. */
  const SAMPLES: Record<string, unknown[][]> = {
    invalidRequest: [[[{ path: 'customer.kind', message: '法人 (corporation)、個人 (individual) のいずれかを指定してください' }]]],
    orderIdReused: [['ORD-1']],
    contractNotFound: [['K-1']],
    corporateOnly: [['2024-05-01', '2023-12-01']],
    primePlanClosed: [['2023-12-28T15:00:00Z', '2023-12-28']],
    edrWithEndpoint: [[]],
    endpointOnPrimePlus: [[]],
    edrOnPrime: [[]],
    productNotAvailable: [
      ['EDRセキュリティ', '2023-11-30', '2023-12-01'],
      ['プライムPlusプラン', '2023-11-30', null],
    ],
    elganaOutsidePrimePlus: [[]],
    lineAlreadyContracted: [[]],
    contractCancelled: [['K-1', '2024-07-31']],
    cancellationAlreadyRequested: [['K-1', '2024-07-31']],
  };
  /** Exports that build no reason. */
  const HELPERS = ['listedFields', 'describeFields'];

  it('has a sample for every reason builder, so that a new one is scanned too', () => {
    const builders = Object.entries(reasons)
      .filter(([name, value]) => typeof value === 'function' && !HELPERS.includes(name))
      .map(([name]) => name);
    expect(builders.sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(Object.entries(SAMPLES))('%s: Japanese, with dates as 2024年5月10日', (name, samples) => {
    const build = reasons[name as keyof typeof reasons] as (...args: unknown[]) => reasons.Reason;
    for (const args of samples) {
      const reason = build(...args);
      expectJapaneseReason(reason);
      expect(reason.message).not.toMatch(/\d{4}-\d{2}/);
    }
  });

  it('names the fields of INVALID_REQUEST in Japanese, keeping their paths', () => {
    const reason = reasons.invalidRequest([
      { path: 'customer.kind', message: '法人 (corporation)、個人 (individual) のいずれかを指定してください' },
      { path: 'visitSupport.items.1.quantity', message: '1以上で指定してください' },
      { path: 'services.firewall', message: '指定できない項目です' },
    ]);
    expect(reason.fields?.map((f) => f.path)).toEqual(['customer.kind', 'visitSupport.items.1.quantity', 'services.firewall']);
    expect(reason.message).toBe(
      '注文の内容に誤りがあります。顧客区分: 法人 (corporation)、個人 (individual) のいずれかを指定してください。' +
        '出張サポートの作業の数量 (2件目): 1以上で指定してください。サービスの「firewall」: 指定できない項目です。',
    );
    expect(fieldLabel('items[0].item')).toBe('出張サポートの作業項目 (1件目)');
    // A sender's key is quoted as sent, whatever it is named: no label is found on Object.prototype.
    expect(['__proto__', 'constructor', 'services.toString', 'customer.hasOwnProperty'].map(fieldLabel)).toEqual([
      '「__proto__」',
      '「constructor」',
      'サービスの「toString」',
      '顧客情報の「hasOwnProperty」',
    ]);
    expect(['constructor', 'prime-plus', 10].map(valueLabel)).toEqual(['constructor', 'プライムPlusプラン (prime-plus)', '10']);
    const many = reasons.invalidRequest(Array.from({ length: 25 }, (_, i) => ({ path: `services.x${i}`, message: '指定できない項目です' })));
    expect(many).toMatchObject({ moreFields: 5 });
    expect(many.message).toContain('ほか5件の項目にも誤りがあります。');
  });

  it('refuses broken orders of every kind with Japanese field messages (the schemas and zod’s error map)', () => {
    const valid = applicationDetail('ORD-1', 'L-1', 'C-1');
    const details: Array<[Parameters<typeof parseInbound>[0], unknown]> = [
      [
        applicationSchema,
        {
          ...valid,
          appliedAt: '2024-05-01T10:00:00',
          lineId: '',
          customer: { ...valid.customer, kind: 'company', name: 'x'.repeat(201), phone: 5 },
          plan: { code: 'gold', tier: 20 },
          startDate: '2024-02-30',
          services: { edrSecurity: { terminals: -1 }, cloudProxy: { users: 1.5 }, gatewaySecurity: { tier: 10 }, firewall: {} },
          billing: null,
        },
      ],
      [applicationSchema, { orderId: 'ORD-1', customer: [] }],
      [
        servicesChangeSchema,
        { orderId: 'ORD-1', requestedAt: 5, contractId: 'K-1', services: { elgana: { ids: 'five' } }, customer: { phone: 'x'.repeat(33) } },
      ],
      [cancellationSchema, { orderId: 'ORD-1', requestedAt: '2024-07-01T09:00:00+09:00', contractId: 'K-1', effectiveDate: '2024-13-01' }],
      [planChangeSchema, { orderId: 'ORD-1', requestedAt: '2024-07-01T09:00:00+09:00', contractId: 'K-1', plan: { code: 'prime' }, services: [] }],
      [oneOffOrderSchema, { orderId: 'ORD-1', requestedAt: '2024-07-01T09:00:00+09:00', contractId: 'K-1' }],
      [
        oneOffOrderSchema,
        {
          orderId: 'ORD-1',
          requestedAt: '2024-07-01T09:00:00+09:00',
          contractId: 'K-1',
          visitSupport: { items: [{ item: 'cleaning', quantity: 0 }] },
          dataMigration: { devices: [] },
          mailTraining: { mails: 100_001 },
        },
      ],
      [
        oneOffOrderSchema,
        { orderId: 'ORD-1', requestedAt: '2024-07-01T09:00:00+09:00', contractId: 'K-1', dataMigration: { devices: [{ volumeGB: 4.7001 }] } },
      ],
    ];
    for (const [schema, detail] of details) {
      const parsed = parseInbound(schema, detail);
      expect(parsed.kind).toBe('invalid');
      if (parsed.kind === 'invalid') expectJapaneseReason(parsed.reason);
    }
  });

  it('refuses what the contract rules refuse with Japanese messages and Japanese dates', () => {
    const contract = aContract({ cancellation: aCancellation('2024-09-30') });
    const refusals = [
      ...checkApplication(
        SHIPPED_CATALOG,
        {
          appliedAt: '2023-12-29T10:00:00+09:00',
          customer: aCustomer({ kind: 'individual', phone: '' }),
          plan: { code: 'prime' },
          services: { edrSecurity: { terminals: 1 }, endpointSecurity: { terminals: 1 }, elgana: { ids: 1 } },
          startDate: '2023-12-01',
        },
        { occupied: true },
      ),
      ...checkApplication(
        SHIPPED_CATALOG,
        { appliedAt: '2010-01-01T10:00:00+09:00', customer: aCustomer(), plan: { code: 'none', tier: 10 }, services: {} },
        { occupied: false },
      ),
      ...checkPlanChange(SHIPPED_CATALOG, aContract(), {
        requestedAt: '2024-06-01T09:00:00+09:00',
        effectiveDate: '2024-05-01',
        plan: { code: 'prime-plus', tier: 10 },
        services: { edrSecurity: { terminals: 8 } },
      }),
      ...checkCancellation(aContract(), { requestedAt: '2024-06-01T09:00:00+09:00', effectiveDate: '2024-05-31' }),
      ...checkCancellation(contract, { requestedAt: '2024-06-01T09:00:00+09:00', effectiveDate: '2024-06-30' }),
      ...checkOneOffOrder(contract, { requestedAt: '2024-06-01T09:00:00+09:00', date: '2024-10-01' }),
      ...checkOneOffOrder(contract, { requestedAt: '2024-10-01T09:00:00+09:00', date: '2024-10-01' }),
    ];
    expect(new Set(refusals.map((r) => r.code)).size).toBeGreaterThanOrEqual(8);
    for (const reason of refusals) {
      expectJapaneseReason(reason);
      for (const text of [reason.message, ...(reason.fields ?? []).map((f) => f.message)]) {
        // ISO dates only as the example of a format to send.
        expect(text.replace(/\(例 [^)]*\)/g, '')).not.toMatch(/\d{4}-\d{2}/);
      }
    }
  });
});

describe('lookup API errors (interface §3)', () => {
  const store = new InMemoryStore();
  const lookup = createLookupApiHandler({ ...lookupDeps(store, '2024-07-15T12:00:00+09:00'), logger: silentLogger() });
  let contractId = '';

  beforeAll(async () => {
    contractId = await created(orderDeps(store), 'ORD-1');
  });

  async function call(path: string, query: Record<string, string> | null = null, httpMethod = 'GET') {
    const response = await lookup({ httpMethod, path, queryStringParameters: query } as APIGatewayProxyEvent);
    return {
      path,
      query,
      status: response.statusCode,
      body: JSON.parse(response.body) as { error: { code: string; message: string; fields?: Array<{ path: string; message: string }> } },
    };
  }

  const withParams = (resource: string, value: (name: string) => string) => resource.replace(/\{(\w+)\}/g, (_, name: string) => value(name));

  it('answers every 400 with a Japanese message naming the fields in Japanese, and Japanese field messages', async () => {
    const answers = [];
    for (const resource of LOOKUP_RESOURCES) {
      const valid = withParams(resource, () => contractId);
      answers.push(await call(valid, { bogus: '1' }));
      if (resource.includes('{')) {
        answers.push(await call(withParams(resource, () => 'x'.repeat(1100))));
        answers.push(await call(withParams(resource, () => '%E0%A4%A')));
      }
    }
    const quote = `/contracts/${contractId}/termination-quote`;
    const charges = `/contracts/${contractId}/charges`;
    for (const [path, query] of [
      [quote, { date: '2024-02-30' }],
      [quote, { date: '9999-12-31' }],
      [charges, { month: '2024-13' }],
      [charges, { month: '2024-04' }],
      [charges, { month: '9999-12' }],
      ['/tariff', { date: '2001-01-01' }],
      ['/tariff', { date: 'tomorrow' }],
      ['/renewals', { month: '2025-04', limit: '0' }],
      ['/renewals', { limit: 'many' }],
      ['/renewals', { limit: '1000' }],
      ['/renewals', { nextToken: '' }],
      ['/renewals', { nextToken: 'not-a-token' }],
      ['/customers', { namePrefix: '株式会社 a' }],
    ] as const) {
      answers.push(await call(path, query));
    }
    const refused = answers.filter((answer) => answer.status === 400);
    expect(answers.filter((answer) => answer.status >= 500)).toEqual([]);
    expect(refused.length).toBeGreaterThanOrEqual(30);
    for (const { body } of refused) {
      expect(body.error.code).toBe('INVALID_REQUEST');
      expectJapanese(body.error.message, [contractId]);
      for (const field of body.error.fields ?? []) expectJapanese(field.message, [contractId]);
    }
    // The paths stay as the interface names them; the message names them in Japanese.
    const tariff = refused.find((answer) => answer.path === '/tariff' && answer.query?.date === 'tomorrow');
    expect(tariff?.body.error).toEqual({
      code: 'INVALID_REQUEST',
      message: '照会の条件に誤りがあります。日付: 実在する日付を 2024-05-10 の形式で指定してください (9998年まで)。',
      fields: [{ path: 'date', message: '実在する日付を 2024-05-10 の形式で指定してください (9998年まで)' }],
    });
    const month = refused.find((answer) => answer.path === charges && answer.query?.month === '2024-04');
    expect(month?.body.error).toMatchObject({ fields: [{ path: 'month', message: expect.stringContaining('2024年4月は契約') }] });
  });

  it('answers 404, 409, 403, 405, 503 and 500 in Japanese', async () => {
    await orders.cancel(orderDeps(store), { orderId: 'ORD-2', requestedAt: '2024-07-01T09:00:00+09:00', contractId, effectiveDate: '2024-08-31' });
    const notLive = await call(`/contracts/${contractId}/termination-quote`);
    expect(notLive.body.error).toEqual({
      code: 'CONTRACT_NOT_LIVE',
      message: `契約 ${contractId} は解約手続き済みです (解約日 2024年8月31日)。解約金の試算はできません。`,
    });
    const notFound = await call('/contracts/K-9');
    expect(notFound.body.error).toEqual({ code: 'CONTRACT_NOT_FOUND', message: '契約 K-9 は見つかりません。契約IDを確認してください。' });
    const bodies = [
      notFound.body,
      notLive.body,
      (await call('/lines/L-9/contract')).body,
      (await call('/orders/ORD-9')).body,
      (await call('/nowhere')).body,
      (await call(`/contracts/${contractId}`, null, 'DELETE')).body,
      JSON.parse(errorResponse(new ForbiddenError('customer-service')).body),
      JSON.parse(errorResponse(Object.assign(new Error('timed out'), { name: 'TimeoutError' })).body),
      JSON.parse(errorResponse(new Error('boom')).body),
    ];
    const quoted = ['K-9', 'L-9', 'ORD-9', '/nowhere', 'nowhere', 'GET', 'DELETE', contractId, `/contracts/${contractId}`, 'contracts', 'customer-service'];
    for (const body of bodies) expectJapanese(body.error.message, quoted);
    expect(new RouteNotFoundError('GET', '/nowhere').message).toBe('該当する照会がありません (GET /nowhere)。照会先のアドレスを確認してください。');
    expect(new MethodNotAllowedError('DELETE', '/contracts/K-1').message).toContain('照会は GET でのみ行えます');
  });
});
