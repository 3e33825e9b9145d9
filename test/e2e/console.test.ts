import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadSettings } from '../../functions/wiring/settings';
import { DEFAULT_BUS_NAME, INBOUND_SOURCE } from '../../functions/topology/routing';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { application, newOrderId } from '../integration/support/fixtures';
import { silentLogger } from '../support/observability';

/**
 * The customer-service console (docs/interface.md §6) in a real browser: Debian's Chromium
 * driven by playwright-core against the local stack, with seeded contracts. Each search
 * kind, the contract, a quote, a month's bill, the tariff, the renewal month; the error
 * states; axe-core on each screen; screenshots in test-output/console/.
 */
jest.setTimeout(120_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(__dirname, '../../test-output/console');

let stack: LocalStack;
let browser: BrowserContext;
let profile: string;
let page: Page;
let contractId: string;
const customerId = `C-CONSOLE-${randomUUID().slice(0, 6)}`;
const lineId = `L-CONSOLE-${randomUUID().slice(0, 6)}`;
const applied = application({ customer: { customerId, name: '株式会社コンソール', kind: 'corporation', phone: '06-0000-0000' }, lineId });
const oneOffOrderId = newOrderId('console-one');

async function orderOutcome(orderId: string): Promise<Record<string, any>> {
  for (let waited = 0; waited < 15_000; waited += 100) {
    const response = await fetch(`${stack.url}/orders/${encodeURIComponent(orderId)}`);
    if (response.status === 200) {
      const body = (await response.json()) as Record<string, any>;
      if (body.published) return body.outcome.detail;
    }
    await sleep(100);
  }
  throw new Error(`no outcome for ${orderId}`);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const settings = loadSettings({ TABLE_NAME: `console-${randomUUID().slice(0, 8)}`, DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT, RENEWAL_SHARDS: '4' });
  stack = await startLocalStack({ port: 0, settings, logger: silentLogger() });
  const client = new EventBridgeClient({ endpoint: stack.url, region: 'ap-northeast-1', credentials: { accessKeyId: 'console', secretAccessKey: 'console' } });
  const put = (type: string, detail: unknown) =>
    client.send(
      new PutEventsCommand({ Entries: [{ EventBusName: DEFAULT_BUS_NAME, Source: INBOUND_SOURCE, DetailType: type, Detail: JSON.stringify(detail) }] }),
    );
  await put('ContractApplicationSubmitted', applied);
  contractId = (await orderOutcome(applied.orderId)).contract.contractId as string;
  await put('OneOffServiceOrdered', {
    orderId: oneOffOrderId,
    requestedAt: '2024-06-03T09:00:00+09:00',
    contractId,
    date: '2024-06-05',
    visitSupport: { items: [{ item: 'osUpdate', quantity: 1 }] },
  });
  await orderOutcome(oneOffOrderId);
  client.destroy();

  profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
  // A fresh profile of its own (playwright passes it as --user-data-dir); no network beyond this machine's.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
    locale: 'ja-JP',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** axe-core on the page as it stands: no serious or critical violation. */
async function expectAccessible(screen: string): Promise<void> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as any).axe as { run: () => Promise<{ violations: Array<{ id: string; impact: string }> }> };
    const result = await axe.run();
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact})`);
  });
  expect({ screen, violations }).toEqual({ screen, violations: [] });
}

async function search(kind: string, id: string): Promise<void> {
  await page.goto(`${stack.url}/console/#/search`);
  await page.selectOption('select', kind);
  await page.fill('input[name=id]', id);
  await page.keyboard.press('Enter');
}

const text = () => page.locator('main').innerText();

describe('customer-service console', () => {
  it('is served at /console/ and the banner names it', async () => {
    const response = await fetch(`${stack.url}/console/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<html lang="ja">');
    // Loopback: no sign-in, the API on the same origin.
    expect(await (await fetch(`${stack.url}/console/config.json`)).json()).toEqual({ apiUrl: '', signIn: null });
    // Names the console does not serve fall through to the API's 404, prototype names included.
    for (const path of ['/console/constructor', '/console/__proto__', '/console/missing.js']) {
      expect((await fetch(`${stack.url}${path}`)).status).toBe(404);
    }
  });

  it('finds the contract by its id and shows status, plan, term with 更新月, history', async () => {
    await search('contracts', contractId);
    await page.getByRole('heading', { name: `契約 ${contractId}` }).waitFor();
    const shown = await text();
    expect(shown).toContain('契約中');
    expect(shown).toContain('プライムPlusプラン (10クライアント向け)');
    expect(shown).toContain('利用開始日');
    expect(shown).toContain('2024年5月10日');
    expect(shown).toContain('12ヵ月目 2025年4月 更新月');
    expect(shown).toContain('新規契約');
    await page.screenshot({ path: join(SHOTS, 'contract-1280.png'), fullPage: true });
    await expectAccessible('contract');
  });

  it('finds it by line, by customer and by order', async () => {
    await search('lines', lineId);
    await page.getByRole('heading', { name: `契約 ${contractId}` }).waitFor();
    await search('customers', customerId);
    await page.getByRole('link', { name: contractId }).waitFor();
    await expectAccessible('customer');
    await search('orders', oneOffOrderId);
    await page.getByText('OneOffFeeCharged').waitFor();
    expect(await text()).toContain('送信済み');
    await page.getByRole('link', { name: contractId }).click();
    await page.getByRole('heading', { name: `契約 ${contractId}` }).waitFor();
    await expectAccessible('order');
  });

  it('quotes the termination fee for a date, and shows a month’s bill with 税抜, 消費税, 税込 and 仮', async () => {
    await page.goto(`${stack.url}/console/#/contracts/${encodeURIComponent(contractId)}`);
    await page.fill('input[name=quoteDate]', '2024-07-31');
    await page.getByRole('button', { name: '試算' }).click();
    const quote = await page.getByTestId('quote').innerText();
    expect(quote).toContain('2024年7月31日に解約の場合');
    expect(quote).toContain('解約金 27,000円 (不課税)');
    expect(quote).toContain('残り9ヵ月');
    expect(quote).toContain('基本料金①は仮の金額');

    await page.fill('input[name=month]', '2024-06');
    await page.getByRole('button', { name: '表示' }).click();
    const bill = await page.getByTestId('charges').innerText();
    expect(bill).toContain('2024年6月分');
    expect(bill).toContain('小計 (税抜)');
    expect(bill).toContain('消費税');
    expect(bill).toContain('合計 (税込)');
    expect(bill).toContain('単発 2024年6月5日');
    expect(bill).toContain('12,100円');
    await page.screenshot({ path: join(SHOTS, 'charges-1280.png'), fullPage: true });
    await expectAccessible('charges');
  });

  it('shows the tariff in force on a date and the renewal month’s contracts', async () => {
    await page.goto(`${stack.url}/console/#/tariff`);
    await page.fill('input[name=tariffDate]', '2024-04-01');
    await page.getByRole('button', { name: '表示' }).click();
    const tariff = await page.getByTestId('tariff').innerText();
    expect(tariff).toContain('2024年4月1日から適用');
    expect(tariff).toContain('19,000円');
    expect(tariff).toMatch(/基本料金① \(ゲートウェイ装置設置拠点\) 仮/);
    await page.screenshot({ path: join(SHOTS, 'tariff-1280.png'), fullPage: true });
    await expectAccessible('tariff');

    await page.goto(`${stack.url}/console/#/renewals`);
    await page.fill('input[name=renewalMonth]', '2025-04');
    await page.getByRole('button', { name: '表示' }).click();
    const renewals = await page.getByTestId('renewals').innerText();
    expect(renewals).toContain(contractId);
    expect(renewals).toContain('自動更新予定');
    await page.screenshot({ path: join(SHOTS, 'renewals-1280.png'), fullPage: true });
    await expectAccessible('renewals');
  });

  it('says in Japanese when the contract is unknown, the date is bad, or the API is unreachable', async () => {
    await search('contracts', 'K-does-not-exist');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('契約が見つかりません');
    await expectAccessible('not found');

    await page.goto(`${stack.url}/console/#/contracts/${encodeURIComponent(contractId)}`);
    await page.fill('input[name=quoteDate]', '2024-02-30');
    await page.getByRole('button', { name: '試算' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('入力内容に誤りがあります (項目: date)。');

    await page.route('**/contracts/**', (route) => route.abort('connectionrefused'));
    try {
      await search('contracts', contractId);
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').innerText()).toContain('APIに接続できません');
      await expectAccessible('unreachable');
    } finally {
      await page.unroute('**/contracts/**');
    }
  });

  it('is usable by keyboard and readable at 390×844 without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${stack.url}/console/`);
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
    expect(focused).toEqual(['a:検索', 'a:料金表', 'a:更新月の契約', expect.stringMatching(/^select:/), 'input:id']);
    await page.keyboard.type(contractId);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `契約 ${contractId}` }).waitFor();
    const overflow = await page.evaluate(() => {
      const view = globalThis as any;
      return (view.document.documentElement.scrollWidth as number) - (view.innerWidth as number);
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'contract-390.png'), fullPage: true });
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
    const tab = await browser.newPage();
    const origin = new URL(stack.url).origin;
    const redirectUri = `${stack.url}/console/`;
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
      const response = await route.fetch({ url: `${stack.url}${path}`, headers: { accept: 'application/json' } });
      return route.fulfill({ response, headers: { ...response.headers(), ...cors } });
    });
    await tab.route(`${AUTHORITY}/logout?*`, (route) => route.fulfill({ contentType: 'text/html', body: '<html lang="ja"><title>signed out</title></html>' }));
    return { tab, seen };
  }

  it('signs in with the code flow and PKCE (S256), comes back to the screen asked for, and calls the API with the token', async () => {
    const { tab, seen } = await signedInPage({ tokenFor: 'staff-token' });
    try {
      await tab.goto(`${stack.url}/console/#/contracts/${encodeURIComponent(contractId)}`);
      await tab.getByRole('heading', { name: `契約 ${contractId}` }).waitFor();
      expect(seen.authorize).toMatchObject({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: `${stack.url}/console/`,
        scope: 'openid email',
        code_challenge_method: 'S256',
      });
      expect(seen.verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
      expect(seen.bearer.length).toBeGreaterThan(0);
      expect(new Set(seen.bearer)).toEqual(new Set(['Bearer staff-token']));
      // The code is gone from the address bar; a reload keeps the session without another sign-in.
      expect(tab.url()).toBe(`${stack.url}/console/#/contracts/${encodeURIComponent(contractId)}`);
      const authorizeCalls = seen.authorize;
      await tab.reload();
      await tab.getByRole('heading', { name: `契約 ${contractId}` }).waitFor();
      expect(seen.authorize).toBe(authorizeCalls);
      await tab.getByRole('button', { name: 'サインアウト' }).click();
      await tab.waitForURL(`${AUTHORITY}/logout?**`);
      expect(Object.fromEntries(new URL(tab.url()).searchParams)).toEqual({ client_id: CLIENT_ID, logout_uri: `${stack.url}/console/` });
    } finally {
      await tab.close();
    }
  });

  it('tells a staff member outside the customer-service group, in Japanese, that the API refused (403)', async () => {
    const forbidden = { status: 403, body: { error: { code: 'FORBIDDEN', message: 'not in the customer-service group' } } };
    const { tab } = await signedInPage({ tokenFor: 'staff-token', answer: () => forbidden });
    try {
      await tab.goto(`${stack.url}/console/#/contracts/${encodeURIComponent(contractId)}`);
      await tab.getByRole('alert').waitFor();
      expect(await tab.getByRole('alert').innerText()).toContain('この照会を行う権限がありません');
    } finally {
      await tab.close();
    }
  });

  it('refuses a sign-in answer whose state it did not ask for, and says so in Japanese', async () => {
    const { tab } = await signedInPage({ tokenFor: 'staff-token' });
    try {
      await tab.goto(`${stack.url}/console/?code=stolen-code&state=forged`);
      await tab.getByRole('alert').waitFor();
      expect(await tab.getByRole('alert').innerText()).toContain('サインインの応答を確認できません');
    } finally {
      await tab.close();
    }
  });
});
