import '../local/sdk-notice';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { toJstIso } from '../functions/domain/calendar';
import { applicationDetail } from '../bench/fixtures';
import { DEFAULT_BUS_NAME, INBOUND_SOURCE, OUTBOUND_SOURCE } from '../functions/topology/routing';

/**
 * Sends one sample ContractApplicationSubmitted to the local stack the way the order
 * system does on AWS (the SDK's EventBridgeClient, PutEvents), waits for its outcome on
 * the bus, and prints the contract from the lookup API. Usage: [PORT=3000] npx tsx scripts/send-sample.ts [--may-2024]
 *
 * `--may-2024` sends the example's own dates instead of today's (applied 2024-05-01, starting
 * 2024-05-10): months that have ended, for the README's tour of the billing run.
 */
const MAY_2024 = process.argv.includes('--may-2024');
const endpoint = `http://127.0.0.1:${process.env.PORT?.trim() || '3000'}`;
const busName = process.env.EVENT_BUS_NAME?.trim() || DEFAULT_BUS_NAME;
const OUTCOME_TIMEOUT_MS = 30_000;

interface Recorded {
  state: string;
  deliveries: { target: string; lastError: string | null }[];
  event: { id: string; source: string; 'detail-type': string; detail: { orderId?: string; contract?: { contractId: string }; reasons?: unknown } };
}

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${endpoint}${path}`);
  return { status: response.status, body: await response.json() };
}

async function assertStackRunning(): Promise<void> {
  const health = await getJson('/health').catch(() => null);
  if (health === null) throw new Error(`Nothing answers on ${endpoint}: start the local stack first with \`npm start\` (or set PORT to its port).`);
  if (health.status !== 200) throw new Error(`The local stack on ${endpoint} is not ready yet (${JSON.stringify(health.body)}); try again in a few seconds.`);
}

function sampleApplication() {
  const suffix = randomUUID().slice(0, 8).toUpperCase();
  // A new line each run: a second application on the same line would be refused (R7).
  // Applied now; startDate left out (undefined is dropped from the JSON) so that it
  // defaults to today: the example's fixed 2024 start would be refused as backdated.
  const example = applicationDetail(`ORD-SAMPLE-${suffix}`, `L-SAMPLE-${suffix}`, 'C-SAMPLE');
  return MAY_2024 ? example : { ...example, appliedAt: toJstIso(new Date()), startDate: undefined };
}

async function waitForOutcome(orderId: string, eventId: string): Promise<Recorded> {
  const deadline = Date.now() + OUTCOME_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const { events } = (await getJson('/_local/events')).body as { events: Recorded[] };
    const outcome = events.find((record) => record.event.source === OUTBOUND_SOURCE && record.event.detail.orderId === orderId);
    if (outcome) return outcome;
    const sent = events.find((record) => record.event.id === eventId);
    if (sent?.state === 'dead-lettered') {
      throw new Error(`The application was dead-lettered: ${JSON.stringify(sent.deliveries)}; see ${endpoint}/_local/dead-letters`);
    }
    await sleep(200);
  }
  throw new Error(`No outcome for ${orderId} within ${OUTCOME_TIMEOUT_MS / 1000} s; see ${endpoint}/_local/events and the npm start console.`);
}

async function main(): Promise<void> {
  await assertStackRunning();
  const application = sampleApplication();
  const client = new EventBridgeClient({
    endpoint,
    region: 'ap-northeast-1',
    // The local stack accepts any credentials; these keep the SDK from looking for real ones.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const result = await client.send(
    new PutEventsCommand({
      Entries: [{ EventBusName: busName, Source: INBOUND_SOURCE, DetailType: 'ContractApplicationSubmitted', Detail: JSON.stringify(application) }],
    }),
  );
  client.destroy();
  const entry = result.Entries?.[0];
  if (result.FailedEntryCount !== 0 || !entry?.EventId) throw new Error(`PutEvents refused the entry: ${JSON.stringify(entry)}`);
  console.log(`Sent ContractApplicationSubmitted ${application.orderId} (event ${entry.EventId}) to ${endpoint}`);

  const outcome = await waitForOutcome(application.orderId, entry.EventId);
  const contractId = outcome.event.detail.contract?.contractId;
  if (outcome.event['detail-type'] !== 'ContractCreated' || !contractId) {
    throw new Error(`${outcome.event['detail-type']}: ${JSON.stringify(outcome.event.detail.reasons ?? outcome.event.detail, null, 2)}`);
  }
  const url = `${endpoint}/contracts/${encodeURIComponent(contractId)}`;
  const contract = await getJson(`/contracts/${encodeURIComponent(contractId)}`);
  console.log(`ContractCreated. The contract, from the lookup API:\n  curl -s ${url}\n`);
  console.log(JSON.stringify(contract.body, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
