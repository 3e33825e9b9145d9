import { randomUUID } from 'node:crypto';
import { TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItemsCommandInput } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Settings } from '../../functions/wiring/settings';
import { createContractApplicationHandler } from '../../functions/handlers/contract-application';
import { DEFAULT_BUS_NAME, INBOUND_SOURCE, OUTBOUND_SOURCE } from '../../functions/topology/routing';
import { TapLogger } from '../../local/tap-logger';
import { dependenciesFrom } from '../deps';
import { mapLimit } from '../../functions/use-cases/concurrency';
import type { EventRecord } from '../../local/event-bus';
import type { LocalStack } from '../../local/stack';
import type { BenchContext } from '../context';
import { applicationDetail, inboundEnvelope, padded } from '../fixtures';
import type { BenchOptions } from '../options';
import { atLeast, compare, type FigureResult } from '../results';
import { perSecond, timed } from '../timing';

/**
 * Figure 1: applications end to end on the local stack (PutEvents in, ContractCreated
 * out), against raw TransactWriteItems of the same shape on the same DynamoDB Local.
 * Both keep `concurrency` applications in flight. The end of an application is read
 * from the outcome publisher's log lines (how many outcomes each stream batch put on
 * the bus), as one would watch CloudWatch; the bus is checked afterwards for one
 * ContractCreated per application.
 */
const PUT_EVENTS_ENTRIES = 10;

export async function applicationsFigure(ctx: BenchContext, options: BenchOptions): Promise<FigureResult> {
  const started = performance.now();
  const { client, settings } = await ctx.table('bench-applications');
  const watcher = new CreatedWatcher();
  const stack = await ctx.localStack(settings, watcher.logger);
  const eventBridge = ctx.eventBridge(stack);
  const run = randomUUID().slice(0, 6);
  const warmUp = Math.min(100, Math.max(options.concurrency, Math.ceil(options.applications / 10)));

  ctx.report(`applications: ${warmUp} to warm up, then ${options.applications} end to end, ${options.concurrency} in flight`);
  await sendApplications(eventBridge, watcher, `W${run}`, warmUp, options.concurrency);
  const endToEnd = await timed(() => sendApplications(eventBridge, watcher, `E${run}`, options.applications, options.concurrency));
  const created = await createdOnBus(stack, `ORD-E${run}`);

  ctx.report(`applications: raw TransactWriteItems of the same shape, ${options.concurrency} in flight`);
  const template = await transactionTemplate(ctx, settings, run);
  await rawTransactions(client, template, `V${run}`, warmUp, options.concurrency);
  const raw = await timed(() => rawTransactions(client, template, `R${run}`, options.applications, options.concurrency));

  const e2eRate = perSecond(options.applications, endToEnd.seconds);
  const rawRate = perSecond(raw.result, raw.seconds);
  return {
    figure: 'applications',
    title: 'Applications end to end on the local stack',
    seconds: (performance.now() - started) / 1000,
    rows: [
      compare(
        'applications, PutEvents in → ContractCreated out',
        { value: e2eRate, unit: 'events/s', detail: `${options.applications} in ${endToEnd.seconds.toFixed(1)} s` },
        { name: 'raw TransactWriteItems', value: rawRate, unit: 'tx/s', detail: `${raw.result} in ${raw.seconds.toFixed(1)} s` },
        atLeast(0.5),
      ),
    ],
    counts: {
      sent: endToEnd.result.sent,
      processed: endToEnd.result.processed,
      contractCreatedOnBus: created,
      failures: watcher.failures,
      rawTransactions: raw.result,
    },
  };
}

/**
 * Counts the outcomes the outcome publisher logs as published and lets a sender wait for
 * the next ones; the application function's "order processed" lines only count
 * failures. A stall (every attempt of a delivery failing) ends the run with an error
 * rather than a hang.
 */
const STALL_MS = 60_000;

class CreatedWatcher {
  processed = 0;
  /** Outcomes other than a first ContractCreated, and failed attempts (each retried). */
  failures = 0;
  private waiting: Array<() => void> = [];

  private published(fields: Record<string, unknown> | undefined): void {
    const published = typeof fields?.published === 'number' ? fields.published : 0;
    if (published === 0) return;
    this.processed += published;
    for (const wake of this.waiting.splice(0)) wake();
  }

  readonly logger = new TapLogger(({ level, message, fields }) => {
    if (level !== 'INFO') this.failures += 1;
    if (message === 'order processed' && (fields.outcome !== 'ContractCreated' || fields.duplicate)) this.failures += 1;
    if (message === 'outcomes published' || level === 'ERROR') this.published(fields);
  });

  async next(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no application processed for ${STALL_MS / 1000} s (${this.failures} failures logged)`)), STALL_MS);
    });
    try {
      await Promise.race([new Promise<void>((resolve) => this.waiting.push(resolve)), stalled]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Sends `count` applications with PutEvents, keeping `concurrency` unprocessed at most; resolves when all are processed. */
async function sendApplications(eventBridge: EventBridgeClient, watcher: CreatedWatcher, tag: string, count: number, concurrency: number) {
  const base = watcher.processed;
  let sent = 0;
  while (watcher.processed - base < count) {
    const room = Math.min(concurrency - (sent - (watcher.processed - base)), PUT_EVENTS_ENTRIES, count - sent);
    if (room <= 0) {
      await watcher.next();
      continue;
    }
    const entries = Array.from({ length: room }, (_, i) => {
      const n = sent + i;
      return {
        EventBusName: DEFAULT_BUS_NAME,
        Source: INBOUND_SOURCE,
        DetailType: 'ContractApplicationSubmitted',
        Detail: JSON.stringify(applicationDetail(padded(`ORD-${tag}`, n), padded(`L-${tag}`, n), padded('C-BENCH', n % 1000))),
      };
    });
    const answer = await eventBridge.send(new PutEventsCommand({ Entries: entries }));
    if (answer.FailedEntryCount) throw new Error(`PutEvents refused ${answer.FailedEntryCount} applications: ${JSON.stringify(answer.Entries)}`);
    sent += room;
  }
  return { sent, processed: watcher.processed - base };
}

/** ContractCreated events on the bus for orders whose id starts with `orderPrefix`. */
async function createdOnBus(stack: LocalStack, orderPrefix: string): Promise<number> {
  const { events } = (await (await fetch(`${stack.url}/_local/events`)).json()) as { events: EventRecord[] };
  return events.filter(
    ({ event }) => event.source === OUTBOUND_SOURCE && event['detail-type'] === 'ContractCreated' && String(event.detail.orderId).startsWith(orderPrefix),
  ).length;
}

interface Template {
  json: string;
  ids: { orderId: string; lineId: string; contractId: string };
}

/**
 * The TransactWriteItems request the application function sends, as it went over the
 * wire: one real application with a client that keeps a copy of its request body.
 */
async function transactionTemplate(ctx: BenchContext, settings: Settings, run: string): Promise<Template> {
  let json: string | null = null;
  const capturing = ctx.dynamoDb();
  capturing.middlewareStack.add(
    (next, context) => async (args) => {
      const body = (args.request as { body?: unknown }).body;
      if (context.commandName === 'TransactWriteItemsCommand') json = typeof body === 'string' ? body : new TextDecoder().decode(body as Uint8Array);
      return next(args);
    },
    { step: 'build', name: 'benchCaptureTransaction' },
  );
  let contractId = '';
  const apply = createContractApplicationHandler(
    dependenciesFrom(
      {
        settings,
        dynamoDb: capturing,
        eventBridge: ctx.unusedEventBridge(),
        deadLetters: { deadLetter: (reason) => Promise.reject(new Error(`template application dead-lettered: ${reason}`)) },
      },
      { ids: { next: () => (contractId = randomUUID()) }, logger: ctx.silentLogger() },
    ),
  );
  const ids = { orderId: padded(`ORD-T${run}`, 0), lineId: padded(`L-T${run}`, 0) };
  await apply(inboundEnvelope('ContractApplicationSubmitted', applicationDetail(ids.orderId, ids.lineId), randomUUID()));
  if (json === null) throw new Error('the application function sent no TransactWriteItems');
  return { json, ids: { ...ids, contractId } };
}

/** `count` copies of the template with fresh ids of the same length, `concurrency` in flight; resolves with the number written. */
async function rawTransactions(client: DynamoDBClient, template: Template, tag: string, count: number, concurrency: number): Promise<number> {
  const written = await mapLimit(
    Array.from({ length: count }, (_, n) => n),
    concurrency,
    async (n) => {
      const body = template.json
        .split(template.ids.orderId)
        .join(padded(`ORD-${tag}`, n))
        .split(template.ids.lineId)
        .join(padded(`L-${tag}`, n))
        .split(template.ids.contractId)
        .join(randomUUID());
      // The SDK sends an idempotency token of its own with each transaction: a copied one would tie them together.
      const { ClientRequestToken: _copied, ...input } = JSON.parse(body) as TransactWriteItemsCommandInput;
      await client.send(new TransactWriteItemsCommand(input));
      return 1;
    },
  );
  return written.length;
}
