/**
 * What the use-case tests of this folder share: deps on an InMemoryStore (test/support/),
 * a fixed clock, sequential ids, and the use cases run as their handlers run them.
 */
import { applicationDetail } from '../../bench/fixtures';
import { SHIPPED_CATALOG } from '../../functions/domain/tariff/catalog';
import { parseInbound, type ReadableInbound } from '../../functions/schemas/inbound';
import type { Schema } from '../../functions/schemas/field-issues';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFolderFiles } from '../../functions/exports/local-folder-files';
import { InMemoryInvoices } from '../support/in-memory-invoices';
import type { Clock, IdGenerator, LookupDeps, OrderDeps, RenewalDeps } from '../../functions/use-cases/deps';
import { decidedAgainWhileStale } from '../../functions/handlers/inbound-handler';
import { fingerprintOf, type InboundOrder, type OrderResult } from '../../functions/use-cases/order-idempotency';
import { applicationSchema } from '../../functions/schemas/orders/application';
import { cancellationSchema } from '../../functions/schemas/orders/cancellation';
import { oneOffOrderSchema } from '../../functions/schemas/orders/one-off-order';
import { planChangeSchema } from '../../functions/schemas/orders/plan-change';
import { servicesChangeSchema } from '../../functions/schemas/orders/services-change';
import { processApplication } from '../../functions/use-cases/process-application';
import { processCancellation } from '../../functions/use-cases/process-cancellation';
import { processOneOffOrder } from '../../functions/use-cases/process-one-off-order';
import { processPlanChange } from '../../functions/use-cases/process-plan-change';
import { processServicesChange } from '../../functions/use-cases/process-services-change';
import { InMemoryStore } from '../support/in-memory-store';

/** The logger port, whatever deps.ts names it. */
type Logger = OrderDeps['logger'];

export const fixedClock = (instant: string): Clock => ({ now: () => new Date(instant) });

export function sequentialIds(prefix = 'K'): IdGenerator {
  let n = 0;
  return { next: () => `${prefix}-${String(++n).padStart(6, '0')}` };
}

/** A logger that keeps what it is told, for the tests that read it. */
export function recordingLogger(): Logger & { lines: Array<{ level: string; message: string }> } {
  const lines: Array<{ level: string; message: string }> = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

export type TestOrderDeps = OrderDeps & { store: InMemoryStore };

export function orderDeps(store: InMemoryStore, now = '2024-06-01T10:00:00+09:00', ids: IdGenerator = sequentialIds()): TestOrderDeps {
  return { store, catalog: SHIPPED_CATALOG, clock: fixedClock(now), terminationFeeTaxable: false, ids, logger: recordingLogger() };
}

export function lookupDeps(store: InMemoryStore, now: string, invoices = new InMemoryInvoices()): LookupDeps {
  const clock = fixedClock(now);
  const files = new LocalFolderFiles({ root: join(tmpdir(), 'omakase-test-files'), baseUrl: 'http://127.0.0.1:3000', clock });
  return { store, invoices, files, catalog: SHIPPED_CATALOG, clock, terminationFeeTaxable: false };
}

export function renewalDeps(store: InMemoryStore, now: string): RenewalDeps {
  return { store, clock: fixedClock(now), logger: recordingLogger() };
}

/** An inbound detail as its handler hands it to the use case: parsed, with the order's fingerprint. */
export function received<T>(detailType: string, schema: Schema<T>, detail: unknown): { inbound: ReadableInbound<T>; order: InboundOrder } {
  const inbound = parseInbound(schema, detail);
  if (inbound.kind === 'unreadable') throw new Error(`unreadable test detail: ${inbound.reason}`);
  return { inbound, order: { orderId: inbound.orderId, fingerprint: fingerprintOf(detailType, detail) } };
}

type UseCase<T> = (deps: OrderDeps, inbound: ReadableInbound<T>, order: InboundOrder) => Promise<OrderResult>;

/**
 * A use case as its inbound handler runs it (functions/handlers/inbound-handler.ts): on the
 * parsed detail and its fingerprint, decided again while its save finds the contract or the
 * line changed (StaleDecisionError), each attempt numbered.
 */
function asHandler<T>(detailType: string, schema: Schema<T>, useCase: UseCase<T>) {
  return async (deps: OrderDeps, detail: unknown): Promise<OrderResult> => {
    const { inbound, order } = received(detailType, schema, detail);
    return decidedAgainWhileStale(order, (attempt) => useCase(deps, inbound, attempt));
  };
}

/** The use cases as the inbound handlers run them, on a detail. */
export const orders = {
  apply: asHandler('ContractApplicationSubmitted', applicationSchema, processApplication),
  cancel: asHandler('CancellationRequested', cancellationSchema, processCancellation),
  changeServices: asHandler('ServicesChangeRequested', servicesChangeSchema, processServicesChange),
  changePlan: asHandler('PlanChangeRequested', planChangeSchema, processPlanChange),
  orderOneOff: asHandler('OneOffServiceOrdered', oneOffOrderSchema, processOneOffOrder),
};

/** Applies with bench/fixtures.ts's valid Prime Plus application (and overrides); the created contract's id. */
export async function created(deps: OrderDeps, orderId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const result = await orders.apply(deps, { ...applicationDetail(orderId, `L-${orderId}`), ...overrides });
  if (result.outcome.detailType !== 'ContractCreated') throw new Error(`application refused: ${JSON.stringify(result.outcome.detail)}`);
  return (result.outcome.detail.contract as { contractId: string }).contractId;
}

/** What the tests of an order on an existing contract start from. */
export interface GivenContract {
  store: InMemoryStore;
  deps: TestOrderDeps;
  contractId: string;
}

/**
 * Before each test: a fresh store, order deps on it, and the contract of bench/fixtures.ts's
 * valid application `ORD-1` (Prime Plus from 2024-05-10: term 1 is 2024-05 … 2025-04).
 * The object returned is filled in anew for every test.
 */
export function aContractEachTest(): GivenContract {
  const given = {} as GivenContract;
  beforeEach(async () => {
    given.store = new InMemoryStore();
    given.deps = orderDeps(given.store);
    given.contractId = await created(given.deps, 'ORD-1');
  });
  return given;
}

/** The reason codes of a refusal, in order. */
export const codesOf = (outcome: { detail: Record<string, any> }) => (outcome.detail.reasons as Array<{ code: string }>).map((r) => r.code);

/** An outcome's detail, for assertions on its parts (parsed JSON on the bus: `any` is the honest type). */
export const detailOf = (result: { outcome: { detail: Record<string, unknown> } }): Record<string, any> => result.outcome.detail;
