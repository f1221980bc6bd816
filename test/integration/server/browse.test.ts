import { channelMessage, personalMessage } from '../../support/activities';
import { repliedCards, startTestBot, type TestBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';

/** "incidents" and "alerts high last 24h" through /api/messages against the demo source. */
let testBot: TestBot;
beforeAll(async () => {
  testBot = await startTestBot();
});
afterAll(() => testBot.stop());

async function cardFor(activity: Record<string, unknown>) {
  const response = await testBot.post(activity);
  const cards = repliedCards(response.body);
  expect(cards).toHaveLength(1);
  expectValidCard(cards[0]);
  return cards[0];
}

describe('browsing the data in chat', () => {
  it('"incidents" lists the demo incidents with buttons to investigate them', async () => {
    const card = await cardFor(channelMessage('incidents'));
    expect(renderedText(card)).toMatch(/8 found/);
    expect(JSON.stringify(card)).toMatch(/investigate incident 4\d/);
  });

  it('"alerts high last 24h" lists only high-severity alerts of the last day', async () => {
    const card = await cardFor(personalMessage('alerts high last 24h'));
    const shown = renderedText(card);
    expect(shown).toContain('Alerts · high, last 24h');
    expect(shown).not.toMatch(/\bMedium\b|\bLow\b/);
    expect(shown).toMatch(/\d+ found|No alerts match/);
  });
});
