import type { LocalDate } from '../../../functions/domain/calendar';
import { monthlyCharges } from '../../../functions/domain/charges/monthly-charges';
import type { BillingMethod, Contract, Services } from '../../../functions/domain/contract';
import { createContract, withCancellation } from '../../../functions/domain/contract-lifecycle';
import { billingDueMonth } from '../../../functions/domain/invoices/billing-due';
import type { Invoice } from '../../../functions/domain/invoices/invoice';
import { invoiceIdOf } from '../../../functions/domain/invoices/invoice-id';
import { MAX_MONTHS_PER_PLAN } from '../../../functions/domain/invoices/invoice-plan';
import { PLACEHOLDER_ISSUER } from '../../../functions/domain/invoices/issuer';
import { planInvoices } from '../../../functions/domain/invoices/invoice-plan';
import { aContract, aCustomer, anApplication } from '../fixtures';
import { catalog, ISSUER, linesOf, notTaxable, plan, run, withOneOff } from './billing';

/**
 * planInvoices (docs/terms.md I1, I2; interface §7.1): the bill of T2 for every month from
 * the first not yet invoiced through the month closed, frozen, oldest first; never a
 * 0-yen invoice. Late changes (I4) are in late-change.test.ts.
 */

/** The shipped application (Prime Plus 10, EDR 8: 19,000 + 3 × 1,100 a month), starting on `startDate`. */
const primePlusFrom = (startDate: LocalDate, appliedAt = `${startDate}T09:00:00+09:00`) => createContract(anApplication({ appliedAt, startDate }), catalog);

const cancelledOn = (contract: Contract, effectiveDate: LocalDate, requestedAt: string) =>
  withCancellation(contract, { orderId: 'ORD-CANCEL', requestedAt, effectiveDate }, catalog, notTaxable);

/** An invoice as it should be: the fields given, and its lines ([kind, item, amount]) in order. */
function expectInvoice(invoice: Invoice, fields: Record<string, unknown>, lines: Array<[string, string, number]>): void {
  expect(invoice).toMatchObject(fields);
  expect(linesOf(invoice)).toEqual(lines);
}

describe('part months (Decision C1): 日割 by calendar days, start and effective date both live', () => {
  it('a contract starting on the 1st is charged the whole month, nothing prorated', () => {
    const { invoices, contract } = run(primePlusFrom('2024-01-01'), '2024-01');
    expect(invoices).toHaveLength(1);
    const [january] = invoices;
    expectInvoice(
      january,
      {
        invoiceId: invoiceIdOf('K-0001', '2024-01'),
        contractId: 'K-0001',
        month: '2024-01',
        issueDate: '2024-02-02',
        issuer: ISSUER,
        customer: { customerId: 'C-001', name: '株式会社サンプル' },
        billingMethod: 'account-transfer',
        revision: '2023-12-01',
        subtotal: 22300,
        tax: { ratePercent: 10, taxableSubtotal: 22300, consumptionTax: 2230, total: 24530 },
        placeholder: false,
      },
      [
        ['monthly', 'primePlus.10', 19000],
        ['monthly', 'edrSecurity', 3300],
      ],
    );
    expect(january.lines.every((line) => line.prorated === undefined && line.taxable && line.taxLabel === '課税')).toBe(true);
    expect(contract.invoicing).toEqual({ invoicedThrough: '2024-01', adjustFrom: null });
  });

  it.each([
    // 19,000 × 1 / 31 = 612.9 and 3,300 × 1 / 31 = 106.4: one live day of January.
    ['2024-01-31', '2024-01', '2024-02', 31, 612, 106, 71],
    // 2024 is a leap year: 19,000 × 1 / 29 = 655.1 and 3,300 × 1 / 29 = 113.7.
    ['2024-02-29', '2024-02', '2024-03', 29, 655, 113, 76],
  ] as const)('a contract starting on the last day (%s): %s prorated (1 live day), %s whole', (start, month, next, days, primePlus, edr, tax) => {
    const { invoices } = run(primePlusFrom(start), next);
    expect(invoices.map((invoice) => invoice.month)).toEqual([month, next]);
    const [first, second] = invoices;
    expect(linesOf(first)).toEqual([
      ['monthly', 'primePlus.10', primePlus],
      ['monthly', 'edrSecurity', edr],
    ]);
    expect(first.lines.map((line) => line.prorated)).toEqual([
      { liveDays: 1, daysInMonth: days, fullAmount: 19000 },
      { liveDays: 1, daysInMonth: days, fullAmount: 3300 },
    ]);
    expect(first.tax).toEqual({ ratePercent: 10, taxableSubtotal: primePlus + edr, consumptionTax: tax, total: primePlus + edr + tax });
    expect(linesOf(second)).toEqual([
      ['monthly', 'primePlus.10', 19000],
      ['monthly', 'edrSecurity', 3300],
    ]);
  });

  it('a cancellation effective on the 1st: that month has its one day (1/30) and the termination fee (不課税); the month after has no invoice', () => {
    const before = run(primePlusFrom('2024-01-01'), '2024-05').contract;
    // Term 1 is 2024-01 … 2024-12; June is month 6, so 6 months of basic fee ① (3,000, placeholder) remain (L2).
    const cancelled = cancelledOn(before, '2024-06-01', '2024-05-20T10:00:00+09:00');
    const { invoices, contract } = run(cancelled, '2024-07');
    expect(invoices.map((invoice) => invoice.month)).toEqual(['2024-06']);
    const [june] = invoices;
    expect(linesOf(june)).toEqual([
      ['monthly', 'primePlus.10', 633], // 19,000 × 1 / 30 = 633.3
      ['monthly', 'edrSecurity', 110], // 3,300 × 1 / 30
      ['termination-fee', 'terminationFee', 18000],
    ]);
    expect(june.lines[0].prorated).toEqual({ liveDays: 1, daysInMonth: 30, fullAmount: 19000 });
    expect(june.lines[2]).toMatchObject({
      taxable: false,
      taxLabel: '不課税',
      date: '2024-06-01',
      orderId: 'ORD-CANCEL',
      quantity: 6,
      unitPrice: 3000,
      placeholder: true,
    });
    // T2/T3: tax on the 743 yen of monthly fees only; the fee is in the subtotal and the total.
    expect(june).toMatchObject({ subtotal: 18743, tax: { ratePercent: 10, taxableSubtotal: 743, consumptionTax: 74, total: 18817 }, placeholder: true });
    expect(contract.invoicing).toEqual({ invoicedThrough: '2024-07', adjustFrom: null });
    expect(billingDueMonth(contract)).toBeNull();
  });

  it('a cancellation effective on the last day: that month whole, nothing after', () => {
    const before = run(primePlusFrom('2024-01-01'), '2024-05').contract;
    const { invoices } = run(cancelledOn(before, '2024-06-30', '2024-06-03T10:00:00+09:00'), '2024-07');
    expect(invoices.map((invoice) => invoice.month)).toEqual(['2024-06']);
    expect(linesOf(invoices[0])).toEqual([
      ['monthly', 'primePlus.10', 19000],
      ['monthly', 'edrSecurity', 3300],
      ['termination-fee', 'terminationFee', 18000],
    ]);
    expect(invoices[0].lines.every((line) => line.prorated === undefined)).toBe(true);
    expect(invoices[0].tax).toEqual({ ratePercent: 10, taxableSubtotal: 22300, consumptionTax: 2230, total: 42530 });
  });

  it('a contract cancelled before it started has no invoice, and is not due again once its months are closed', () => {
    const contract = cancelledOn(primePlusFrom('2024-06-10', '2024-05-20T10:00:00+09:00'), '2024-06-05', '2024-05-25T10:00:00+09:00');
    expect(contract.cancellation?.terminationFee.amount).toBe(0);
    expect(plan(contract, '2024-05')).toBeNull(); // not started yet: nothing to close
    const closed = run(contract, '2024-07');
    expect(closed.invoices).toEqual([]);
    expect(closed.contract.invoicing).toEqual({ invoicedThrough: '2024-07', adjustFrom: null });
    expect(billingDueMonth(closed.contract)).toBeNull();
  });
});

describe('which revision prices a month (Decision P2): the one in force on its 1st', () => {
  it('a Prime bill of 2024-03 is priced and named by the 2023-12-01 revision, 2024-04 by the 2024-04-01 revision', () => {
    const prime = aContract({ plan: { code: 'prime', tier: 10 }, startDate: '2023-10-01', services: { endpointSecurity: { terminals: 10 } } });
    const { invoices } = run(run(prime, '2024-02').contract, '2024-04');
    expect(invoices.map((invoice) => [invoice.month, invoice.revision, invoice.subtotal, invoice.tax.consumptionTax])).toEqual([
      ['2024-03', '2023-12-01', 23000, 2300],
      ['2024-04', '2024-04-01', 26000, 2600],
    ]);
    expect(linesOf(invoices[0])).toEqual([
      ['monthly', 'prime.10', 15000],
      ['monthly', 'basicFee.withGateway', 3000],
      ['monthly', 'endpointSecurity', 5000],
    ]);
    expect(linesOf(invoices[1])).toEqual([
      ['monthly', 'prime.10', 17000],
      ['monthly', 'basicFee.withGateway', 3000],
      ['monthly', 'endpointSecurity', 6000],
    ]);
    // Basic fee ① is an operator placeholder (P1): the invoice is 仮 although the issuer is set.
    expect(invoices.map((invoice) => invoice.placeholder)).toEqual([true, true]);
  });

  const individual = (method: BillingMethod, startDate: LocalDate = '2023-09-01', appliedAt?: string) =>
    aContract({
      plan: { code: 'none' },
      startDate,
      ...(appliedAt ? { appliedAt } : {}),
      customer: aCustomer({ kind: 'individual', name: '山田太郎' }),
      billing: { method },
      services: { endpointSecurity: { terminals: 10 } },
    });

  it('2023-11 is billed on the baseline without 別紙12 fees; 2023-12 on the 2023-12-01 revision with them, as invoice-fee lines, taxed', () => {
    const { invoices } = run(run(individual('invoice'), '2023-10').contract, '2023-12');
    const [november, december] = invoices;
    expectInvoice(november, { month: '2023-11', revision: 'baseline', subtotal: 6000, tax: { taxableSubtotal: 6000, consumptionTax: 600, total: 6600 } }, [
      ['monthly', 'basicFee.withoutGateway', 1000],
      ['monthly', 'endpointSecurity', 5000],
    ]);
    expectInvoice(december, { month: '2023-12', revision: '2023-12-01', subtotal: 6200, tax: { taxableSubtotal: 6200, consumptionTax: 620, total: 6820 } }, [
      ['monthly', 'basicFee.withoutGateway', 1000],
      ['monthly', 'endpointSecurity', 5000],
      ['invoice-fee', 'invoice.issuance', 150],
      ['invoice-fee', 'invoice.collection', 50],
    ]);
    expect(december.lines.filter((line) => line.kind === 'invoice-fee').every((line) => line.taxable && line.clause === '別紙12 3(2)')).toBe(true);
  });

  it.each([
    ['invoice', ['invoice.issuance', 'invoice.collection']],
    ['account-transfer', ['invoice.issuance']],
    ['credit-card', []],
  ] as const)('別紙12 by billing method: %s pays %j', (method, items) => {
    const [december] = run(run(individual(method), '2023-11').contract, '2023-12').invoices;
    expect(december.lines.filter((line) => line.kind === 'invoice-fee').map((line) => line.item)).toEqual(items);
  });

  it('別紙12 fees are not charged in the start month and the next one', () => {
    const { invoices } = run(individual('invoice', '2023-12-10', '2023-11-20T10:00:00+09:00'), '2024-02');
    expect(invoices.map((invoice) => [invoice.month, invoice.lines.filter((line) => line.kind === 'invoice-fee').length])).toEqual([
      ['2023-12', 0],
      ['2024-01', 0],
      ['2024-02', 2],
    ]);
  });

  it('a corporation pays no 別紙12 fees', () => {
    const corporate = aContract({
      plan: { code: 'none' },
      startDate: '2023-09-01',
      billing: { method: 'invoice' },
      services: { endpointSecurity: { terminals: 10 } },
    });
    const [december] = run(run(corporate, '2023-11').contract, '2023-12').invoices;
    expect(december.lines.map((line) => line.kind)).toEqual(['monthly', 'monthly']);
  });
});

describe('JST boundaries: only the contract dates matter, read in Asia/Tokyo whatever the host zone', () => {
  const gatewayAndEndpoint: Services = { gatewaySecurity: { tier: 10, failureSupport24h: true }, endpointSecurity: { terminals: 10 } };
  const appliedAt = (instant: string) =>
    createContract(anApplication({ appliedAt: instant, startDate: undefined, plan: { code: 'none' }, services: gatewayAndEndpoint }), catalog);

  it('applied 2024-03-31 23:59 JST: starts that day, so March is billed (1/31) on the 2023-12-01 revision before April on the 2024-04-01 one', () => {
    const contract = appliedAt('2024-03-31T14:59:00Z');
    expect(contract.startDate).toBe('2024-03-31');
    const { invoices } = run(contract, '2024-04');
    expect(invoices.map((invoice) => [invoice.month, invoice.revision, invoice.subtotal])).toEqual([
      ['2024-03', '2023-12-01', 96 + 258 + 161], // 3,000 / 31, 8,000 / 31, 5,000 / 31
      ['2024-04', '2024-04-01', 3000 + 9000 + 6000],
    ]);
  });

  it('applied 2024-04-01 00:00 JST (2024-03-31T15:00Z): starts on the 1st of April, so its first invoice is April, whole, on the 2024-04-01 revision', () => {
    const contract = appliedAt('2024-03-31T15:00:00Z');
    expect(contract.startDate).toBe('2024-04-01');
    const { invoices } = run(contract, '2024-04');
    expect(invoices.map((invoice) => [invoice.month, invoice.revision, invoice.subtotal])).toEqual([['2024-04', '2024-04-01', 18000]]);
  });

  it.each([
    ['2024-03-31', [['2024-03', '2023-12-01', 16000]]],
    // One live day of April, priced by the revision in force on 2024-04-01: 3,000 / 30 + 9,000 / 30 + 6,000 / 30.
    [
      '2024-04-01',
      [
        ['2024-03', '2023-12-01', 16000],
        ['2024-04', '2024-04-01', 600],
      ],
    ],
  ] as const)('cancelled effective %s: the months billed after February', (effectiveDate, expected) => {
    const contract = run(appliedAt('2024-01-01T00:00:00+09:00'), '2024-02').contract;
    const { invoices } = run(cancelledOn(contract, effectiveDate, '2024-03-10T10:00:00+09:00'), '2024-05');
    expect(invoices.map((invoice) => [invoice.month, invoice.revision, invoice.subtotal])).toEqual(expected);
  });

  it.each([
    // R2's last moment for a Prime application: 2023-12-28 23:59 JST is still the 28th (4 live days of December) ...
    ['2023-12-28T14:59:00Z', '2023-12-28', 4, 1935, 387],
    // ... and 2023-12-29 00:00 JST is the 29th (3 days), though still 2023-12-28 in UTC.
    ['2023-12-28T15:00:00Z', '2023-12-29', 3, 1451, 290],
  ])('a Prime contract applied at %s starts on %s: December has %i live days on the 2023-12-01 revision', (instant, startDate, days, prime, basicFee) => {
    const contract = createContract(anApplication({ appliedAt: instant, startDate: undefined, plan: { code: 'prime', tier: 10 }, services: {} }), catalog);
    expect(contract.startDate).toBe(startDate);
    const [december] = run(contract, '2023-12').invoices;
    expect(december.revision).toBe('2023-12-01');
    expect(linesOf(december)).toEqual([
      ['monthly', 'prime.10', prime], // 15,000 × days / 31
      ['monthly', 'basicFee.withGateway', basicFee], // 3,000 × days / 31
    ]);
    expect(december.lines[0].prorated).toEqual({ liveDays: days, daysInMonth: 31, fullAmount: 15000 });
  });
});

describe('catching up (Decision I2): every closed month not yet invoiced, oldest first', () => {
  it('a contract never invoiced, closed three months on: three invoices, oldest first, invoiced through the month closed', () => {
    const { invoices, contract } = run(primePlusFrom('2024-05-10', '2024-05-01T10:00:00+09:00'), '2024-07');
    expect(invoices.map((invoice) => [invoice.month, invoice.invoiceId, invoice.issueDate, invoice.subtotal])).toEqual([
      // May: 22 live days of 31 (13,483 + 2,341), as in interface §7.1.
      ['2024-05', invoiceIdOf('K-0001', '2024-05'), '2024-08-02', 13483 + 2341],
      ['2024-06', invoiceIdOf('K-0001', '2024-06'), '2024-08-02', 22300],
      ['2024-07', invoiceIdOf('K-0001', '2024-07'), '2024-08-02', 22300],
    ]);
    expect(invoices[0].tax).toEqual({ ratePercent: 10, taxableSubtotal: 15824, consumptionTax: 1582, total: 17406 });
    expect(contract.invoicing).toEqual({ invoicedThrough: '2024-07', adjustFrom: null });
  });

  it('at most maxMonths at once, invoiced through the last of them; the next call goes on; a rerun closes nothing', () => {
    const contract = primePlusFrom('2024-05-10', '2024-05-01T10:00:00+09:00');
    const first = run(contract, '2024-07', { maxMonths: 2 });
    expect(first.invoices.map((invoice) => invoice.month)).toEqual(['2024-05', '2024-06']);
    expect(first.contract.invoicing).toEqual({ invoicedThrough: '2024-06', adjustFrom: null });
    const rest = run(first.contract, '2024-07', { maxMonths: 2 });
    expect(rest.invoices.map((invoice) => invoice.month)).toEqual(['2024-07']);
    expect(rest.contract.invoicing).toEqual({ invoicedThrough: '2024-07', adjustFrom: null });
    expect(plan(rest.contract, '2024-07')).toBeNull();
  });

  it(`closes at most ${MAX_MONTHS_PER_PLAN} months per plan by default`, () => {
    const old = aContract({ plan: { code: 'none' }, startDate: '2022-01-01', services: { endpointSecurity: { terminals: 1 } } });
    const first = run(old, '2024-12');
    expect(first.invoices).toHaveLength(MAX_MONTHS_PER_PLAN);
    expect([first.invoices[0].month, first.invoices.at(-1)?.month]).toEqual(['2022-01', '2023-12']);
    expect(first.contract.invoicing?.invoicedThrough).toBe('2023-12');
    expect(run(first.contract, '2024-12').invoices.map((invoice) => invoice.month)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`),
    );
  });

  it('a contract starting after the month closed has nothing to close yet', () => {
    expect(plan(primePlusFrom('2024-08-01', '2024-07-20T10:00:00+09:00'), '2024-07')).toBeNull();
  });
});

describe('nothing to bill (Decision I1): never a 0-yen invoice', () => {
  it('a month whose only line is 0 yen (※7 first 10 mails free) has no invoice, and the months are closed all the same', () => {
    const bare = createContract(anApplication({ plan: { code: 'none' }, services: {} }), catalog);
    const contract = withOneOff(bare, { date: '2024-06-05', mailTraining: { mails: 10 } }, '2024-06-01T10:00:00+09:00');
    const june = monthlyCharges(catalog, contract, '2024-06').lines;
    expect(june.map((line) => [line.item, line.amount, line.includedQuantity])).toEqual([['mailTraining.perMail', 0, 10]]);
    const closed = run(contract, '2024-07');
    expect(closed.invoices).toEqual([]);
    expect(closed.contract.invoicing).toEqual({ invoicedThrough: '2024-07', adjustFrom: null });
  });

  it('marks an invoice 仮 while the issuer is the placeholder (I5)', () => {
    const [may] = planInvoices({
      catalog,
      contract: primePlusFrom('2024-05-10', '2024-05-01T10:00:00+09:00'),
      closing: '2024-05',
      issueDate: '2024-06-02',
      issuer: PLACEHOLDER_ISSUER,
      issued: [],
    })!.invoices;
    expect(may).toMatchObject({ issuer: PLACEHOLDER_ISSUER, placeholder: true });
  });
});
