// The monitor page in Firefox too: Debian's Firefox ESR (/usr/bin/firefox-esr), driven over WebDriver
// BiDi by puppeteer-core (Playwright drives only its own patched Firefox, which cannot be downloaded
// here). The page shows the stored sessions, a new one appears live, a row opens by keyboard with its
// transcript, and every request stays on the gateway's origin.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Browser, launch } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { untilSubscribers } from '../helpers/live.js';

const FIREFOX = process.env.PARLEY_FIREFOX ?? '/usr/bin/firefox-esr';
const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');

let db: TestDatabase;
let gateway: Gateway;
let server: ListeningServer;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  if (!existsSync(FIREFOX)) throw new Error(`no Firefox at ${FIREFOX}: apt-get install -y firefox-esr (.ci/run does)`);
  db = await openTestDatabase();
  gateway = createGateway({ database: db });
  server = await listen(gateway, { port: 0, host: '127.0.0.1', keepAliveMs: 1000 });
  origin = new URL(server.url).origin;
  browser = await launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, protocol: 'webDriverBiDi' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await db?.close();
});

async function chat(sessionId: string, text: string): Promise<void> {
  const at = new Date();
  const response = await fetch(`${origin}/ingest/chatlayer/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      event: 'messages',
      botId: 'support-bot',
      version: 'LIVE',
      sessionId,
      channel: 'web',
      messages: [
        { actor: 'user', message: { text }, timestamp: at.toISOString() },
        { actor: 'bot', message: { type: 'text', text: `You said: ${text}` }, timestamp: new Date(at.getTime() + 500).toISOString() },
      ],
    }),
  });
  expect(response.status).toBe(200);
}

describe('the monitor page in Firefox', () => {
  it('shows sessions, a new one live, and a transcript opened by keyboard, asking nothing of another host', async () => {
    await chat('firefox-1', 'Hello from Firefox');
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on('request', (request) => {
      const target = request.url();
      if (!target.startsWith(`${origin}/`) && !target.startsWith('data:') && !target.startsWith('blob:')) foreign.push(target);
    });
    await page.goto(`${origin}/monitor/`);
    await page.waitForSelector('[data-testid="session-row"][data-external-id="firefox-1"]', { timeout: 20_000 });
    // The page's live subscriptions (the table's and the figures') are open on the gateway: what is
    // stored from now on reaches it.
    await untilSubscribers(() => gateway.live.subscriberCount, 2, 15_000);

    await chat('firefox-live', 'Appearing live');
    await page.waitForSelector('[data-testid="session-row"][data-external-id="firefox-live"]', { timeout: 10_000 });

    await page.focus('[data-testid="session-row"][data-external-id="firefox-live"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="transcript"] li', { timeout: 10_000 });
    const transcript = await page.$eval('[data-testid="transcript"]', (list) => list.textContent ?? '');
    expect(transcript).toContain('Appearing live');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'monitor-firefox.png') });
    expect(foreign).toEqual([]);
    await page.close();
  });
});
