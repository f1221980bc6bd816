import type { Page } from 'playwright-core';
import { composeBox, launchChromium, saveScreenshot, type Browser } from './support/browser';
import { DevLoop } from './support/dev-loop';

/**
 * What an analyst sees: the Agents Playground's own web page in headless Chromium, typing into the compose
 * box. Needs a system Chromium (Debian: `apt-get install -y chromium`); playwright-core never downloads one.
 * With UPDATE_SCREENSHOTS=1 (`npm run screenshots`) it refreshes docs/screenshots/*.png (not on every run, so
 * a test run never dirties the working tree).
 */

describe('the Agents Playground page in headless Chromium', () => {
  const loop = new DevLoop();
  let browser: Browser | undefined;

  beforeAll(async () => {
    await loop.start();
    browser = await launchChromium();
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await loop.stop();
    }
  });

  async function openPlayground(): Promise<Page> {
    if (!browser) throw new Error('Chromium did not start (see beforeAll)');
    return browser.open(`${loop.playground.url}/`);
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

async function expectText(text: Promise<string>, expected: string[]): Promise<void> {
  const actual = await text;
  for (const fragment of expected) expect(actual).toContain(fragment);
}
