import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from '../support/built';
import { DevLoop } from './support/dev-loop';

/**
 * What an analyst sees: the Agents Playground's own web page in headless Chromium, typing into the compose
 * box. Needs a system Chromium (Debian: `apt-get install -y chromium`); playwright-core never downloads one.
 * With UPDATE_SCREENSHOTS=1 (`npm run screenshots`) it refreshes docs/screenshots/*.png (not on every run, so
 * a test run never dirties the working tree).
 */

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const composeBox = 'div[role="textbox"][data-lexical-editor="true"]';

describe('the Agents Playground page in headless Chromium', () => {
  const loop = new DevLoop();
  let profileDirectory: string | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `No Chromium at ${chromiumPath}. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`,
      );
    }
    await loop.start();
    profileDirectory = mkdtempSync(path.join(os.tmpdir(), 'soc-copilot-chromium-'));
    // Flags from ../shared/notes/playground-in-chromium.md: no sandbox (root in a container), nothing in the background.
    context = await chromium.launchPersistentContext(profileDirectory, {
      executablePath: chromiumPath,
      headless: true,
      timeout: 60_000,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 900 },
    });
    // Only cosmetic fonts and one animation worklet come from a CDN; the page works without them, offline.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
    context.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    try {
      await context?.close();
    } finally {
      if (profileDirectory) rmSync(profileDirectory, { recursive: true, force: true });
      await loop.stop();
    }
  });

  async function openPlayground(): Promise<Page> {
    if (!context) throw new Error('Chromium did not start (see beforeAll)');
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${loop.playground.url}/`, { waitUntil: 'domcontentloaded' });
    // Not `networkidle`: the page keeps a WebSocket open. The compose box means the app has rendered.
    await page.locator(composeBox).first().waitFor({ state: 'visible' });
    return page;
  }

  it('sends "help" from the compose box in the personal chat and renders the help card', async () => {
    const page = await openPlayground();

    await page.locator(composeBox).first().click();
    await page.keyboard.type('help');
    await page.getByRole('button', { name: 'Send Message' }).click();

    const card = page.locator('.ac-adaptiveCard').filter({ hasText: 'What SOC Copilot can do' }).last();
    await card.waitFor({ state: 'visible' });
    await expectText(card.innerText(), ['Explain an alert', 'Explain pasted alert JSON']);
    await saveScreenshot(page, 'help-personal.png');
  });

  it('clicks the rendered Run query button on a hunting card and shows the rows', async () => {
    const page = await openPlayground();
    await page.locator(composeBox).first().click();
    await page.keyboard.type('hunt for encoded PowerShell in defender');
    await page.getByRole('button', { name: 'Send Message' }).click();

    const hunt = page.locator('.ac-adaptiveCard').filter({ hasText: 'Validated against the Defender' }).last();
    await hunt.waitFor({ state: 'visible' });
    await saveScreenshot(page, 'hunt-query.png');
    await hunt.getByRole('button', { name: 'Run query' }).click();

    const results = page.locator('.ac-adaptiveCard').filter({ hasText: 'Query results' }).last();
    await results.waitFor({ state: 'visible' });
    await expectText(results.innerText(), ['Defender advanced hunting', 'Timestamp']);
    await saveScreenshot(page, 'hunt-results.png');
  });

  it('renders an incident report and expands a collapsed section', async () => {
    const page = await openPlayground();
    await page.locator(composeBox).first().click();
    await page.keyboard.type('report incident 42 for executives');
    await page.getByRole('button', { name: 'Send Message' }).click();

    const report = page.locator('.ac-adaptiveCard').filter({ hasText: 'TLP:AMBER' }).last();
    await report.waitFor({ state: 'visible' });
    const before = await report.innerText();
    // Sections start collapsed; "Show / hide" (or "Show more / less") opens one in the rendered card.
    const toggle = report.getByRole('button', { name: /^Show (\/ hide|more \/ less)$/ }).first();
    await toggle.click();
    let after = before;
    for (let attempt = 0; attempt < 40 && after.length <= before.length; attempt += 1) {
      await page.waitForTimeout(50);
      after = await report.innerText();
    }
    expect(after.length).toBeGreaterThan(before.length);
    await saveScreenshot(page, 'report-executive.png');
  });

  it('answers an @mention typed in a channel, in the thread under the post', async () => {
    const page = await openPlayground();
    await page.getByRole('treeitem', { name: /SOC Alerts/ }).click();

    await page.locator(composeBox).first().click();
    // Typing "@" and picking the bot from the typeahead inserts a real mention, as an analyst would.
    await page.keyboard.type('@SOC');
    await page
      .getByRole('listbox', { name: 'Typeahead menu' })
      .getByRole('menuitem', { name: loop.playground.bot.name })
      .click();
    await page.keyboard.type(' explain alert da-1009');
    await page.getByRole('button', { name: 'Post', exact: true }).click();

    const card = page.locator('.ac-adaptiveCard').filter({ hasText: 'Immediate risk' }).last();
    await card.waitFor({ state: 'visible' });
    await expectText(card.innerText(), ['Ransomware behavior detected in the file system', 'T1486']);
    // The reply is in the thread: the post (a Fluent UI card) that holds the bot's card starts with the mention.
    const post = page.locator('.fui-Card[role="group"]').filter({ has: card });
    await expectText(post.innerText(), [`${loop.playground.bot.name} explain alert da-1009`]);
  });
});

/** With UPDATE_SCREENSHOTS=1 (npm run screenshots) the tests refresh the README's images from the current build. */
async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  const screenshots = path.join(projectRoot, 'docs', 'screenshots');
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, name) });
}

async function expectText(text: Promise<string>, expected: string[]): Promise<void> {
  const actual = await text;
  for (const fragment of expected) expect(actual).toContain(fragment);
}
