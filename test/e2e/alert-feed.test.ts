import { signAlertWebhook } from '../../src/feed/signature';
import { launchChromium, saveScreenshot, type Browser } from './support/browser';
import { DevLoop } from './support/dev-loop';
import { cardText } from './support/playground';

/**
 * "Clicking Explain alert on a posted card", as an analyst does it: the SOC channel subscribes, a signed alert
 * arrives on /api/alerts, its card appears in the channel in the real Teams client (the Agents Playground in
 * headless Chromium), the analyst clicks the rendered Explain alert button, the explanation lands in the alert's
 * thread and the card shows it to everyone; then Acknowledge from the same card.
 */
const secret = 'e2e-webhook-secret-0123456789abcdef0123456789';
const alertTitle = 'Suspicious PowerShell download on ws-0142';

function alert(): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    '@odata.type': '#microsoft.graph.security.alert',
    id: `e2e-${Date.now()}`,
    incidentId: '42',
    status: 'new',
    severity: 'high',
    title: alertTitle,
    description: 'PowerShell downloaded a script from hxxps://cdn.evil.example/stage2.ps1 and ran it.',
    serviceSource: 'microsoftDefenderForEndpoint',
    detectionSource: 'microsoftDefenderForEndpoint',
    category: 'Execution',
    mitreTechniques: ['T1059.001', 'T1105'],
    createdDateTime: now,
    lastUpdateDateTime: now,
    evidence: [
      { '@odata.type': '#microsoft.graph.security.deviceEvidence', deviceDnsName: 'ws-0142.contoso.local', roles: [] },
      { '@odata.type': '#microsoft.graph.security.ipEvidence', ipAddress: '203.0.113.7', roles: [] },
    ],
  };
}

describe('an alert card in the SOC channel, clicked in the browser', () => {
  const loop = new DevLoop({ ALERTS_WEBHOOK_SECRET: secret });
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

  it('posts a signed alert to the subscribed channel; Explain alert, Investigate, Hunt and Acknowledge work from the rendered card', async () => {
    const playground = loop.playground;
    const channel = playground.channel('SOC Alerts');
    const subscribed = await playground.sendAndWaitForReply(channel.id, 'use this channel for alerts low and above', {
      mentionBot: true,
    });
    expect(cardText(subscribed.reply)).toMatch(/alert/i);

    // The analyst has Teams open on the channel when the alert arrives.
    const page = await browser!.open(`${playground.url}/`);
    await page.getByRole('treeitem', { name: /SOC Alerts/ }).click();

    const raw = JSON.stringify(alert());
    const timestamp = Math.floor(Date.now() / 1000);
    const after = playground.position();
    const accepted = await fetch(`${loop.bot.url}/api/alerts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-soc-timestamp': String(timestamp),
        'x-soc-signature': signAlertWebhook(secret, timestamp, raw),
      },
      body: raw,
    });
    expect(accepted.status).toBe(202);
    const posted = await playground.waitForBotMessage(channel.id, {
      after,
      timeoutMs: 30_000,
      description: 'the alert card in the channel',
      predicate: (message) => cardText(message).includes(alertTitle),
    });
    expect(posted.startedThread).toBeDefined(); // a new post, not a reply in someone's thread

    const card = page.locator('.ac-adaptiveCard').filter({ hasText: alertTitle }).last();
    await card.waitFor({ state: 'visible' });
    await saveScreenshot(page, 'alert-card.png');

    const beforeClick = playground.position();
    await card.getByRole('button', { name: 'Explain alert' }).click();
    const explanation = await playground.waitForBotMessage(posted.startedThread!, {
      after: beforeClick,
      timeoutMs: 30_000,
      description: 'the explanation in the alert thread',
      predicate: (message) => cardText(message).includes('Immediate risk'),
    });
    expect(cardText(explanation)).toContain('T1059.001');
    const explained = page.locator('.ac-adaptiveCard').filter({ hasText: 'Immediate risk' }).last();
    await explained.waitFor({ state: 'visible' });
    await saveScreenshot(page, 'alert-explained.png');

    // Investigate and Hunt from the same card answer in the alert's thread too.
    for (const [button, expected] of [
      ['Investigate', 'Assessment'],
      ['Hunt', 'Hunting query'],
    ] as const) {
      const before = playground.position();
      await page
        .locator('.ac-adaptiveCard')
        .filter({ hasText: alertTitle })
        .first()
        .getByRole('button', { name: button, exact: true })
        .click();
      const answer = await playground.waitForBotMessage(posted.startedThread!, {
        after: before,
        timeoutMs: 30_000,
        description: `the answer to ${button} in the alert thread`,
        predicate: (message) => cardText(message).includes(expected),
      });
      expect(cardText(answer)).toContain(expected);
    }

    const beforeAck = playground.position();
    await page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: alertTitle })
      .first()
      .getByRole('button', { name: 'Acknowledge' })
      .click();
    const updated = await playground.waitForBotMessage(channel.id, {
      after: beforeAck,
      timeoutMs: 30_000,
      description: 'the alert card updated for everyone',
      predicate: (message) => message.action === 'updateMessage' && /acknowledged/i.test(cardText(message)),
    });
    expect(cardText(updated)).toContain(alertTitle);
  });
});
