import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { applicationDetail } from '../../bench/fixtures';
import { DEFAULT_BUS_NAME, INBOUND_SOURCE } from '../../functions/topology/routing';
import { loadSettings } from '../../functions/wiring/settings';
import type { EventRecord } from '../../local/event-bus';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { silentLogger } from '../support/observability';

/**
 * The README's quick tour, from outside the local stack: an application through the SDK,
 * `POST /_local/schedules/monthly-billing`, then the invoices in the lookups, their events on
 * the bus and the files behind the export's links.
 */
jest.setTimeout(90_000);

let stack: LocalStack;
let client: EventBridgeClient;

beforeAll(async () => {
  const settings = loadSettings({
    TABLE_NAME: `e2e-billing-${randomUUID().slice(0, 8)}`,
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT,
    RENEWAL_SHARDS: '4',
  });
  stack = await startLocalStack({ port: 0, settings, logger: silentLogger() });
  client = new EventBridgeClient({ endpoint: stack.url, region: 'ap-northeast-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'any-secret' } });
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await stack?.stop();
});

async function json(path: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.url}${path}`, init);
  return { status: response.status, body: await response.json() };
}

async function eventsOf(detailType: string, count: number): Promise<EventRecord[]> {
  for (let waited = 0; waited < 15_000; waited += 100) {
    const events = ((await json('/_local/events')).body.events as EventRecord[]).filter((record) => record.event['detail-type'] === detailType);
    if (events.length >= count) return events;
    await sleep(100);
  }
  throw new Error(`fewer than ${count} ${detailType} events after 15 s`);
}

const billing = (scheduledTime: string) => json('/_local/schedules/monthly-billing', { method: 'POST', body: JSON.stringify({ scheduledTime }) });

it('closes June (catching up May) once: invoices in the lookups, one InvoiceIssued each, the files behind the export links', async () => {
  const orderId = `ORD-E2E-${randomUUID().slice(0, 8)}`;
  const put = await client.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: DEFAULT_BUS_NAME,
          Source: INBOUND_SOURCE,
          DetailType: 'ContractApplicationSubmitted',
          Detail: JSON.stringify(applicationDetail(orderId, `L-${orderId}`)),
        },
      ],
    }),
  );
  expect(put.FailedEntryCount).toBe(0);
  const [created] = await eventsOf('ContractCreated', 1);
  const contractId = (created.event.detail as { contract: { contractId: string } }).contract.contractId;

  const run = await billing('2024-07-02T03:00:00+09:00');
  const rerun = await billing('2024-07-02T03:00:00+09:00');

  expect(run).toMatchObject({ status: 200, body: { month: '2024-06', status: 'completed', invoices: 2, failed: [] } });
  expect(rerun.body).toMatchObject({ status: 'completed', invoices: 2, total: run.body.total });
  const invoices = (await json(`/contracts/${contractId}/invoices`)).body.invoices as Array<{ invoiceId: string; month: string; tax: { total: number } }>;
  expect(invoices.map((invoice) => invoice.month)).toEqual(['2024-06', '2024-05']);
  expect(invoices.reduce((sum, invoice) => sum + invoice.tax.total, 0)).toBe(run.body.total);
  const issued = await eventsOf('InvoiceIssued', 2);
  await sleep(300);
  expect(((await json('/_local/events')).body.events as EventRecord[]).filter((r) => r.event['detail-type'] === 'InvoiceIssued')).toHaveLength(2);
  expect(issued.map((record) => (record.event.detail as { eventKey: string }).eventKey).sort()).toEqual(invoices.map((invoice) => invoice.invoiceId).sort());

  const exported = (await json('/billing-runs/2024-06/export')).body as {
    files: Array<{ format: string; rows: number; sha256: string; url: string }>;
    manifest: string;
  };
  for (const file of exported.files) {
    const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
  }
  expect(exported.files.filter((file) => file.format === 'jsonl').reduce((sum, file) => sum + file.rows, 0)).toBe(2);
  expect((await fetch(exported.manifest)).status).toBe(200);
  expect((await fetch(`${stack.url}/_local/files/invoices/2024-06/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  expect((await json('/_local/dead-letters')).body.deadLetters).toEqual([]);
});

it('refuses a run whose month has not ended, and a body that is not JSON, naming scheduledTime', async () => {
  const future = await billing('2999-01-02T03:00:00+09:00');
  expect(future).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST', fields: [expect.objectContaining({ path: 'scheduledTime' })] } } });
  const bad = await json('/_local/schedules/monthly-billing', { method: 'POST', body: '{' });
  expect(bad).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
});
