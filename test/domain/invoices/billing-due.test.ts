import type { Invoicing } from '../../../functions/domain/invoices/invoicing';
import { billingDueMonth } from '../../../functions/domain/invoices/billing-due';
import { aCancellation, aContract } from '../fixtures';

/** Decision I2: the first month a billing run still has to close for the contract (GSI5), or null once it never has to again. */
const invoiced = (invoicedThrough: Invoicing['invoicedThrough'], adjustFrom: Invoicing['adjustFrom'] = null): { invoicing: Invoicing } => ({
  invoicing: { invoicedThrough, adjustFrom },
});

describe('billingDueMonth (Decision I2)', () => {
  it('a contract never invoiced is due from its start month', () => {
    expect(billingDueMonth(aContract({ startDate: '2024-05-10' }))).toBe('2024-05');
    expect(billingDueMonth(aContract({ startDate: '2024-02-29' }))).toBe('2024-02');
  });

  it('an invoiced contract is due the month after the last one invoiced', () => {
    expect(billingDueMonth(aContract({ startDate: '2024-05-10', ...invoiced('2024-06') }))).toBe('2024-07');
    expect(billingDueMonth(aContract({ startDate: '2024-05-10', ...invoiced('2024-12') }))).toBe('2025-01');
  });

  it('a cancelled contract invoiced through its effective month is never due again', () => {
    expect(billingDueMonth(aContract({ cancellation: aCancellation('2024-06-15'), ...invoiced('2024-06') }))).toBeNull();
    expect(billingDueMonth(aContract({ cancellation: aCancellation('2024-06-30'), ...invoiced('2024-08') }))).toBeNull();
  });

  it('a cancelled contract not yet invoiced through its effective month is still due', () => {
    expect(billingDueMonth(aContract({ cancellation: aCancellation('2024-06-15'), ...invoiced('2024-05') }))).toBe('2024-06');
    // Effective on the 1st of July: July has a live day to bill.
    expect(billingDueMonth(aContract({ cancellation: aCancellation('2024-07-01'), ...invoiced('2024-06') }))).toBe('2024-07');
    expect(billingDueMonth(aContract({ cancellation: aCancellation('2024-06-15') }))).toBe('2024-05');
  });

  it('a contract cancelled before it started is due at its start month until that month is closed', () => {
    const contract = aContract({ startDate: '2024-06-10', appliedAt: '2024-05-20T10:00:00+09:00', cancellation: aCancellation('2024-06-05') });
    expect(billingDueMonth(contract)).toBe('2024-06');
    expect(billingDueMonth({ ...contract, ...invoiced('2024-06') })).toBeNull();
  });

  it('a late change to adjust (I4) makes it due the month after the last invoiced, even once cancelled and finished', () => {
    expect(billingDueMonth(aContract({ cancellation: aCancellation('2024-05-20'), ...invoiced('2024-06', '2024-05') }))).toBe('2024-07');
    expect(billingDueMonth(aContract({ ...invoiced('2024-06', '2024-05') }))).toBe('2024-07');
  });
});
