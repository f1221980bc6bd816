import { channelMessage, personalMessage } from '../../support/activities';
import { repliedCards, startTestBot, type TestBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';

/** Hunting queries and questions to KQL through /api/messages, offline (templates checked by the Kusto validator). */
let testBot: TestBot;
beforeAll(async () => {
  testBot = await startTestBot();
});
afterAll(() => testBot.stop());

async function cardFor(activity: Record<string, unknown>) {
  const response = await testBot.post(activity);
  expect(response.status).toBe(200);
  const cards = repliedCards(response.body);
  expect(cards).toHaveLength(1);
  expectValidCard(cards[0]);
  return renderedText(cards[0]);
}

describe('hunting in chat', () => {
  it('answers "hunt for encoded PowerShell" with a validated Sentinel query', async () => {
    const shown = await cardFor(channelMessage('hunt for encoded PowerShell'));
    expect(shown).toMatch(/validated/i);
    expect(shown).toMatch(/ago\(/);
    expect(shown).toContain('T1059.001');
  });

  it('writes Defender advanced hunting KQL when asked "in defender"', async () => {
    const shown = await cardFor(personalMessage('hunt for encoded PowerShell in defender'));
    expect(shown).toContain('Timestamp');
  });

  it('answers "kql failed sign-ins from new countries last 24h" with a 24-hour bound', async () => {
    const shown = await cardFor(personalMessage('kql failed sign-ins from new countries last 24h'));
    expect(shown).toContain('SigninLogs');
    expect(shown).toMatch(/lookback = (1d|24h)|ago\((1d|24h)\)/);
  });
});
