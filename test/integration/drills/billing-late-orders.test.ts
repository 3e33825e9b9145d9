import { dueContract, padded } from '../../../bench/fixtures';
import { seedContracts } from '../../../bench/seed';
import type { LocalDate } from '../../../functions/domain/calendar';
import type { Contract } from '../../../functions/domain/contract';
import { createContract } from '../../../functions/domain/contract-lifecycle';
import type { Invoice, InvoiceLine } from '../../../functions/domain/invoices/invoice';
import { SHIPPED_CATALOG } from '../../../functions/domain/tariff/catalog';
import { extraClient } from '../support/dynamodb';
import { newOrderId } from '../support/fixtures';
import {
  BILLING_DRILL_ENV,
  billingCounts,
  billingRun,
  duplicateInvoices,
  expectEachOnce,
  invoiceEvents,
  invoicesOfAll,
  invoicesPublished,
  runRenewal,
  runSchedule,
  settledAfterRun,
} from './support/billing-drill';
import { printDrill } from './support/drills';
import { outcomesIn, useLocalStackDrill, type BusEntry } from './support/local-stack-drill';

/**
 * Drill (docs/terms.md I4): orders of every kind that change January 2025 after the run
 * of 2 February closed it (the order system's retries, or a late application of its
 * queue): a cancellation and a services change, plan change and one-off service taking
 * effect in January, and a cancellation asked for in the renewal month (December 2024)
 * that withdraws the January renewal (L3). January's invoices are never edited; the run
 * of 2 March carries, on each changed contract's next invoice (February's, or an
 * adjustment-only invoice for a contract with no February to bill), exactly one
 * adjustment per line whose January amount changed, naming January's invoice, and equal
 * to the difference between January's bill now (GET …/charges) and what was invoiced.
 * Contracts no order touched get none. A rerun of the March run adjusts nothing again.
 */
jest.setTimeout(90_000);

const PER_KIND = 8;
const CLOSED = '2025-01';
const NEXT = '2025-02';
const RENEWAL_RUN = '2025-01-01T00:05:00+09:00';
const CLOSING_RUN = '2025-02-02T03:00:00+09:00';
const NEXT_RUN = '2025-03-02T03:00:00+09:00';
const SERVICES = { edrSecurity: { terminals: 8 }, cloudProxy: { users: 2 }, elgana: { ids: 5 } };

const KINDS = ['cancellation', 'services', 'plan', 'oneOff', 'withdrawn', 'untouched'] as const;
type Kind = (typeof KINDS)[number];

/** A Prime Plus contract from December 2024 (the withdrawn ones: from January 2024, renewed in January 2025). */
function contractOf(kind: Kind, n: number): Contract {
  if (kind === 'withdrawn') return dueContract('BLATEW', n);
  const tag = `BLATE${kind.slice(0, 3).toUpperCase()}`;
  return createContract(
    {
      contractId: padded(`K-${tag}`, n),
      orderId: padded(`ORD-${tag}`, n),
      appliedAt: '2024-11-20T10:00:00+09:00',
      customer: { customerId: padded(`C-${tag}`, n), name: '株式会社ドリル', kind: 'corporation', phone: '06-0000-0000' },
      lineId: padded(`L-${tag}`, n),
      startDate: `2024-12-${String(1 + n * 3).padStart(2, '0')}` as LocalDate,
      plan: { code: 'prime-plus', tier: 10 },
      services: SERVICES,
      billing: { method: n % 2 === 0 ? 'account-transfer' : 'invoice' },
    },
    SHIPPED_CATALOG,
  );
}

/** The late order of each kind, processed after January was closed. */
function lateOrder(kind: Kind, contractId: string): BusEntry | null {
  const orderId = newOrderId(`late-${kind}`);
  switch (kind) {
    case 'cancellation':
      return { type: 'CancellationRequested', detail: { orderId, requestedAt: '2025-01-10T09:00:00+09:00', contractId, effectiveDate: '2025-01-20' } };
    case 'services':
      return {
        type: 'ServicesChangeRequested',
        detail: { orderId, requestedAt: '2025-01-15T09:00:00+09:00', contractId, services: { ...SERVICES, edrSecurity: { terminals: 12 } } },
      };
    case 'plan':
      return {
        type: 'PlanChangeRequested',
        detail: {
          orderId,
          requestedAt: '2025-01-10T09:00:00+09:00',
          contractId,
          effectiveDate: '2025-01-15',
          plan: { code: 'prime-plus', tier: 50 },
          services: SERVICES,
        },
      };
    case 'oneOff':
      return {
        type: 'OneOffServiceOrdered',
        detail: {
          orderId,
          requestedAt: '2025-01-20T09:00:00+09:00',
          contractId,
          date: '2025-01-20',
          visitSupport: { items: [{ item: 'basicWork', quantity: 1 }] },
        },
      };
    case 'withdrawn':
      // Asked for in the renewal month, effective at its end: the renewal the January run made is withdrawn (L3).
      return { type: 'CancellationRequested', detail: { orderId, requestedAt: '2024-12-20T09:00:00+09:00', contractId, effectiveDate: '2024-12-31' } };
    case 'untouched':
      return null;
  }
}

/** Amounts per item: what the month's lines add up to, item by item. */
function perItem(lines: ReadonlyArray<{ item: string; amount: number }>): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of lines) sums.set(line.item, (sums.get(line.item) ?? 0) + line.amount);
  return sums;
}

/** The adjustments January's bill now calls for against what was invoiced: item → difference. */
function differences(now: ReadonlyArray<{ item: string; amount: number }>, invoiced: InvoiceLine[]): Map<string, number> {
  const before = perItem(invoiced);
  const current = perItem(now);
  const out = new Map<string, number>();
  for (const item of new Set([...before.keys(), ...current.keys()])) {
    const difference = (current.get(item) ?? 0) - (before.get(item) ?? 0);
    if (difference !== 0) out.set(item, difference);
  }
  return out;
}

const drill = useLocalStackDrill('billing-late', { env: BILLING_DRILL_ENV });

it('adjusts each changed line of a closed month once, on the next invoice, naming the invoice it corrects', async () => {
  const seeder = extraClient();
  const contracts = new Map<Kind, Contract[]>(KINDS.map((kind) => [kind, Array.from({ length: PER_KIND }, (_, n) => contractOf(kind, n))]));
  const all = [...contracts.values()].flat();
  await seedContracts({ client: seeder, settings: drill.settings, count: all.length, contract: (n) => all[n] });
  seeder.destroy();
  const ids = all.map((c) => c.contractId);
  const kindOf = new Map(KINDS.flatMap((kind) => (contracts.get(kind) ?? []).map((c) => [c.contractId, kind] as const)));

  // January closed: the withdrawn ones renewed first, then every month from each start through January invoiced.
  const renewal = await runRenewal(drill, RENEWAL_RUN);
  const closing = await runSchedule(drill, CLOSING_RUN);
  const closedInvoices = await invoicesOfAll(drill, ids);
  const january = new Map(ids.map((id) => [id, closedInvoices.get(id)?.find((invoice) => invoice.month === CLOSED)]));

  // The late orders, through the bus as the order system puts them.
  const orders = all.flatMap((c) => lateOrder(kindOf.get(c.contractId) as Kind, c.contractId) ?? []);
  const orderIds = orders.map((order) => (order.detail as { orderId: string }).orderId);
  for (let i = 0; i < orders.length; i += 10) await drill.put(orders.slice(i, i + 10));
  const afterOrders = await drill.settled(orderIds, (tally) => tally.ordersWithOutcome + tally.ordersDeadLettered === orderIds.length, 30_000);
  const outcomeTypes = outcomesIn(afterOrders.events)
    .filter((record) => orderIds.includes(String(record.event.detail.orderId)))
    .map((record) => record.event['detail-type']);

  // January's bill as it is now, for each contract.
  const janNow = new Map<string, Array<{ item: string; amount: number }>>();
  for (const id of ids) {
    const { status, body } = await drill.answer<{ lines: Array<{ item: string; amount: number }> }>(`/contracts/${id}/charges?month=${CLOSED}`);
    janNow.set(id, status === 200 ? body.lines : []);
  }

  const next = await runSchedule(drill, NEXT_RUN);
  const nextInvoices = await invoicesOfAll(drill, ids);
  const eventsAfterNext = invoiceEvents((await invoicesPublished(drill, [...nextInvoices.values()].flat().length)).events).length;
  const rerun = await runSchedule(drill, NEXT_RUN);
  const { seen, stalled, byContract: finalInvoices, listed } = await settledAfterRun(drill, ids);

  // What each contract's next invoice carries, against what January's bill now calls for.
  const rows = ids.map((id) => {
    const invoices = finalInvoices.get(id) ?? [];
    const carrier = invoices.find((invoice) => invoice.month === NEXT);
    const adjustments = invoices.flatMap((invoice) => invoice.lines.filter((line) => line.kind === 'adjustment'));
    const invoicedJan = january.get(id) as Invoice;
    const wanted = differences(janNow.get(id) ?? [], invoicedJan.lines);
    return {
      id,
      kind: kindOf.get(id) as Kind,
      adjustments: adjustments.length,
      onNextInvoice: carrier?.lines.filter((line) => line.kind === 'adjustment').length ?? 0,
      namingJanuary: adjustments.filter((line) => line.adjusts?.invoiceId === invoicedJan.invoiceId && line.adjusts.month === CLOSED).length,
      asWanted:
        adjustments.length === wanted.size &&
        adjustments.every((line) => wanted.get(line.item) === line.amount) &&
        new Set(adjustments.map((line) => line.item)).size === adjustments.length,
      januaryKept: JSON.stringify(invoices.find((invoice) => invoice.month === CLOSED)) === JSON.stringify(invoicedJan),
      nextTotal: carrier?.tax.total ?? null,
    };
  });
  const changed = rows.filter((row) => row.kind !== 'untouched');
  const expectedIds = ids.flatMap((id) => (finalInvoices.get(id) ?? []).map((invoice) => invoice.invoiceId));
  const counts = billingCounts(expectedIds, seen, listed, stalled);
  const byKind = Object.fromEntries(KINDS.map((kind) => [kind, rows.filter((row) => row.kind === kind).reduce((sum, row) => sum + row.adjustments, 0)]));
  const detail = {
    contracts: ids.length,
    closingRun: `${closing.status} ${closing.body.status} ${closing.body.invoices} invoices`,
    lateOrders: orders.length,
    orderOutcomes: [...new Set(outcomeTypes)].join('+'),
    nextRun: `${next.status} ${next.body.status} ${next.body.invoices} invoices, ${next.body.adjustments} with adjustments`,
    rerun: `${rerun.status} ${rerun.body.status} ${rerun.body.invoices} invoices, ${rerun.body.adjustments} with adjustments`,
    adjustmentLines: rows.reduce((sum, row) => sum + row.adjustments, 0),
    adjustmentsByKind: byKind,
    credits: rows.filter((row) => row.nextTotal !== null && row.nextTotal < 0).length,
    eventsAfterNext,
    duplicateInvoices: duplicateInvoices(finalInvoices),
  };
  printDrill('late orders after a closed month', counts, detail);

  expect(renewal.status).toBe(200);
  expect(closing).toMatchObject({ status: 200, body: { status: 'completed', failed: [] } });
  // Every late order accepted: none refused, none dead-lettered.
  expect(outcomeTypes.sort()).toEqual(
    [
      ...Array<string>(PER_KIND).fill('ContractCancelled'),
      ...Array<string>(PER_KIND).fill('ContractServicesChanged'),
      ...Array<string>(PER_KIND).fill('ContractPlanChanged'),
      ...Array<string>(PER_KIND).fill('OneOffFeeCharged'),
      ...Array<string>(PER_KIND).fill('ContractCancelled'),
    ].sort(),
  );
  expect(next).toMatchObject({ status: 200, body: { status: 'completed', failed: [] } });
  // Each changed contract: at least one adjustment, exactly those January's bill calls for, all on its next invoice, all naming January's.
  for (const row of changed) expect(row).toMatchObject({ asWanted: true, januaryKept: true, adjustments: row.onNextInvoice, namingJanuary: row.adjustments });
  expect(changed.every((row) => row.adjustments > 0)).toBe(true);
  expect(rows.filter((row) => row.kind === 'untouched').every((row) => row.adjustments === 0 && row.januaryKept)).toBe(true);
  // The run counts the invoices that carry adjustments (interface §7.3): one per changed contract.
  expect(next.body.adjustments).toBe(changed.length);
  // Adjusted once: the rerun issued nothing and published nothing.
  expect(rerun).toMatchObject({ status: 200, body: { status: 'completed', invoices: next.body.invoices, adjustments: next.body.adjustments } });
  expect(listed.length).toBe([...nextInvoices.values()].flat().length);
  expect(invoiceEvents(seen.events)).toHaveLength(eventsAfterNext);
  expectEachOnce(counts, listed.length);
  expect(detail.duplicateInvoices).toBe(0);
  const run = await billingRun(drill, NEXT);
  expect(run).toMatchObject({ status: 'completed', adjustments: next.body.adjustments });
});
