import type { LocalDate } from '../../../functions/domain/calendar';
import { monthlyCharges } from '../../../functions/domain/charges/monthly-charges';
import type { Contract, Services } from '../../../functions/domain/contract';
import { createContract, withCancellation, withPlanChange, withServices } from '../../../functions/domain/contract-lifecycle';
import { NotChargeableError } from '../../../functions/domain/errors';
import { billingDueMonth } from '../../../functions/domain/invoices/billing-due';
import type { Invoice } from '../../../functions/domain/invoices/invoice';
import { invoiceIdOf } from '../../../functions/domain/invoices/invoice-id';
import { withLateChanges } from '../../../functions/domain/invoices/late-change';
import { anApplication } from '../fixtures';
import { catalog, linesOf, notTaxable, plan, run, withOneOff } from './billing';

/**
 * Decision I4: an order processed after a month was invoiced that changes what the month
 * should have billed marks the contract (withLateChanges); the next run never edits the
 * issued invoice but carries the difference per line on the next invoice, naming the
 * invoice it corrects, once.
 */

const SERVICES: Services = { edrSecurity: { terminals: 8 }, cloudProxy: { users: 2 }, elgana: { ids: 5 } };

/** Prime Plus 10 with 8 EDR terminals from 2024-01-10 (term 1: 2024-01 … 2024-12), invoiced through June by the runs. */
function invoicedThroughJune(): { contract: Contract; invoices: Invoice[] } {
  const created = createContract(anApplication({ appliedAt: '2024-01-05T10:00:00+09:00', startDate: '2024-01-10', services: SERVICES }), catalog);
  return run(created, '2024-06');
}

const byMonth = (invoices: Invoice[], month: string): Invoice => {
  const found = invoices.find((invoice) => invoice.month === month);
  if (!found) throw new Error(`no invoice for ${month}`);
  return found;
};

/** Invoices from `month` on, as the store hands them to the run (invoicesFrom(contractId, adjustFrom)). */
const from = (invoices: Invoice[], month: string) => invoices.filter((invoice) => invoice.month >= month);

const servicesChange = (contract: Contract, requestedAt: string, services: Services) =>
  withServices(contract, { orderId: `ORD-S-${requestedAt}`, requestedAt, services }, catalog);

const cancellation = (contract: Contract, orderId: string, requestedAt: string, effectiveDate: LocalDate) =>
  withCancellation(contract, { orderId, requestedAt, effectiveDate }, catalog, notTaxable);

describe('a late cancellation of a closed month (I4), end to end through the domain', () => {
  const billedRun = invoicedThroughJune();
  const before = billedRun.contract;
  // Requested on 2024-05-15, effective 2024-05-20, processed only after June was closed.
  const cancelled = cancellation(before, 'ORD-CANCEL', '2024-05-15T10:00:00+09:00', '2024-05-20');
  const marked = withLateChanges(catalog, before, cancelled);
  const may = byMonth(billedRun.invoices, '2024-05');
  const june = byMonth(billedRun.invoices, '2024-06');

  it('the runs invoiced January to June, 22,300 yen a month after the prorated January', () => {
    expect(billedRun.invoices.map((invoice) => [invoice.month, invoice.subtotal])).toEqual([
      ['2024-01', 13483 + 2341],
      ['2024-02', 22300],
      ['2024-03', 22300],
      ['2024-04', 22300],
      ['2024-05', 22300],
      ['2024-06', 22300],
    ]);
    expect(before.invoicing).toEqual({ invoicedThrough: '2024-06', adjustFrom: null });
  });

  it('the order changes May (20 days and a termination fee of 7 × 3,000, May being month 5 of the term) and removes June', () => {
    expect(monthlyCharges(catalog, cancelled, '2024-05').lines.map((line) => [line.kind, line.item, line.amount])).toEqual([
      ['monthly', 'primePlus.10', 12258], // 19,000 × 20 / 31
      ['monthly', 'edrSecurity', 2129], // 3,300 × 20 / 31
      ['termination-fee', 'terminationFee', 21000],
    ]);
    expect(() => monthlyCharges(catalog, cancelled, '2024-06')).toThrow(NotChargeableError);
  });

  it('marks the contract from May, the oldest month it changed, and changes nothing else', () => {
    expect(marked.invoicing).toEqual({ invoicedThrough: '2024-06', adjustFrom: '2024-05' });
    expect({ ...marked, invoicing: undefined }).toEqual({ ...cancelled, invoicing: undefined });
    expect(billingDueMonth(marked)).toBe('2024-07');
  });

  const adjusted = plan(marked, '2024-07', { issued: from(billedRun.invoices, '2024-05') });
  const adjustment = adjusted?.invoices[0];

  it('the next run issues one adjustment-only invoice for 2024-07, naming the May and June invoices line by line', () => {
    expect(adjusted?.invoices).toHaveLength(1);
    expect(adjustment).toMatchObject({ invoiceId: invoiceIdOf('K-0001', '2024-07'), month: '2024-07', issueDate: '2024-08-02', revision: '2024-04-01' });
    expect(adjustment?.lines.map((line) => [line.kind, line.item, line.amount, line.adjusts])).toEqual([
      ['adjustment', 'primePlus.10', 12258 - 19000, { invoiceId: may.invoiceId, month: '2024-05', kind: 'monthly' }],
      ['adjustment', 'edrSecurity', 2129 - 3300, { invoiceId: may.invoiceId, month: '2024-05', kind: 'monthly' }],
      ['adjustment', 'terminationFee', 21000, { invoiceId: may.invoiceId, month: '2024-05', kind: 'termination-fee' }],
      ['adjustment', 'primePlus.10', -19000, { invoiceId: june.invoiceId, month: '2024-06', kind: 'monthly' }],
      ['adjustment', 'edrSecurity', -3300, { invoiceId: june.invoiceId, month: '2024-06', kind: 'monthly' }],
    ]);
    expect(adjustment?.lines.every((line) => line.quantity === 1 && line.unitPrice === line.amount)).toBe(true);
    expect(may.invoiceId).not.toBe(june.invoiceId);
  });

  it('the termination-fee adjustment stays 不課税, outside the taxable subtotal (T3); the others are 課税', () => {
    const fee = adjustment?.lines.find((line) => line.adjusts?.kind === 'termination-fee');
    expect(fee).toMatchObject({ taxable: false, taxLabel: '不課税' });
    expect(adjustment?.lines.filter((line) => line !== fee).every((line) => line.taxable && line.taxLabel === '課税')).toBe(true);
  });

  it('the tax is computed once on the taxable subtotal, rounded toward −∞; the negative total is a credit', () => {
    // Taxable: −6,742 − 1,171 − 19,000 − 3,300 = −30,213; 10% is −3,021.3, rounded down to −3,022.
    expect(adjustment?.subtotal).toBe(-30213 + 21000);
    expect(adjustment?.tax).toEqual({ ratePercent: 10, taxableSubtotal: -30213, consumptionTax: -3022, total: -9213 - 3022 });
    // Rounding each line down instead would give −675 − 118 − 1,900 − 330 = −3,023.
    const perLine = [-6742, -1171, -19000, -3300].reduce((sum, amount) => sum + Math.floor(amount / 10), 0);
    expect(perLine).not.toBe(-3022);
  });

  it('the termination fee uses basic fee ①, an operator placeholder: the adjustment invoice is 仮 although the issuer is set (P1, I5)', () => {
    expect(adjustment?.lines.find((line) => line.adjusts?.kind === 'termination-fee')?.placeholder).toBe(true);
    expect(adjustment?.placeholder).toBe(true);
  });

  it('the mark is cleared and the months are closed through July; the contract is not due again', () => {
    expect(adjusted?.invoicing).toEqual({ invoicedThrough: '2024-07', adjustFrom: null });
    const after = { ...marked, invoicing: adjusted!.invoicing, version: marked.version + 1 };
    expect(billingDueMonth(after)).toBeNull();
    expect(plan(after, '2024-07')).toBeNull();
    expect(plan(after, '2024-08')?.invoices).toEqual([]);
  });

  it('adjusted once: with the adjustment invoice among those issued, marking May again adjusts nothing', () => {
    const issued = [may, june, adjustment!];
    const remarked = { ...marked, invoicing: { invoicedThrough: '2024-07' as const, adjustFrom: '2024-05' as const } };
    expect(plan(remarked, '2024-08', { issued })?.invoices).toEqual([]);
  });

  it('a further late order adjusts only its own difference, not the May and June corrections again', () => {
    const closed = { ...marked, invoicing: adjusted!.invoicing, version: marked.version + 1 };
    const migrated = withOneOff(closed, { date: '2024-05-18', dataMigration: { devices: [{ volumeGB: 3 }] } }, '2024-08-05T10:00:00+09:00');
    const remarked = withLateChanges(catalog, closed, migrated);
    expect(remarked.invoicing).toEqual({ invoicedThrough: '2024-07', adjustFrom: '2024-05' });
    const next = plan(remarked, '2024-08', { issued: [may, june, adjustment!] });
    expect(next?.invoices).toHaveLength(1);
    expect(next?.invoices[0].month).toBe('2024-08');
    expect(next?.invoices[0].lines.map((line) => [line.kind, line.item, line.amount, line.adjusts?.month, line.adjusts?.kind])).toEqual([
      ['adjustment', 'dataMigration.per4_7GB', 16000, '2024-05', 'one-off'],
    ]);
    expect(next?.invoices[0].tax).toEqual({ ratePercent: 10, taxableSubtotal: 16000, consumptionTax: 1600, total: 17600 });
  });
});

describe('the operator setting that makes the termination fee taxable (T3)', () => {
  it('makes its adjustment 課税 too, inside the taxable subtotal', () => {
    const { contract, invoices } = invoicedThroughJune();
    const request = { orderId: 'ORD-CANCEL', requestedAt: '2024-05-15T10:00:00+09:00', effectiveDate: '2024-05-20' as const };
    const marked = withLateChanges(catalog, contract, withCancellation(contract, request, catalog, { taxable: true }));
    const [adjustment] = plan(marked, '2024-07', { issued: from(invoices, '2024-05') })!.invoices;
    expect(adjustment.lines.find((line) => line.adjusts?.kind === 'termination-fee')).toMatchObject({ amount: 21000, taxable: true, taxLabel: '課税' });
    // −30,213 + 21,000 = −9,213 taxable: −921.3, rounded down to −922.
    expect(adjustment.tax).toEqual({ ratePercent: 10, taxableSubtotal: -9213, consumptionTax: -922, total: -9213 - 922 });
  });
});

describe('a late change on a contract that goes on (I4): the adjustments ride on the next regular invoice', () => {
  it('EDR 8 → 10 requested in May: the July invoice bills July and adds 2 × 1,100 for May and for June', () => {
    const { contract, invoices } = invoicedThroughJune();
    const changed = withLateChanges(catalog, contract, servicesChange(contract, '2024-05-20T10:00:00+09:00', { ...SERVICES, edrSecurity: { terminals: 10 } }));
    expect(changed.invoicing?.adjustFrom).toBe('2024-05');
    const july = plan(changed, '2024-07', { issued: from(invoices, '2024-05') });
    expect(july?.invoices.map((invoice) => invoice.month)).toEqual(['2024-07']);
    const [invoice] = july!.invoices;
    expect(linesOf(invoice)).toEqual([
      ['monthly', 'primePlus.10', 19000],
      ['monthly', 'edrSecurity', 5500],
      ['adjustment', 'edrSecurity', 2200],
      ['adjustment', 'edrSecurity', 2200],
    ]);
    expect(invoice.lines.slice(2).map((line) => line.adjusts)).toEqual([
      { invoiceId: byMonth(invoices, '2024-05').invoiceId, month: '2024-05', kind: 'monthly' },
      { invoiceId: byMonth(invoices, '2024-06').invoiceId, month: '2024-06', kind: 'monthly' },
    ]);
    expect(invoice.tax).toEqual({ ratePercent: 10, taxableSubtotal: 28900, consumptionTax: 2890, total: 31790 });
    expect(july?.invoicing).toEqual({ invoicedThrough: '2024-07', adjustFrom: null });
  });
});

describe('adjustments on a catch-up', () => {
  it('ride on the first invoice the run issues, not on each month it closes', () => {
    const { contract, invoices } = invoicedThroughJune();
    const changed = withLateChanges(catalog, contract, servicesChange(contract, '2024-06-03T10:00:00+09:00', { ...SERVICES, edrSecurity: { terminals: 10 } }));
    const next = plan(changed, '2024-08', { issued: from(invoices, '2024-06') });
    expect(
      next?.invoices.map((invoice) => [invoice.month, invoice.lines.filter((line) => line.kind === 'adjustment').map((line) => line.adjusts?.month)]),
    ).toEqual([
      ['2024-07', ['2024-06']],
      ['2024-08', []],
    ]);
  });
});

describe('withLateChanges: which orders mark which month', () => {
  const { contract } = invoicedThroughJune();

  it.each([
    // Decision C2: a services change counts for the whole month it is made in (history-based), so May and June change.
    ['a services change requested in May', '2024-05', '2024-05-20T10:00:00+09:00'],
    ['a services change at 2024-06-30 23:59 JST', '2024-06', '2024-06-30T23:59:00+09:00'],
    ['a services change at 2024-07-01 00:00 JST (2024-06-30T15:00Z)', null, '2024-06-30T15:00:00Z'],
    ['a services change in July, not invoiced yet', null, '2024-07-05T10:00:00+09:00'],
  ])('%s marks %s', (_what, mark, requestedAt) => {
    const after = withLateChanges(catalog, contract, servicesChange(contract, requestedAt, { ...SERVICES, edrSecurity: { terminals: 6 } }));
    expect(after.invoicing).toEqual({ invoicedThrough: '2024-06', adjustFrom: mark });
  });

  it.each([
    ['performed in May (a closed month)', '2024-05', '2024-05-20'],
    ['performed in July (not invoiced yet)', null, '2024-07-05'],
  ] as const)('a one-off service %s, ordered in July, marks %s', (_what, mark, date) => {
    const after = withLateChanges(
      catalog,
      contract,
      withOneOff(contract, { date, visitSupport: { items: [{ item: 'osUpdate', quantity: 1 }] } }, '2024-07-01T10:00:00+09:00'),
    );
    expect(after.invoicing?.adjustFrom).toBe(mark);
  });

  it.each([
    ['effective 2024-05-15 (a closed month)', '2024-05', '2024-05-10T10:00:00+09:00', '2024-05-15'],
    // Requested in June, a closed month, but a plan change counts from its effective date (PC1, PC6).
    ['effective 2024-07-01 (not invoiced yet)', null, '2024-06-25T10:00:00+09:00', '2024-07-01'],
  ] as const)('a plan change (Prime Plus 10 → 50) %s marks %s', (_what, mark, requestedAt, effectiveDate: LocalDate) => {
    const changed = withPlanChange(
      contract,
      { orderId: 'ORD-PC', requestedAt, effectiveDate, plan: { code: 'prime-plus', tier: 50 }, services: SERVICES },
      catalog,
      notTaxable,
    );
    expect(withLateChanges(catalog, contract, changed.contract).invoicing?.adjustFrom).toBe(mark);
  });

  it('a cancellation effective after the months invoiced marks nothing', () => {
    const cancelled = cancellation(contract, 'ORD-C', '2024-06-20T10:00:00+09:00', '2024-07-31');
    const after = withLateChanges(catalog, contract, cancelled);
    expect(after).toBe(cancelled);
    expect(after.invoicing?.adjustFrom).toBeNull();
  });

  it('an order that changes no bill (the same services again) marks nothing', () => {
    const same = servicesChange(contract, '2024-05-20T10:00:00+09:00', SERVICES);
    expect(withLateChanges(catalog, contract, same).invoicing?.adjustFrom).toBeNull();
  });

  it('an earlier mark stays when a later closed month changes, and moves back when an earlier one does', () => {
    const markedJune = { ...contract, invoicing: { invoicedThrough: '2024-06' as const, adjustFrom: '2024-06' as const } };
    const mayChange = servicesChange(markedJune, '2024-05-20T10:00:00+09:00', { ...SERVICES, edrSecurity: { terminals: 6 } });
    expect(withLateChanges(catalog, markedJune, mayChange).invoicing?.adjustFrom).toBe('2024-05');
    const markedApril = { ...contract, invoicing: { invoicedThrough: '2024-06' as const, adjustFrom: '2024-04' as const } };
    const later = servicesChange(markedApril, '2024-05-20T10:00:00+09:00', { ...SERVICES, edrSecurity: { terminals: 6 } });
    expect(withLateChanges(catalog, markedApril, later).invoicing?.adjustFrom).toBe('2024-04');
  });

  it('a contract never invoiced is never marked: its first run bills the months as they are', () => {
    const created = createContract(anApplication({ appliedAt: '2024-01-05T10:00:00+09:00', startDate: '2024-01-10', services: SERVICES }), catalog);
    const changed = servicesChange(created, '2024-05-20T10:00:00+09:00', { ...SERVICES, edrSecurity: { terminals: 6 } });
    expect(withLateChanges(catalog, created, changed)).toBe(changed);
    expect(changed.invoicing).toBeUndefined();
  });
});

describe('a changed month that had no invoice gets its own, late (I4)', () => {
  it('nothing to bill in May to July; a data migration performed in June and ordered in August: a late June invoice, then August', () => {
    const bare = createContract(anApplication({ plan: { code: 'none' }, services: {} }), catalog);
    const closed = run(bare, '2024-07');
    expect(closed.invoices).toEqual([]);
    const migrated = withOneOff(closed.contract, { date: '2024-06-15', dataMigration: { devices: [{ volumeGB: 3 }] } }, '2024-08-01T10:00:00+09:00');
    const marked = withLateChanges(catalog, closed.contract, migrated);
    expect(marked.invoicing).toEqual({ invoicedThrough: '2024-07', adjustFrom: '2024-06' });
    const withAugust = withOneOff(marked, { date: '2024-08-20', mailTraining: { mails: 15 } }, '2024-08-10T10:00:00+09:00');
    const next = plan(withAugust, '2024-08', { issued: [] });
    expect(next?.invoices.map((invoice) => [invoice.invoiceId, invoice.month, invoice.issueDate, invoice.subtotal, invoice.tax.total])).toEqual([
      [invoiceIdOf('K-0001', '2024-06'), '2024-06', '2024-09-02', 16000, 17600],
      // ※7: the first 10 mails free, 5 × 100 (placeholder) charged.
      [invoiceIdOf('K-0001', '2024-08'), '2024-08', '2024-09-02', 500, 550],
    ]);
    expect(linesOf(next!.invoices[0])).toEqual([['one-off', 'dataMigration.per4_7GB', 16000]]);
    expect(next!.invoices[0].lines[0]).toMatchObject({ date: '2024-06-15', taxable: true });
    expect(next?.invoicing).toEqual({ invoicedThrough: '2024-08', adjustFrom: null });
  });
});
