import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadSettings } from '../../../functions/wiring/settings';
import { DEFAULT_BUS_NAME, INBOUND_SOURCE } from '../../../functions/topology/routing';
import { startLocalStack, type LocalStack } from '../../../local/stack';
import { silentLogger } from '../../support/observability';

/**
 * What the console's browser tests share: the local stack with a fresh table, Debian's
 * Chromium (playwright-core) with a fresh profile, and the checks every screen passes at
 * 1280 and 390 px: axe-core without a serious or critical violation, no sideways scroll,
 * no English word and no ISO date in what it shows; a screenshot of each.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = join(__dirname, '../../../test-output/console');

/** Short random digits for ids, so that the ids themselves carry no English word. */
export const tag = (): string => String(Math.floor(Math.random() * 1e8)).padStart(8, '0');

export interface ConsoleRig {
  stack: LocalStack;
  browser: BrowserContext;
  page: Page;
  put(type: string, detail: unknown): Promise<void>;
  /** The published outcome of an order (its detail), waiting for it. */
  outcome(orderId: string): Promise<Record<string, any>>;
  stop(): Promise<void>;
}

export async function startRig(name: string): Promise<ConsoleRig> {
  mkdirSync(SHOTS, { recursive: true });
  const settings = loadSettings({ TABLE_NAME: `${name}-${randomUUID().slice(0, 8)}`, DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT, RENEWAL_SHARDS: '4' });
  const stack = await startLocalStack({ port: 0, settings, logger: silentLogger() });
  const client = new EventBridgeClient({ endpoint: stack.url, region: 'ap-northeast-1', credentials: { accessKeyId: 'console', secretAccessKey: 'console' } });
  const put = async (type: string, detail: unknown) => {
    const answer = await client.send(
      new PutEventsCommand({ Entries: [{ EventBusName: DEFAULT_BUS_NAME, Source: INBOUND_SOURCE, DetailType: type, Detail: JSON.stringify(detail) }] }),
    );
    if (answer.FailedEntryCount) throw new Error(`PutEvents failed for ${type}`);
  };
  const outcome = async (orderId: string): Promise<Record<string, any>> => {
    for (let waited = 0; waited < 20_000; waited += 100) {
      const response = await fetch(`${stack.url}/orders/${encodeURIComponent(orderId)}`);
      if (response.status === 200) {
        const body = (await response.json()) as Record<string, any>;
        if (body.published) return body.outcome.detail;
      }
      await sleep(100);
    }
    throw new Error(`no outcome for ${orderId}`);
  };
  const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
  // A fresh profile of its own (playwright passes it as --user-data-dir); no network beyond this machine's.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const stop = async () => {
    client.destroy();
    await browser.close().catch(() => undefined);
    await stack.stop();
    rmSync(profile, { recursive: true, force: true });
  };
  return { stack, browser, page, put, outcome, stop };
}

/** Each of `parts` in the text a screen shows. */
export function expectShows(text: string, parts: readonly string[]): void {
  for (const part of parts) expect(text).toContain(part);
}

/**
 * The contracts both console suites start from: `live` with a one-off visit on 5 June 2024
 * (an OS update), `leaving` cancelled at the end of July 2024; each order's outcome awaited.
 */
export async function seedLiveAndLeaving(
  rig: ConsoleRig,
  { live, leaving, oneOffOrderId, cancelOrderId }: { live: { orderId: string }; leaving: { orderId: string }; oneOffOrderId: string; cancelOrderId: string },
): Promise<{ contractId: string; cancelledId: string }> {
  await rig.put('ContractApplicationSubmitted', live);
  await rig.put('ContractApplicationSubmitted', leaving);
  const contractId = (await rig.outcome(live.orderId)).contract.contractId as string;
  const cancelledId = (await rig.outcome(leaving.orderId)).contract.contractId as string;
  await rig.put('OneOffServiceOrdered', {
    orderId: oneOffOrderId,
    requestedAt: '2024-06-03T09:00:00+09:00',
    contractId,
    date: '2024-06-05',
    visitSupport: { items: [{ item: 'osUpdate', quantity: 1 }] },
  });
  await rig.put('CancellationRequested', {
    orderId: cancelOrderId,
    requestedAt: '2024-07-15T09:00:00+09:00',
    contractId: cancelledId,
    effectiveDate: '2024-07-31',
  });
  await Promise.all([rig.outcome(oneOffOrderId), rig.outcome(cancelOrderId)]);
  return { contractId, cancelledId };
}

/** axe-core on the page as it stands: no serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as any).axe as { run: () => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> };
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect({ screen, violations }).toEqual({ screen, violations: [] });
}

/** How far the page is wider than the window: 0 or less when nothing scrolls sideways. */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const view = globalThis as any;
    return (view.document.documentElement.scrollWidth as number) - (view.innerWidth as number);
  });
}

/**
 * Latin words staff do read on the screens: product and unit names of the tariff itself
 * (EDRセキュリティ, elgana, プライムPlusプラン, OSリカバリ, Wi-Fi機器設定, 4.7GB), ID, and the
 * formats of the accounting files (CSV, JSONL).
 */
const ALLOWED_WORDS = new Set(['EDR', 'elgana', 'Plus', 'ID', 'OS', 'Wi', 'Fi', 'GB', 'TB', 'CSV', 'JSONL']);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * The text a screen shows, without its identifiers (marked translate="no", as the console
 * marks every id it shows; and any id an API message quotes), in the words staff read.
 */
export async function shownText(page: Page, ids: string[] = []): Promise<string> {
  const text = await page.evaluate(() => {
    const doc = (globalThis as any).document;
    const body = doc.body.cloneNode(true);
    for (const element of body.querySelectorAll('[translate="no"], script, style')) element.remove();
    return (body.textContent as string) + ' ' + (doc.title as string);
  });
  let rest = text.replace(UUID, ' ');
  for (const id of [...ids].sort((a, b) => b.length - a.length)) rest = rest.split(id).join(' ');
  return rest;
}

/** No English word (beyond the product names above) and no ISO date or month on the screen. */
export async function expectJapanese(page: Page, screen: string, ids: string[] = []): Promise<void> {
  const text = await shownText(page, ids);
  const english = [...new Set((text.match(/[A-Za-z]{2,}/g) ?? []).filter((word) => !ALLOWED_WORDS.has(word)))];
  const iso = [...new Set(text.match(/(?<!\d)\d{4}-\d{2}(?:-\d{2})?(?!\d)/g) ?? [])];
  expect({ screen, english, iso }).toEqual({ screen, english: [], iso: [] });
}

export const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

/**
 * The checks of every screen, at 1280 and at 390 px: axe, no sideways scroll, Japanese
 * only; and a full-page screenshot of each (test-output/console/<name>-<width>.png).
 */
export async function checkScreen(page: Page, name: string, ids: string[] = []): Promise<void> {
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    // Let a layout at the new width settle before it is measured.
    await page.evaluate(() => new Promise((resolve) => (globalThis as any).requestAnimationFrame(() => resolve(null))));
    await page.screenshot({ path: join(SHOTS, `${name}-${size.width}.png`), fullPage: true });
    expect({ screen: name, width: size.width, overflow: Math.max(0, await sidewaysOverflow(page)) }).toEqual({ screen: name, width: size.width, overflow: 0 });
    await expectJapanese(page, `${name} at ${size.width}`, ids);
    await expectAccessible(page, `${name} at ${size.width}`);
  }
  await page.setViewportSize(WIDTHS[0]);
}
