import { join } from 'node:path';
import { application, newOrderId } from '../integration/support/fixtures';
import {
  checkScreen,
  expectAccessible,
  expectJapanese,
  expectShows,
  seedLiveAndLeaving,
  SHOTS,
  sidewaysOverflow,
  startRig,
  tag,
  type ConsoleRig,
} from './console/support';

/**
 * The customer-service console (docs/interface.md §6, §7.5) in a real browser: Debian's
 * Chromium driven by playwright-core against the local stack, with seeded contracts (one
 * live with a one-off fee, one cancelled, one refused application). Each search kind, the
 * name search, the contract, a cancelled line, the customer, orders accepted and refused,
 * a quote, a month's bill, the tariff, the renewal month; the error states; every screen
 * at 1280 and 390 px through axe-core, with no sideways scroll and no English word or ISO
 * date on it; screenshots in test-output/console/. Invoices and the billing run:
 * test/e2e/console/invoices.test.ts.
 */
jest.setTimeout(120_000);

let rig: ConsoleRig;
let contractId: string;
let cancelledId: string;
const customerId = `C-${tag()}`;
const lineId = `L-${tag()}`;
const cancelledLine = `L-${tag()}`;
const applied = application({ customer: { customerId, name: '株式会社コンソール商事', kind: 'corporation', phone: '06-1234-5678' }, lineId });
const cancelledApp = application({
  customer: { customerId: `C-${tag()}`, name: '有限会社解約テスト', kind: 'corporation', phone: '06-0000-1111' },
  lineId: cancelledLine,
  billing: { method: 'invoice' },
});
const oneOffOrderId = newOrderId('one');
const cancelOrderId = newOrderId('cancel');
const refused = application({
  customer: { customerId: `C-${tag()}`, name: '個人 太郎', kind: 'individual', phone: '06-0000-2222' },
  plan: { code: 'prime', tier: 10 },
  services: { gatewaySecurity: { tier: 10, failureSupport24h: true } },
});

beforeAll(async () => {
  rig = await startRig('console');
  await rig.put('ContractApplicationSubmitted', refused);
  ({ contractId, cancelledId } = await seedLiveAndLeaving(rig, { live: applied, leaving: cancelledApp, oneOffOrderId, cancelOrderId }));
  await rig.outcome(refused.orderId);
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

const ids = () => [
  contractId,
  cancelledId,
  customerId,
  lineId,
  cancelledLine,
  applied.orderId,
  cancelledApp.orderId,
  oneOffOrderId,
  cancelOrderId,
  refused.orderId,
];
const console_ = (hash = '') => `${rig.stack.url}/console/${hash}`;
const text = () => rig.page.locator('main').innerText();

async function search(kind: string, id: string): Promise<void> {
  await rig.page.goto(console_('#/search'));
  await rig.page.selectOption('select', kind);
  await rig.page.fill('input[name=id]', id);
  await rig.page.keyboard.press('Enter');
}

/** Every amount on the screen on one line, and right-aligned where it is a table's figure. */
async function expectFiguresUnbroken(screen: string): Promise<void> {
  const broken = await rig.page.evaluate(() => {
    const doc = (globalThis as any).document;
    const out: string[] = [];
    for (const element of doc.querySelectorAll('.yen, .nowrap')) {
      // One line: every fragment (a font run is one) overlaps the others vertically.
      const rects = [...element.getClientRects()] as Array<{ top: number; bottom: number }>;
      if (Math.max(...rects.map((r) => r.top)) >= Math.min(...rects.map((r) => r.bottom))) out.push(`broken: ${element.textContent}`);
    }
    for (const cell of doc.querySelectorAll('td.num')) {
      const style = (globalThis as any).getComputedStyle(cell);
      if (style.display !== 'flex' && style.textAlign !== 'right') out.push(`not right-aligned: ${cell.textContent}`);
    }
    return out;
  });
  expect({ screen, broken }).toEqual({ screen, broken: [] });
}

describe('customer-service console', () => {
  it('is served at /console/ and the banner names it', async () => {
    const response = await fetch(`${rig.stack.url}/console/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<html lang="ja">');
    // Loopback: no sign-in, the API on the same origin.
    expect(await (await fetch(`${rig.stack.url}/console/config.json`)).json()).toEqual({ apiUrl: '', signIn: null });
    // Names the console does not serve fall through to the API's 404, prototype names included.
    for (const path of ['/console/constructor', '/console/__proto__', '/console/missing.js']) {
      expect((await fetch(`${rig.stack.url}${path}`)).status).toBe(404);
    }
    await rig.page.goto(console_('#/search'));
    await rig.page.locator('input[name=id]').waitFor();
    await checkScreen(rig.page, 'search');
  });

  it('finds the contract by its id: status, customer, phone, billing method, applied, term with 更新月, history in Japanese', async () => {
    await search('contracts', contractId);
    await rig.page.getByRole('heading', { name: `契約 ${contractId}` }).waitFor();
    const shown = await text();
    expectShows(shown, [
      '契約中',
      '株式会社コンソール商事',
      '06-1234-5678',
      '口座振替',
      '2024年5月1日 10:00',
      'プライムPlusプラン (10クライアント向け)',
      '2024年5月10日',
      '12ヵ月目 2025年4月 更新月',
    ]);
    expect(shown).toMatch(/新規契約: .*利用開始日 2024年5月10日/);
    expect(shown).toContain('単発サービス: 2024年6月5日');
    await rig.page.getByLabel('解約日').waitFor();
    await expectFiguresUnbroken('contract');
    await checkScreen(rig.page, 'contract', ids());
  });

  it('finds it by line, by customer (with the name and each contract’s line and status) and by name', async () => {
    await search('lines', lineId);
    await rig.page.getByRole('heading', { name: `契約 ${contractId}` }).waitFor();

    await search('customers', customerId);
    await rig.page.getByRole('heading', { name: '株式会社コンソール商事 の契約' }).waitFor();
    const customer = await rig.page.getByTestId('customer-contracts').innerText();
    expectShows(customer, [lineId, '契約中', 'プライムPlusプラン']);
    await checkScreen(rig.page, 'customer', ids());

    // The legal form, full-width and spaces are ignored (interface §7.3).
    await search('names', 'ｺﾝｿｰﾙ 商');
    await rig.page.getByTestId('customers').waitFor();
    const found = await rig.page.getByTestId('customers').innerText();
    expect(found).toContain('株式会社コンソール商事');
    expect(found).toContain(lineId);
    await checkScreen(rig.page, 'customer-search', ids());
    await rig.page.getByRole('link', { name: '株式会社コンソール商事' }).click();
    await rig.page.getByTestId('customer-contracts').waitFor();

    await search('names', 'コ');
    expect(await rig.page.getByRole('alert').innerText()).toContain('2文字以上');
  });

  it('shows a cancelled line’s last contract: 解約済み, the cancellation month marked, no quote form', async () => {
    await search('lines', cancelledLine);
    await rig.page.getByTestId('line-notice').waitFor();
    expect(await rig.page.getByTestId('line-notice').innerText()).toContain('最後の契約 (解約済み) を表示しています');
    await rig.page.getByRole('heading', { name: `契約 ${cancelledId}` }).waitFor();
    expect(await rig.page.getByTestId('status').innerText()).toBe('解約済み (解約日 2024年7月31日)');
    const cancellation = await rig.page.getByTestId('cancellation').innerText();
    expect(cancellation).toContain('解約月 2024年7月');
    expect(cancellation).toMatch(/解約金 27,000円 \(不課税/);
    expect(await rig.page.locator('.months li.cancelled').innerText()).toContain('2024年7月');
    expect(await rig.page.locator('input[name=quoteDate]').count()).toBe(0);
    expect(await rig.page.getByTestId('no-quote').innerText()).toContain('試算はありません');
    expect(await text()).toContain('請求書払い');
    await checkScreen(rig.page, 'contract-cancelled', ids());
  });

  it('says what an order was, what became of it and why, in Japanese', async () => {
    await search('orders', oneOffOrderId);
    await rig.page.getByTestId('order').waitFor();
    let shown = await rig.page.getByTestId('order').innerText();
    expectShows(shown, ['単発サービス', '受け付けました', '送信済み', 'OSアップデート', '2024年6月5日']);
    await checkScreen(rig.page, 'order-accepted', ids());
    await rig.page.getByRole('link', { name: contractId }).click();
    await rig.page.getByRole('heading', { name: `契約 ${contractId}` }).waitFor();

    await search('orders', refused.orderId);
    await rig.page.getByTestId('reasons').waitFor();
    shown = await rig.page.getByTestId('order').innerText();
    expectShows(shown, [
      '新規契約の申込み',
      'お断りしました',
      'プライムプランの新規受付終了',
      'プライムプランの新規申込みは2023年12月28日',
      '根拠: 別紙7 ※13',
      '法人限定',
    ]);
    expect(shown).not.toContain('PRIME_PLAN_CLOSED');
    expect(shown).not.toContain('ContractApplication');
    await checkScreen(rig.page, 'order-refused', ids());
  });

  it('quotes the termination fee for a date typed as 2024/07/31, and shows a month’s bill: 日割 with its days, what is included, 10%対象, 消費税, 不課税, 合計', async () => {
    await rig.page.goto(console_(`#/contracts/${encodeURIComponent(contractId)}`));
    await rig.page.fill('input[name=quoteDate]', '2024/07/31');
    await rig.page.getByRole('button', { name: '試算' }).click();
    const quote = await rig.page.getByTestId('quote').innerText();
    expectShows(quote, ['2024年7月31日に解約の場合', '解約金 27,000円 (不課税)', '残り9ヵ月', '2024年4月1日改定の料金表', '基本料金①は仮の金額']);

    await rig.page.fill('input[name=month]', '２０２４年５月');
    await rig.page.getByRole('button', { name: '表示' }).click();
    let bill = await rig.page.getByTestId('charges').innerText();
    expectShows(bill, [
      '2024年5月分 (2024年4月1日改定の料金表)',
      '日割: 31日中22日分',
      '13,483円',
      'EDR 5端末込み',
      '10%対象 (税抜)',
      '消費税 (10%)',
      '不課税',
      '合計 (税込)',
    ]);

    await rig.page.fill('input[name=month]', '2024年6月10日');
    await rig.page.getByRole('button', { name: '表示' }).click();
    await rig.page.getByText('2024年6月分').waitFor();
    bill = await rig.page.getByTestId('charges').innerText();
    expectShows(bill, ['単発', '実施日 2024年6月5日', '12,100円']);
    await expectFiguresUnbroken('charges');
    await checkScreen(rig.page, 'charges', ids());
    await expectFiguresUnbroken('charges at 1280');
  });

  it('shows the tariff with 税込 beside 税抜, units in Japanese, 2024年4月1日改定 and ※4', async () => {
    await rig.page.goto(console_('#/tariff'));
    await rig.page.fill('input[name=tariffDate]', '2024年4月1日');
    await rig.page.getByRole('button', { name: '表示' }).click();
    const tariff = await rig.page.getByTestId('tariff').innerText();
    expect(tariff).toContain('2024年4月1日改定の料金表');
    expect(tariff).toContain('2024年4月1日から適用');
    expect(tariff).toMatch(/プライムPlusプラン \(10クライアント向け\)\s+1台・月あたり\s+19,000円\s+20,900円/);
    expectShows(tariff, ['1拠点・月あたり', '1端末・月あたり', '1回あたり']);
    expect(tariff).toMatch(/基本料金① \(ゲートウェイ装置設置拠点\)\s*仮/);
    expect(await rig.page.getByTestId('tariff-notes').innerText()).toMatch(/※4 24時間機器故障対応なし割引: .*3,000円 引 \(税抜、税込 3,300円\)/);
    await expectFiguresUnbroken('tariff');
    await checkScreen(rig.page, 'tariff', ids());
  });

  it('shows the renewal month’s contracts', async () => {
    await rig.page.goto(console_('#/renewals'));
    await rig.page.fill('input[name=renewalMonth]', '2025/04');
    await rig.page.getByRole('button', { name: '表示' }).click();
    const renewals = await rig.page.getByTestId('renewals').innerText();
    expectShows(renewals, ['2025年4月が更新月の契約', contractId, '自動更新予定']);
    await checkScreen(rig.page, 'renewals', ids());
  });

  it('says in Japanese what is wrong, with the cause the API gave and the field by its Japanese name', async () => {
    await search('contracts', 'K-00000000');
    await rig.page.getByRole('alert').waitFor();
    expect(await rig.page.getByRole('alert').innerText()).toContain('契約 K-00000000 は見つかりません');
    await checkScreen(rig.page, 'error-not-found', ['K-00000000']);

    // A month before the start: the API's cause, the field by the screen's name for it.
    await rig.page.goto(console_(`#/contracts/${encodeURIComponent(contractId)}`));
    await rig.page.fill('input[name=month]', '2024/04');
    await rig.page.getByRole('button', { name: '表示' }).click();
    await rig.page.getByRole('alert').waitFor();
    const beforeStart = await rig.page.getByRole('alert').innerText();
    expectShows(beforeStart, ['請求月', '2024年4月', '利用開始月 (2024年5月) より前']);
    expect(beforeStart.replace(contractId, '')).not.toMatch(/month|\d{4}-\d{2}/);
    await checkScreen(rig.page, 'error-month', ids());

    // What the console cannot read as a date says so before asking the API.
    await rig.page.fill('input[name=quoteDate]', '2024-02-30');
    await rig.page.getByRole('button', { name: '試算' }).click();
    expect(await rig.page.locator('#quoteDate-problem').innerText()).toContain('2024年2月30日という日付はありません');
    await rig.page.fill('input[name=quoteDate]', 'あした');
    await rig.page.getByRole('button', { name: '試算' }).click();
    expect(await rig.page.locator('#quoteDate-problem').innerText()).toContain('「あした」は日付として読めません');
    await expectJapanese(rig.page, 'date error', ids());

    // A tariff date before the first revision: the API's cause.
    await rig.page.goto(console_('#/tariff'));
    await rig.page.fill('input[name=tariffDate]', '2010/01/01');
    await rig.page.getByRole('button', { name: '表示' }).click();
    await rig.page.getByRole('alert').waitFor();
    expect(await rig.page.getByRole('alert').innerText()).toContain('2010年1月1日');
    await expectJapanese(rig.page, 'tariff error', ids());

    await rig.page.route('**/contracts/**', (route) => route.abort('connectionrefused'));
    try {
      await search('contracts', contractId);
      await rig.page.getByRole('alert').waitFor();
      expect(await rig.page.getByRole('alert').innerText()).toContain('APIに接続できません');
      await expectAccessible(rig.page, 'unreachable');
    } finally {
      await rig.page.unroute('**/contracts/**');
    }
  });

  it('is usable by keyboard and readable at 390×844 without sideways scrolling', async () => {
    const page = rig.page;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(console_());
    await page.reload();
    // Keys pressed while the app still renders land nowhere: count only once the form is there.
    await page.locator('input[name="id"]').waitFor();
    // Tab from the top of the page until the id field has the focus: the menu, the kind, then the field, in that order.
    const focused: string[] = [];
    const focus = () =>
      page.evaluate(() => {
        const element = (globalThis as any).document.activeElement as { tagName: string; name?: string; textContent: string | null } | null;
        return element ? `${element.tagName.toLowerCase()}:${element.name || (element.textContent ?? '').trim().slice(0, 12)}` : 'none';
      });
    while (focused.at(-1) !== 'input:id' && focused.length < 10) {
      await page.keyboard.press('Tab');
      focused.push(await focus());
    }
    expect(focused).toEqual(['a:検索', 'a:月次請求', 'a:料金表', 'a:更新月の契約', expect.stringMatching(/^select:/), 'input:id']);
    await page.keyboard.type(contractId);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `契約 ${contractId}` }).waitFor();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'contract-keyboard-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

/**
 * The console as deployed on AWS: config.json names a sign-in domain and an API, and
 * the browser signs in with the authorization code flow and PKCE. Cognito and API
 * Gateway are played by routes in the browser (no network here): the token endpoint
 * checks the verifier against the challenge, the API checks the bearer token and
 * forwards to the local stack.
 */
describe('customer-service console signed in through Cognito (as on AWS)', () => {
  const AUTHORITY = 'https://omakase-test.auth.ap-northeast-1.amazoncognito.com';
  const API = 'https://console-api.execute-api.ap-northeast-1.amazonaws.com';
  const CLIENT_ID = 'console-client-id';

  async function signedInPage(options: { tokenFor: string; answer?: (path: string) => { status: number; body: unknown } | null }) {
    const tab = await rig.browser.newPage();
    const origin = new URL(rig.stack.url).origin;
    const redirectUri = `${rig.stack.url}/console/`;
    const seen = { challenge: '', verifier: '', authorize: {} as Record<string, string>, bearer: [] as string[] };
    await tab.route('**/console/config.json', (route) =>
      route.fulfill({ json: { apiUrl: API, signIn: { authority: AUTHORITY, clientId: CLIENT_ID, redirectUri, scopes: 'openid email' } } }),
    );
    await tab.route(`${AUTHORITY}/oauth2/authorize?*`, (route) => {
      const query = Object.fromEntries(new URL(route.request().url()).searchParams);
      seen.authorize = query;
      seen.challenge = query.code_challenge ?? '';
      return route.fulfill({ status: 302, headers: { location: `${redirectUri}?code=the-code&state=${encodeURIComponent(query.state ?? '')}` } });
    });
    await tab.route(`${AUTHORITY}/oauth2/token`, async (route) => {
      const form = new URLSearchParams(route.request().postData() ?? '');
      seen.verifier = form.get('code_verifier') ?? '';
      const { createHash } = await import('node:crypto');
      const proven = createHash('sha256').update(seen.verifier).digest('base64url') === seen.challenge;
      const valid = proven && form.get('code') === 'the-code' && form.get('client_id') === CLIENT_ID && form.get('grant_type') === 'authorization_code';
      return route.fulfill({
        status: valid ? 200 : 400,
        headers: { 'access-control-allow-origin': origin },
        json: valid ? { access_token: options.tokenFor, id_token: 'id', token_type: 'Bearer', expires_in: 3600 } : { error: 'invalid_grant' },
      });
    });
    await tab.route(`${API}/**`, async (route) => {
      const request = route.request();
      const cors = { 'access-control-allow-origin': origin, 'access-control-allow-headers': 'authorization, accept' };
      if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
      const bearer = request.headers().authorization ?? '';
      seen.bearer.push(bearer);
      const path = request.url().slice(API.length);
      if (bearer !== 'Bearer staff-token') return route.fulfill({ status: 401, headers: cors, json: { message: 'Unauthorized' } });
      const answer = options.answer?.(path);
      if (answer) return route.fulfill({ status: answer.status, headers: cors, json: answer.body });
      const response = await route.fetch({ url: `${rig.stack.url}${path}`, headers: { accept: 'application/json' } });
      return route.fulfill({ response, headers: { ...response.headers(), ...cors } });
    });
    await tab.route(`${AUTHORITY}/logout?*`, (route) => route.fulfill({ contentType: 'text/html', body: '<html lang="ja"><title>signed out</title></html>' }));
    return { tab, seen };
  }

  it('signs in with the code flow and PKCE (S256), comes back to the screen asked for, and calls the API with the token', async () => {
    const { tab, seen } = await signedInPage({ tokenFor: 'staff-token' });
    try {
      await tab.goto(console_(`#/contracts/${encodeURIComponent(contractId)}`));
      await tab.getByRole('heading', { name: `契約 ${contractId}` }).waitFor();
      expect(seen.authorize).toMatchObject({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: `${rig.stack.url}/console/`,
        scope: 'openid email',
        code_challenge_method: 'S256',
      });
      expect(seen.verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
      expect(seen.bearer.length).toBeGreaterThan(0);
      expect(new Set(seen.bearer)).toEqual(new Set(['Bearer staff-token']));
      // The code is gone from the address bar; a reload keeps the session without another sign-in.
      expect(tab.url()).toBe(console_(`#/contracts/${encodeURIComponent(contractId)}`));
      const authorizeCalls = seen.authorize;
      await tab.reload();
      await tab.getByRole('heading', { name: `契約 ${contractId}` }).waitFor();
      expect(seen.authorize).toBe(authorizeCalls);
      await tab.getByRole('button', { name: 'サインアウト' }).click();
      await tab.waitForURL(`${AUTHORITY}/logout?**`);
      expect(Object.fromEntries(new URL(tab.url()).searchParams)).toEqual({ client_id: CLIENT_ID, logout_uri: `${rig.stack.url}/console/` });
    } finally {
      await tab.close();
    }
  });

  it('tells a staff member outside the customer-service group, in Japanese, that the API refused (403)', async () => {
    const forbidden = { status: 403, body: { error: { code: 'FORBIDDEN', message: 'not in the customer-service group' } } };
    const { tab } = await signedInPage({ tokenFor: 'staff-token', answer: () => forbidden });
    try {
      await tab.goto(console_(`#/contracts/${encodeURIComponent(contractId)}`));
      await tab.getByRole('alert').waitFor();
      expect(await tab.getByRole('alert').innerText()).toContain('この照会を行う権限がありません');
    } finally {
      await tab.close();
    }
  });

  it('refuses a sign-in answer whose state it did not ask for, and says so in Japanese', async () => {
    const { tab } = await signedInPage({ tokenFor: 'staff-token' });
    try {
      await tab.goto(`${rig.stack.url}/console/?code=stolen-code&state=forged`);
      await tab.getByRole('alert').waitFor();
      expect(await tab.getByRole('alert').innerText()).toContain('サインインの応答を確認できません');
    } finally {
      await tab.close();
    }
  });
});
