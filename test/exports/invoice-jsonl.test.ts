import { invoiceJsonLine } from '../../functions/exports/invoice-jsonl';
import { anInvoice } from './invoices';

describe('the invoice JSON Lines', () => {
  it('writes an invoice as one line of JSON ended by \\n, which parses back to the invoice', () => {
    const invoice = anInvoice({ customer: { customerId: 'C-001', name: '一行目\n二行目\r\n"引用",=HYPERLINK()🍣' } });
    const line = invoiceJsonLine(invoice);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\r\n]/);
    expect(JSON.parse(line)).toEqual(invoice);
  });

  it('escapes the characters some readers take for line ends', () => {
    const name = 'A\u2028B\u2029C\u0085D';
    const line = invoiceJsonLine(anInvoice({ customer: { customerId: 'C-001', name } }));
    expect(line).not.toMatch(/[\u0085\u2028\u2029]/);
    expect(line).toContain('A\\u2028B\\u2029C\\u0085D');
    expect(JSON.parse(line).customer.name).toBe(name);
  });

  it('writes the same bytes for the same invoice whatever the order of its keys', () => {
    const invoice = anInvoice();
    const reordered = Object.fromEntries(Object.entries(invoice).reverse()) as unknown as typeof invoice;
    expect(invoiceJsonLine(reordered)).toBe(invoiceJsonLine(invoice));
  });
});
