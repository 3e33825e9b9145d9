import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { application, newOrderId } from '../../integration/support/fixtures';
import { readPdf } from './pdf-text';
import { checkScreen, expectShows, seedLiveAndLeaving, SHOTS, startRig, tag, type ConsoleRig } from './support';

/**
 * Invoices and the billing run in the console (docs/interface.md §7.5), in Debian's
 * Chromium against the local stack: two contracts billed by three runs of the monthly
 * billing schedule (May, June, July 2024), with a late services change to June (an
 * adjustment on July's invoice, rules.md I4) and a cancellation in July (a 不課税
 * termination fee). The contract's invoice list; the invoice as a qualified invoice, on
 * screen at 1280 and 390 px and printed to an A4 PDF; the month's billing run with its
 * export files, and one with failures.
 */
jest.setTimeout(180_000);

let rig: ConsoleRig;
let contractId: string;
let cancelledId: string;
const customerId = `C-${tag()}`;
const leavingCustomer = `C-${tag()}`;
const applied = application({ customer: { customerId, name: '株式会社請求テスト', kind: 'corporation', phone: '06-1234-5678' }, lineId: `L-${tag()}` });
const leaving = application({
  customer: { customerId: leavingCustomer, name: '有限会社解約請求', kind: 'corporation', phone: '06-0000-1111' },
  lineId: `L-${tag()}`,
  billing: { method: 'invoice' },
});
const oneOff = newOrderId('one');
const cancel = newOrderId('cancel');
const lateChange = newOrderId('late');
const runs: Record<string, any> = {};
let invoices: any[] = [];
let leavingInvoices: any[] = [];

async function runBilling(scheduledTime: string): Promise<any> {
  const response = await fetch(`${rig.stack.url}/_local/schedules/monthly-billing`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scheduledTime }),
  });
  const body = (await response.json()) as any;
  if (response.status !== 200) throw new Error(`billing run ${scheduledTime}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function invoicesOf(id: string): Promise<any[]> {
  const response = await fetch(`${rig.stack.url}/contracts/${encodeURIComponent(id)}/invoices`);
  return ((await response.json()) as any).invoices;
}

beforeAll(async () => {
  rig = await startRig('console-invoices');
  ({ contractId, cancelledId } = await seedLiveAndLeaving(rig, { live: applied, leaving, oneOffOrderId: oneOff, cancelOrderId: cancel }));
  runs['2024-05'] = await runBilling('2024-06-02T03:00:00+09:00');
  runs['2024-06'] = await runBilling('2024-07-02T03:00:00+09:00');
  // June is closed: four more EDR terminals in June reach its invoice as an adjustment on July's (I4).
  await rig.put('ServicesChangeRequested', {
    orderId: lateChange,
    requestedAt: '2024-06-20T09:00:00+09:00',
    contractId,
    services: { edrSecurity: { terminals: 12 }, gatewaySecurity: { tier: 10, failureSupport24h: true }, cloudProxy: { users: 2 }, elgana: { ids: 5 } },
  });
  await rig.outcome(lateChange);
  runs['2024-07'] = await runBilling('2024-08-02T03:00:00+09:00');
  invoices = await invoicesOf(contractId);
  leavingInvoices = await invoicesOf(cancelledId);
}, 180_000);

afterAll(async () => {
  await rig?.stop();
});

const byMonth = (list: any[], month: string) => {
  const found = list.find((invoice) => invoice.month === month);
  if (!found) throw new Error(`no invoice for ${month} in ${JSON.stringify(list.map((i) => i.month))}`);
  return found;
};
const ids = () => [
  contractId,
  cancelledId,
  customerId,
  leavingCustomer,
  applied.lineId,
  leaving.lineId,
  applied.orderId,
  leaving.orderId,
  oneOff,
  cancel,
  lateChange,
  ...invoices.map((i) => i.invoiceId),
  ...leavingInvoices.map((i) => i.invoiceId),
];
const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;
const dateJa = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};
const url = (hash: string) => `${rig.stack.url}/console/${hash}`;

describe('invoices in the console', () => {
  it('lists the contract’s invoices, newest month first, with 調整あり on the one that corrects another', async () => {
    expect(invoices.map((i) => i.month)).toEqual(['2024-07', '2024-06', '2024-05']);
    await rig.page.goto(url(`#/contracts/${encodeURIComponent(contractId)}`));
    await rig.page.getByTestId('invoices').waitFor();
    const list = await rig.page.getByTestId('invoices').innerText();
    expect(list.indexOf('2024年7月分')).toBeLessThan(list.indexOf('2024年6月分'));
    expectShows(list, ['2024年5月分', yen(byMonth(invoices, '2024-05').tax.total), '調整あり']);
    await checkScreen(rig.page, 'contract-invoices', ids());
  });

  it('shows an invoice as a qualified invoice: issuer and 登録番号, 請求書番号, 発行日, 取引年月, 御中, 日割 and what is included, 10%対象, 消費税, 不課税, 合計, 仮', async () => {
    const may = byMonth(invoices, '2024-05');
    await rig.page.goto(url(`#/contracts/${encodeURIComponent(contractId)}`));
    await rig.page.getByRole('link', { name: may.invoiceId }).click();
    await rig.page.getByTestId('invoice').waitFor();
    const shown = await rig.page.getByTestId('invoice').innerText();
    expectShows(shown, ['請求書 (適格請求書)', '株式会社請求テスト 御中', may.issuer.name, `登録番号 ${may.issuer.registrationNumber}`]);
    expect(shown).toMatch(new RegExp(`請求書番号\\s+${may.invoiceId}`));
    expect(shown).toMatch(new RegExp(`発行日\\s+${dateJa(may.issueDate)}`));
    expect(shown).toMatch(/取引年月\s+2024年5月分/);
    expect(shown).toMatch(/お支払方法\s+口座振替/);
    expectShows(shown, ['2024年4月1日改定', '日割: 31日中22日分', '13,483円', 'EDR 5端末込み']);
    const totals = await rig.page.getByTestId('invoice-totals').innerText();
    expect(totals).toMatch(new RegExp(`10%対象 \\(税抜\\)\\s+${yen(may.tax.taxableSubtotal)}`));
    expect(totals).toMatch(new RegExp(`消費税 \\(10%\\)\\s+${yen(may.tax.consumptionTax)}`));
    expect(totals).toMatch(new RegExp(`不課税\\s+${yen(may.subtotal - may.tax.taxableSubtotal)}`));
    expect(totals).toMatch(new RegExp(`合計 \\(税込\\)\\s+${yen(may.tax.total)}`));
    if (may.issuer.placeholder) expect(await rig.page.getByTestId('issuer').innerText()).toContain('仮');
    await checkScreen(rig.page, 'invoice', ids());
  });

  it('prints the invoice on one A4 page without the menu, forms or buttons, its text in the PDF', async () => {
    const may = byMonth(invoices, '2024-05');
    await rig.page.goto(url(`#/invoices/${encodeURIComponent(may.invoiceId)}`));
    await rig.page.getByTestId('invoice').waitFor();
    expect(await rig.page.getByRole('button', { name: '印刷する' }).isVisible()).toBe(true);
    await rig.page.emulateMedia({ media: 'print' });
    try {
      // On paper: no menu, no link back, no button (getByRole sees only what is shown).
      expect(await rig.page.locator('header').isVisible()).toBe(false);
      expect(await rig.page.locator('.invoice-actions').isVisible()).toBe(false);
      expect(await rig.page.getByRole('button').count()).toBe(0);
      expect(await rig.page.getByRole('navigation').count()).toBe(0);
      // What the paper looks like: A4's width at 96 dpi less the page margins.
      await rig.page.setViewportSize({ width: 703, height: 1017 });
      await rig.page.screenshot({ path: join(SHOTS, 'invoice-print.png'), fullPage: true });
    } finally {
      await rig.page.setViewportSize({ width: 1280, height: 800 });
      await rig.page.emulateMedia({ media: null });
    }
    const pdf = await rig.page.pdf({ format: 'A4' });
    writeFileSync(join(SHOTS, 'invoice.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    expect(pdf.length).toBeLessThan(2_000_000);
    const read = readPdf(pdf);
    expect(read.pages).toBe(1);
    expect(read.fonts.some((font) => /IPA/i.test(font))).toBe(true);
    expect(read.title).toContain(`請求書 ${may.invoiceId}`);
    const text = read.text.replace(/\s+/g, '');
    for (const expected of [
      '請求書(適格請求書)',
      '株式会社請求テスト御中',
      '登録番号',
      may.issuer.registrationNumber,
      '請求書番号',
      may.invoiceId,
      '発行日',
      dateJa(may.issueDate),
      '取引年月',
      '2024年5月分',
      '日割',
      '10%対象(税抜)',
      '消費税(10%)',
      '不課税',
      `合計(税込)${yen(may.tax.total)}`,
    ]) {
      expect({ expected, found: text.includes(expected.replace(/\s+/g, '')) }).toEqual({ expected, found: true });
    }
    for (const absent of ['月次請求', '更新月の契約', '印刷する', '契約に戻る'])
      expect({ absent, found: text.includes(absent) }).toEqual({ absent, found: false });
  });

  it('marks an adjustment 調整 and names the invoice it corrects', async () => {
    const july = byMonth(invoices, '2024-07');
    const june = byMonth(invoices, '2024-06');
    const adjustment = july.lines.find((line: any) => line.kind === 'adjustment');
    expect(adjustment?.adjusts).toMatchObject({ invoiceId: june.invoiceId, month: '2024-06' });
    await rig.page.goto(url(`#/invoices/${encodeURIComponent(july.invoiceId)}`));
    await rig.page.getByTestId('invoice').waitFor();
    const row = await rig.page.locator('tr.adjustment').first().innerText();
    expectShows(row, ['調整', '2024年6月分', june.invoiceId, yen(adjustment.amount)]);
    expect(await rig.page.getByTestId('invoice').innerText()).toContain('訂正する請求書の番号');
    await checkScreen(rig.page, 'invoice-adjustment', ids());
    const pdf = await rig.page.pdf({ format: 'A4' });
    writeFileSync(join(SHOTS, 'invoice-adjustment.pdf'), pdf);
    expect(readPdf(pdf).pages).toBe(1);
    await rig.page.locator('tr.adjustment a').first().click();
    await rig.page.getByText('2024年6月分').first().waitFor();
    expect(rig.page.url()).toContain(encodeURIComponent(june.invoiceId));
  });

  it('shows a termination fee 不課税, outside the 10% subtotal', async () => {
    const july = byMonth(leavingInvoices, '2024-07');
    const fee = july.lines.find((line: any) => line.kind === 'termination-fee');
    expect(fee).toBeDefined();
    await rig.page.goto(url(`#/invoices/${encodeURIComponent(july.invoiceId)}`));
    await rig.page.getByTestId('invoice').waitFor();
    const totals = await rig.page.getByTestId('invoice-totals').innerText();
    expect(totals).toMatch(new RegExp(`不課税\\s+${yen(july.subtotal - july.tax.taxableSubtotal)}`));
    expect(july.subtotal - july.tax.taxableSubtotal).toBe(fee.amount);
    expect(await rig.page.getByTestId('invoice').innerText()).toMatch(/有限会社解約請求 御中/);
    expect(await rig.page.getByTestId('invoice').innerText()).toMatch(/お支払方法\s+請求書払い/);
    await checkScreen(rig.page, 'invoice-termination', ids());
  });
});

describe('the billing run in the console', () => {
  it('shows a month’s run: status, counts, totals and the export files to download', async () => {
    const may = runs['2024-05'];
    await rig.page.goto(url('#/billing-runs'));
    await rig.page.fill('input[name=runMonth]', '2024/05');
    await rig.page.getByRole('button', { name: '表示' }).click();
    await rig.page.getByTestId('billing-run').waitFor();
    const shown = await rig.page.locator('main').innerText();
    expect(shown).toContain('2024年5月分の月次請求');
    expect(shown).toMatch(/状態\s+完了/);
    expect(shown).toMatch(new RegExp(`発行した請求書\\s+${may.invoices}件`));
    expect(shown).toMatch(new RegExp(`合計 \\(税抜\\)\\s+${yen(may.subtotal)}`));
    expect(shown).toMatch(new RegExp(`消費税\\s+${yen(may.consumptionTax)}`));
    expect(shown).toMatch(new RegExp(`合計 \\(税込\\)\\s+${yen(may.total)}`));
    await rig.page.getByTestId('export').waitFor();
    const links = await rig.page.getByTestId('export').getByRole('link').all();
    const texts = await Promise.all(links.map((link) => link.innerText()));
    expect(texts).toContain('CSV 第1部をダウンロード');
    expect(texts).toContain('JSONL 第1部をダウンロード');
    expect(texts.some((t) => t.startsWith('ファイル一覧'))).toBe(true);
    // Each link serves its file.
    const first = await links[0].getAttribute('href');
    const file = await fetch(new URL(first ?? '', rig.page.url()).toString());
    expect(file.status).toBe(200);
    await checkScreen(rig.page, 'billing-run', ids());
  });

  it('shows a month not closed yet as 未実行, and the contracts a run could not bill with their reasons', async () => {
    await rig.page.goto(url('#/billing-runs/2024-09'));
    await rig.page.getByTestId('billing-run').waitFor();
    expect(await rig.page.getByTestId('billing-run').innerText()).toContain('未実行');
    await checkScreen(rig.page, 'billing-run-not-run', ids());

    // A run with failures, as the API would answer it (no contract here fails to bill).
    const failed = {
      month: '2024-08',
      status: 'completed-with-failures',
      invoices: 1,
      adjustments: 0,
      subtotal: 19000,
      consumptionTax: 1900,
      total: 20900,
      failed: [
        { contractId, reason: { code: 'INVALID_REQUEST', message: '2024-08-01に適用される料金表がありません。', clause: '別紙7' } },
        { contractId: cancelledId, reason: '契約データを読み取れませんでした。次回の実行で再試行します。' },
        { contractId: `${contractId}-2`, reason: 'tariff revision 2024-04-01 has no price for edrSecurity' },
      ],
      startedAt: '2024-09-01T18:00:00Z',
      completedAt: '2024-09-01T18:05:00Z',
    };
    await rig.page.route('**/billing-runs/2024-08', (route) => route.fulfill({ json: failed }));
    await rig.page.route('**/billing-runs/2024-08/export', (route) =>
      route.fulfill({ json: { files: [], manifest: '/manifest.json', expiresAt: '2024-09-02T00:00:00Z' } }),
    );
    try {
      await rig.page.goto(url('#/billing-runs/2024-08'));
      await rig.page.getByTestId('failures').waitFor();
      const shown = await rig.page.locator('main').innerText();
      expect(shown).toContain('完了 (請求できなかった契約あり)');
      expect(shown).toContain('2024年9月2日 03:00');
      const failures = await rig.page.getByTestId('failures').innerText();
      expectShows(failures, [contractId, '2024年8月1日に適用される料金表がありません', '根拠: 別紙7', '契約データを読み取れませんでした']);
      // A defect's own words stay for the engineers, behind a Japanese sentence.
      expect(failures).toContain('システムの不具合のため請求できませんでした');
      expect(await rig.page.locator('[data-testid=failures] details code').first().textContent()).toBe(
        'tariff revision 2024-04-01 has no price for edrSecurity',
      );
      await checkScreen(rig.page, 'billing-run-failures', [...ids(), `${contractId}-2`]);
    } finally {
      await rig.page.unrouteAll();
    }
  });
});
