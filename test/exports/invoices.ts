import type { Invoice, InvoiceLine } from '../../functions/domain/invoices/invoice';

/** Invoices for the export tests: the docs/interface.md §7.1 example by default, every field overridable. */
export function aLine(overrides: Partial<InvoiceLine> = {}): InvoiceLine {
  return {
    kind: 'monthly',
    item: 'prime-plus-10',
    label: 'セキュリティおまかせプラン Prime Plus 10台',
    quantity: 1,
    unitPrice: 19000,
    amount: 13483,
    clause: '別紙7 1',
    taxable: true,
    taxLabel: '課税',
    ...overrides,
  };
}

export const anAdjustment = (overrides: Partial<InvoiceLine> = {}): InvoiceLine =>
  aLine({
    kind: 'adjustment',
    label: '差額調整 (2024年4月分)',
    unitPrice: -3000,
    amount: -3000,
    adjusts: { invoiceId: 'INV-202404-K0001', month: '2024-04', kind: 'monthly' },
    ...overrides,
  });

export function anInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    invoiceId: 'INV-202405-K0001',
    contractId: 'K-0001',
    month: '2024-05',
    issueDate: '2024-06-02',
    issuer: { name: '西日本電信電話株式会社', registrationNumber: 'T1234567890123', placeholder: false },
    customer: { customerId: 'C-001', name: '株式会社サンプル' },
    billingMethod: 'account-transfer',
    revision: '2024-04-01',
    lines: [aLine(), anAdjustment()],
    subtotal: 10483,
    tax: { ratePercent: 10, taxableSubtotal: 10483, consumptionTax: 1048, total: 11531 },
    placeholder: false,
    ...overrides,
  };
}

/** `count` invoices, made one at a time as the consumer pulls them; `pulled` says how many so far. */
export function generated(count: number, make: (i: number) => Invoice = (i) => anInvoice({ invoiceId: `INV-${i}`, contractId: `K-${i}` })) {
  const progress = { pulled: 0 };
  async function* invoices(): AsyncGenerator<Invoice> {
    for (let i = 0; i < count; i++) {
      progress.pulled = i + 1;
      yield make(i);
    }
  }
  return { invoices: invoices(), progress };
}

/** An RFC 4180 reader (CRLF records, quoted fields with doubled quotes), to check what a spreadsheet would read back. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] !== '"') break;
          field += '"';
          i += 2;
        } else field += text[i++];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote in an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    field = '';
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else if (i < text.length) throw new Error(`expected , or CRLF at ${i}, found ${JSON.stringify(text[i])}`);
  }
  if (record.length > 0) throw new Error('last record not ended by CRLF');
  return records;
}
