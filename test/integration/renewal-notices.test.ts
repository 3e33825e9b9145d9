import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { storedOutcomeSchema } from '../../functions/schemas/stored-outcome';
import { isUnpublishedOutcome } from '../../functions/topology/outcome-stream';
import { createLookupApiHandler } from '../../functions/handlers/lookup-api';
import { createMonthlyRenewalHandler } from '../../functions/handlers/monthly-renewal';
import { testDeps } from '../support/handler-deps';
import { fixedClock } from './support/fixtures';
import { useTable } from './support/suite';

/**
 * docs/terms.md N1 and GET /renewals: contracts starting 2024-01-10 have their renewal
 * month in 2024-12; the run of 2024-12-01 sends each one notice, a rerun none.
 */
const t = useTable('notices', '2023-12-20T10:00:00+09:00');
const DECEMBER_RUN = '2024-12-01T00:05:00+09:00';
const APPLIED = { appliedAt: '2023-12-20T10:00:00+09:00', startDate: '2024-01-10' };

const run = (now = DECEMBER_RUN) => createMonthlyRenewalHandler({ ...testDeps({ ...t.h.deps, clock: fixedClock(now) }), tuning: { pageSize: 3 } });

/** The notices on the bus once the table's stream has published every fact written so far. */
async function published() {
  await t.h.drain();
  return t.h.bus.ofType('ContractRenewalMonthStarted');
}

async function get(query: Record<string, string>) {
  const lookup = createLookupApiHandler(testDeps({ dynamoDb: t.table.client, settings: t.table.settings, clock: fixedClock('2024-12-02T12:00:00+09:00') }));
  const response = await lookup({ httpMethod: 'GET', path: '/renewals', queryStringParameters: query } as APIGatewayProxyEvent);
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

it('publishes ContractRenewalMonthStarted once per contract and term; the lookup pages the month, willRenew false when cancelled', async () => {
  const renewing = [];
  for (let i = 0; i < 5; i++) renewing.push(await t.handlers.created(APPLIED));
  const leaving = await t.handlers.created(APPLIED);
  await t.handlers.cancel(t.handlers.cancelEvent({ contractId: leaving, requestedAt: '2024-11-20T09:00:00+09:00', effectiveDate: '2024-12-31' }));
  const other = await t.handlers.created({ ...APPLIED, startDate: '2024-02-10' });

  const first = await run()({ scheduledTime: DECEMBER_RUN });
  expect(first).toMatchObject({ month: '2024-12', renewed: 0, notices: 5, complete: true, failed: [] });
  const notices = await published();
  expect(notices.map((e) => e.detail.contract.contractId).sort()).toEqual([...renewing].sort());
  expect(notices[0]?.detail).toMatchObject({ eventKey: expect.stringMatching(/#notice-1$/), renewalMonth: '2024-12', renewsOn: '2025-01-01' });
  expect(notices.map((e) => e.detail.eventKey)).toEqual(notices.map((e) => `${e.detail.contract.contractId}#notice-1`));

  const again = await run()({ scheduledTime: DECEMBER_RUN });
  expect(again).toMatchObject({ notices: 0 });
  expect(await published()).toHaveLength(5);

  // Paged 4 at a time: every contract of the month once, the cancelled one with willRenew false.
  const seen: Array<{ contractId: string; willRenew: boolean }> = [];
  let nextToken: string | null = null;
  let pages = 0;
  do {
    const page = await get({ month: '2024-12', limit: '4', ...(nextToken ? { nextToken } : {}) });
    expect(page.status).toBe(200);
    seen.push(...page.body.contracts);
    nextToken = page.body.nextToken;
    pages++;
  } while (nextToken && pages < 10);
  expect(seen.map((c) => c.contractId).sort()).toEqual([...renewing, leaving].sort());
  expect(seen.find((c) => c.contractId === leaving)?.willRenew).toBe(false);
  expect(seen.filter((c) => c.willRenew)).toHaveLength(5);
  expect(seen.some((c) => c.contractId === other)).toBe(false);
});

it('a notice EventBridge refused for now is published by the stream once it takes it, and once only', async () => {
  // Renewal month 2024-11: nothing else of this file is due in that run.
  const id = await t.handlers.created({ appliedAt: '2023-12-05T10:00:00+09:00', startDate: '2023-12-10' });
  t.h.bus.failNext('refuse-entries', 'refuse-entries', 'refuse-entries');
  const summary = await run('2024-11-01T00:05:00+09:00')({ scheduledTime: '2024-11-01T00:05:00+09:00' });
  expect(summary).toMatchObject({ notices: 1, failed: [] });
  expect((await published()).filter((e) => e.detail.contract.contractId === id)).toHaveLength(1);
});

it('refuses a bad month, limit or token with the field named, never a 500', async () => {
  for (const [query, field] of [
    [{ month: '2024-13' }, 'month'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '201' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ nextToken: 'bm90LWEta2V5' }, 'nextToken'],
    [
      { month: '2024-12', nextToken: Buffer.from(JSON.stringify({ PK: 'x', SK: 'y', GSI4PK: 'RENEWAL-MONTH#2024-11', GSI4SK: 'z' })).toString('base64url') },
      'nextToken',
    ],
    [{ mnth: '2024-12' }, 'mnth'],
  ] as const) {
    const response = await get(query);
    expect(response.status).toBe(400);
    expect(response.body.error.fields.map((f: { path: string }) => f.path)).toEqual([field]);
  }
});

it('writes no item the stream filter takes that the outcome publisher cannot publish (every item kind of this file: contracts, lines, orders, facts)', async () => {
  const items = (await t.table.client.send(new ScanCommand({ TableName: t.table.settings.tableName, ConsistentRead: true }))).Items ?? [];
  const kinds = new Set(items.map((item) => String(item.PK?.S).split('#')[0]));
  expect([...kinds].sort()).toEqual(['CONTRACT', 'FACT', 'LINE', 'ORDER']);
  const taken = items.filter((item) => isUnpublishedOutcome({ eventName: 'INSERT', dynamodb: { NewImage: item } }));
  const unpublishable = taken.filter((item) => !storedOutcomeSchema.safeParse(unmarshall(item)).success);
  expect(unpublishable.map((item) => `${item.PK?.S} ${item.SK?.S}`)).toEqual([]);
});
