import type { YearMonth } from '../domain/calendar';
import type { Issuer } from '../domain/invoices/invoice';
import type { Catalog } from '../domain/tariff/catalog';
import type { DeadLetterSink } from '../events/dead-letter';
import type { ExportFiles } from '../exports/export-files';
import type { BillingStore } from '../store/billing-store';
import type { EventPublisher } from '../events/publisher';
import type { InvoiceLookupStore } from '../store/invoice-lookup-store';
import type { LookupStore } from '../store/lookup-store';
import type { OrderStore } from '../store/order-store';
import type { OutboxStore } from '../store/outbox-store';
import type { RenewalStore } from '../store/renewal-store';

/**
 * What the use cases are given: built once per function by the composition root
 * (functions/wiring/dependencies.ts), or by a test with its own clock and ids.
 */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}

/** The use cases' structured log: what Powertools' Logger gives the functions, a silent or recording one in tests. */
export interface LogPort {
  info(message: string, ...fields: Array<Record<string, unknown>>): void;
  warn(message: string, ...fields: Array<Record<string, unknown>>): void;
  error(message: string, ...fields: Array<Record<string, unknown>>): void;
}

/** The terms every decision is priced and dated by. */
interface Terms {
  catalog: Catalog;
  clock: Clock;
  /** Decision T3. */
  terminationFeeTaxable: boolean;
}

/** What the lookups need: reads only. */
export interface LookupDeps extends Terms {
  store: LookupStore;
  invoices: InvoiceLookupStore;
  /** Download links of the month's files (interface §7.3). */
  files: Pick<ExportFiles, 'urls'>;
}

/**
 * What the order use cases need. No publisher: an order's outcome is written with it and
 * published from the table's stream (docs/design.md §3).
 */
export interface OrderDeps extends Terms {
  store: OrderStore;
  ids: IdGenerator;
  logger: LogPort;
}

/** What the monthly renewal needs: no publisher either, its facts go out through the table's stream. */
export interface RenewalDeps {
  store: RenewalStore;
  clock: Clock;
  logger: LogPort;
}

/** What the outcome publisher needs: the bus, and the outbox it marks. */
export interface PublishingDeps {
  store: OutboxStore;
  publisher: EventPublisher;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Why a contract was not billed, as GET /billing-runs/{month} and the console show it
 * (docs/interface.md §7.3): in Japanese, with the error's own message where it is Japanese
 * (the domain's refusals), else a pointer to the log, which has the error in full.
 */
export function notBilledReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(message)
    ? `請求書を発行できませんでした: ${message}`
    : '請求書を発行できませんでした: システムエラーです。システムの担当者に連絡してください (原因は請求締めのログに記録されています)。';
}

/** What the billing run needs (docs/terms.md §10): no publisher, its invoices go out through the table's stream. */
export interface BillingDeps {
  store: BillingStore;
  files: ExportFiles;
  catalog: Catalog;
  clock: Clock;
  logger: LogPort;
  /** Decision I5. */
  issuer: Issuer;
  /** Where a contract that cannot be billed goes, with its reason (I3). */
  deadLetters: DeadLetterSink;
}

/** Where the billing run's shards go: the billing queue on AWS (one message each), the shard function in process locally. */
export interface ShardQueue {
  send(messages: Array<{ month: YearMonth; shard: number; cursor?: string }>): Promise<void>;
}
