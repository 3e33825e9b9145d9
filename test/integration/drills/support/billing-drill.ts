import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { YearMonth } from '../../../../functions/domain/calendar';
import type { Invoice } from '../../../../functions/domain/invoices/invoice';
import { invoiceIdOf } from '../../../../functions/domain/invoices/invoice-id';
import { LocalFolderFiles } from '../../../../functions/exports/local-folder-files';
import type { DeadLetterSink } from '../../../../functions/events/dead-letter';
import type { billingRunSummary } from '../../../../functions/use-cases/monthly-billing';
import { billingDependencies, type BillingHandlerDeps } from '../../../../functions/wiring/dependencies';
import type { EventRecord } from '../../../../local/event-bus';
import { silentLogger } from '../../../support/observability';
import { extraClient } from '../../support/dynamodb';
import { dueContract } from '../../../../bench/fixtures';
import { seedContracts } from '../../../../bench/seed';
import { drillCounts, type DrillCounts } from './drills';
import { busSettled, type BusSeen, type LocalStackDrill } from './local-stack-drill';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the billing drills share: the schedule, the lookups and the bus's InvoiceIssued events (interface §7). */

/**
 * The stack's settings for the billing drills: an attempt of a DynamoDB call may take up to
 * 10 s before the SDK gives it up (3 s by default), so that a machine busy with other work
 * slows the drills down instead of failing their runs; the faults are the drill's own.
 */
export const BILLING_DRILL_ENV = { AWS_ATTEMPT_TIMEOUT_MS: '10000' };

export type RunSummary = ReturnType<typeof billingRunSummary>;

/** The local schedule's answer: the run's summary, or an error with it. */
export interface ScheduleAnswer {
  status: number;
  body: RunSummary & { error?: { code: string; message: string }; summary?: RunSummary };
}

/** POST /_local/schedules/monthly-billing: the run as the Scheduler would start it at `scheduledTime`, through to its end. */
export async function runSchedule(drill: LocalStackDrill, scheduledTime: string): Promise<ScheduleAnswer> {
  const response = await fetch(`${drill.stack.url}/_local/schedules/monthly-billing`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scheduledTime }),
  });
  return { status: response.status, body: (await response.json()) as ScheduleAnswer['body'] };
}

/** POST /_local/schedules/monthly-renewal. */
export async function runRenewal(drill: LocalStackDrill, scheduledTime: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${drill.stack.url}/_local/schedules/monthly-renewal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scheduledTime }),
  });
  return { status: response.status, body: await response.json() };
}

/** GET /contracts/{id}/invoices, every page: newest month first. */
export async function invoicesOf(drill: LocalStackDrill, contractId: string): Promise<Invoice[]> {
  const invoices: Invoice[] = [];
  let token: string | null = null;
  do {
    const query: string = `limit=100${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`;
    const { status, body } = await drill.answer<{ invoices: Invoice[]; nextToken: string | null }>(`/contracts/${contractId}/invoices?${query}`);
    if (status !== 200) throw new Error(`GET /contracts/${contractId}/invoices answered ${status}: ${JSON.stringify(body)}`);
    invoices.push(...body.invoices);
    token = body.nextToken;
  } while (token);
  return invoices;
}

/** The invoices of many contracts, a few lookups at a time, by contract. */
export async function invoicesOfAll(drill: LocalStackDrill, contractIds: readonly string[]): Promise<Map<string, Invoice[]>> {
  const found = new Map<string, Invoice[]>();
  for (let i = 0; i < contractIds.length; i += 8) {
    const batch = contractIds.slice(i, i + 8);
    const pages = await Promise.all(batch.map((id) => invoicesOf(drill, id)));
    batch.forEach((id, n) => found.set(id, pages[n]));
  }
  return found;
}

/** GET /billing-runs/{month}. */
export const billingRun = (drill: LocalStackDrill, month: YearMonth): Promise<RunSummary> => drill.get<RunSummary>(`/billing-runs/${month}`);

/** The InvoiceIssued events the bus has seen. */
export const invoiceEvents = (events: readonly EventRecord[]): EventRecord[] => events.filter((record) => record.event['detail-type'] === 'InvoiceIssued');

/** The eventKey of each InvoiceIssued event, in order (duplicates kept). */
export const invoiceEventKeys = (events: readonly EventRecord[]): string[] => invoiceEvents(events).map((record) => String(record.event.detail.eventKey));

/** The bus once it holds at least `count` InvoiceIssued events, every event settled; after `withinMs`, what there is. */
export function invoicesPublished(drill: LocalStackDrill, count: number, withinMs = 20_000): Promise<BusSeen> {
  return drill.waitFor((seen) => busSettled(seen.events) && invoiceEvents(seen.events).length >= count, withinMs, 100);
}

/**
 * The drill's counts: `delivered` the invoices the contracts should have (by id), `outcomes`
 * the InvoiceIssued events (by eventKey), `deadLetters` the dead letters, `lost` the invoices
 * with neither an event nor a dead letter, `stalled` invoices stored and never published;
 * `invoices` the invoices the lookups list.
 */
export function billingCounts(expected: readonly string[], seen: BusSeen, listed: readonly Invoice[], stalled: number): DrillCounts & { invoices: number } {
  const letteredIds = seen.deadLetters.map((letter) => JSON.stringify(letter.payload));
  const lettered = expected.filter((invoiceId) => letteredIds.some((payload) => payload.includes(invoiceId)));
  return { ...drillCounts(expected, invoiceEventKeys(seen.events), lettered, stalled), invoices: listed.length };
}

/** Invoices listed twice for one contract and month (the lookups' view of I3). */
export function duplicateInvoices(byContract: Map<string, Invoice[]>): number {
  let duplicates = 0;
  for (const invoices of byContract.values()) duplicates += invoices.length - new Set(invoices.map((invoice) => invoice.month)).size;
  return duplicates;
}

/** The billing run's dependencies on a client of the drill's own (another function, on AWS), its files in a folder of their own. */
export function billingDepsOn(drill: LocalStackDrill, dynamoDb: DynamoDBClient, deadLetters: DeadLetterSink): BillingHandlerDeps {
  const files = new LocalFolderFiles({ root: mkdtempSync(join(tmpdir(), 'omakase-drill-files-')), baseUrl: drill.stack.url, clock: { now: () => new Date() } });
  return billingDependencies(drill.settings, dynamoDb, files, deadLetters, { logger: silentLogger() });
}

/** The months the run of 2 March 2024 bills a contract due from January 2024: both (I2's catch-up). */
export const DUE_MONTHS = ['2024-01', '2024-02'] as const;

/** The schedule's run of 2 March 2024, for February 2024. */
export const MARCH_RUN = '2024-03-02T03:00:00+09:00';

/** The invoices the contracts should end with: one for each of DUE_MONTHS. */
export const dueInvoiceIds = (contractIds: readonly string[]): string[] => contractIds.flatMap((id) => DUE_MONTHS.map((month) => invoiceIdOf(id, month)));

/** `count` contracts due from January 2024 (dueContract(tag, n)), seeded on a client of their own: their ids, and the invoices they should end with. */
export async function seedDueContracts(drill: LocalStackDrill, tag: string, count: number): Promise<{ ids: string[]; expected: string[] }> {
  const seeder = extraClient();
  const seeded = await seedContracts({ client: seeder, settings: drill.settings, count, contract: (n) => dueContract(tag, n) });
  seeder.destroy();
  const ids = seeded.map((s) => s.contractId);
  return { ids, expected: dueInvoiceIds(ids) };
}

/** A dead-letter sink for a billing function of the drill's own, and the letters it kept. */
export function keptLetters(): { letters: unknown[]; sink: DeadLetterSink } {
  const letters: unknown[] = [];
  return { letters, sink: { deadLetter: (reason, payload) => void letters.push({ reason, payload }) } };
}

/**
 * After the last run: a moment for anything it issued to reach the bus (the stream hands
 * it on within moments), then what the bus has seen, what stalled, and the invoices the
 * lookups list, by contract and all together.
 */
export async function settledAfterRun(
  drill: LocalStackDrill,
  contractIds: readonly string[],
): Promise<{ seen: BusSeen; stalled: number; byContract: Map<string, Invoice[]>; listed: Invoice[] }> {
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const seen = await drill.seen();
  const stalled = await drill.stalled(5_000);
  const byContract = await invoicesOfAll(drill, contractIds);
  return { seen, stalled, byContract, listed: [...byContract.values()].flat() };
}

/** The schedule's answer as the drills print it: `200 completed 120 invoices`. */
export const runLine = ({ status, body }: ScheduleAnswer): string => `${status} ${body.status} ${body.invoices} invoices`;

/** The schedule's run answered 200 and ended completed, with `invoices` invoices and none failed. */
export function expectCompleted(answer: ScheduleAnswer, invoices: number): void {
  expect(answer).toMatchObject({ status: 200, body: { status: 'completed', invoices, failed: [] } });
}

/** Each of the `invoices` invoices issued, published and listed once: none repeated, dead-lettered, lost or stalled. */
export function expectEachOnce(counts: ReturnType<typeof billingCounts>, invoices: number): void {
  expect(counts).toEqual({ delivered: invoices, outcomes: invoices, duplicates: 0, deadLetters: 0, lost: 0, stalled: 0, invoices });
}
