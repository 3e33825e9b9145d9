import fc from 'fast-check';
import type { YearMonth } from '../../../functions/domain/calendar';
import { INVOICE_ID_PATTERN, invoiceIdOf } from '../../../functions/domain/invoices/invoice-id';

/** Decision I1: the invoice id is printable (≤ 32 of 0-9 A-Z -), unique, and the same on every rerun. */
const PRINTABLE = /^[0-9A-Z-]+$/;

const months = fc
  .record({ year: fc.integer({ min: 2014, max: 9998 }), month: fc.integer({ min: 1, max: 12 }) })
  .map(({ year, month }) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}` as YearMonth);

/** Contract ids of every kind the order system could send, and longer: ASCII, multibyte, astral, 1,000 characters. */
const contractIds = fc.oneof(
  fc.string({ minLength: 1, maxLength: 64 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1000 }),
  fc.string({ unit: 'grapheme', minLength: 1000, maxLength: 1000 }),
  fc.constantFrom('K-0001', 'Ｋ－０００１', '契約-001', '🦊-0001', 'x'.repeat(1000), '契'.repeat(1000)),
);

describe('invoiceIdOf (Decision I1)', () => {
  it('is INV-, the billing month and 20 characters of the contract id digest: 31 printable characters', () => {
    const id = invoiceIdOf('K-0001', '2024-05');
    expect(id).toMatch(/^INV-202405-[0-9A-Z]{20}$/);
    expect(id).toHaveLength(31);
    expect(INVOICE_ID_PATTERN.test(id)).toBe(true);
  });

  it('is the same however often it is computed (a rerun issues the same invoice)', () => {
    expect(invoiceIdOf('K-0001', '2024-05')).toBe(invoiceIdOf('K-0001', '2024-05'));
  });

  it('differs by month and by contract', () => {
    const ids = [invoiceIdOf('K-0001', '2024-05'), invoiceIdOf('K-0001', '2024-06'), invoiceIdOf('K-0002', '2024-05'), invoiceIdOf('K-0002', '2024-06')];
    expect(new Set(ids).size).toBe(4);
    // The same digits in another order, and a prefix, are other contracts.
    expect(invoiceIdOf('K-0010', '2024-05')).not.toBe(invoiceIdOf('K-0001', '2024-05'));
    expect(invoiceIdOf('K-000', '2024-05')).not.toBe(invoiceIdOf('K-0001', '2024-05'));
  });

  it('is at most 32 printable characters, deterministic and carries its month, for any contract id (multibyte, 1,000 characters)', () => {
    fc.assert(
      fc.property(contractIds, months, (contractId, month) => {
        const id = invoiceIdOf(contractId, month);
        expect(id.length).toBeLessThanOrEqual(32);
        expect(id).toMatch(PRINTABLE);
        expect(INVOICE_ID_PATTERN.test(id)).toBe(true);
        expect(id.startsWith(`INV-${month.replace('-', '')}-`)).toBe(true);
        expect(invoiceIdOf(contractId, month)).toBe(id);
      }),
    );
  });

  it('reads the whole contract id: ids that differ only in their last character, after 1,000 the same, differ', () => {
    expect(invoiceIdOf(`${'契'.repeat(1000)}1`, '2024-05')).not.toBe(invoiceIdOf(`${'契'.repeat(1000)}2`, '2024-05'));
    fc.assert(
      fc.property(
        contractIds,
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
        (prefix, x, y) => {
          fc.pre(x !== y);
          expect(invoiceIdOf(prefix + x, '2024-05')).not.toBe(invoiceIdOf(prefix + y, '2024-05'));
        },
      ),
    );
  });

  it('differs for different contracts in the same month, and for different months of one contract', () => {
    fc.assert(
      fc.property(contractIds, contractIds, months, months, (a, b, m1, m2) => {
        fc.pre(a !== b && m1 !== m2);
        expect(invoiceIdOf(a, m1)).not.toBe(invoiceIdOf(b, m1));
        expect(invoiceIdOf(a, m1)).not.toBe(invoiceIdOf(a, m2));
      }),
    );
  });
});
