import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from '../../support/built';

/**
 * Debian's Chromium driven by playwright-core (which never downloads a browser), with the flags from
 * ../shared/notes/playground-in-chromium.md: no sandbox (root in a container), nothing in the background, and
 * every request off the loopback interface refused (only cosmetic fonts come from a CDN; the page works without).
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const composeBox = 'div[role="textbox"][data-lexical-editor="true"]';

export interface Browser {
  context: BrowserContext;
  /** Opens the Playground page and waits until its compose box is there. */
  open(url: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  const profileDirectory = mkdtempSync(path.join(os.tmpdir(), 'soc-copilot-chromium-'));
  const context = await chromium.launchPersistentContext(profileDirectory, {
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
  await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
  context.setDefaultTimeout(20_000);
  return {
    context,
    async open(url) {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      // Not `networkidle`: the page keeps a WebSocket open. The compose box means the app has rendered.
      await page.locator(composeBox).first().waitFor({ state: 'visible' });
      return page;
    },
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(profileDirectory, { recursive: true, force: true });
      }
    },
  };
}

/** With UPDATE_SCREENSHOTS=1 (npm run screenshots) the tests refresh the README's images from the current build. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  const screenshots = path.join(projectRoot, 'docs', 'screenshots');
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, name) });
}
