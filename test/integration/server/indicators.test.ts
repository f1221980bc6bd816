import { createEnrichmentService } from '../../../src/intel/enrichment';
import { silentLogger } from '../../../src/logger';
import { MemoryStore } from '../../../src/store';
import { channelMessage, personalMessage } from '../../support/activities';
import { repliedCards, startTestBot, type TestBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';

/** "check <indicators>" and pasted indicators, with no provider configured (the zero-config default). */
let testBot: TestBot;
beforeAll(async () => {
  testBot = await startTestBot();
});
afterAll(() => testBot.stop());

async function cardsFor(activity: Record<string, unknown>) {
  const response = await testBot.post(activity);
  expect(response.status).toBe(200);
  const cards = repliedCards(response.body);
  cards.forEach((card) => expectValidCard(card));
  return cards;
}

describe('checking indicators in chat', () => {
  it('answers "check" with one verdict per indicator, each defanged', async () => {
    const cards = await cardsFor(personalMessage('check 8.8.8[.]8 and hxxps://login-contoso[.]example/reset'));
    expect(cards).toHaveLength(1);
    const shown = renderedText(cards[0]);
    expect(shown).toContain('8.8.8[.]8');
    expect(shown).toContain('login-contoso[.]example');
    expect(shown).not.toContain('https://login-contoso.example');
    expect(shown).toMatch(/no threat-intelligence provider configured/i);
  });

  it('shows the ATT&CK techniques the text mentions with their real names', async () => {
    const cards = await cardsFor(channelMessage('check 203.0.113[.]7 seen in a password spray (T1110.003)'));
    expect(renderedText(cards[0])).toContain('Brute Force: Password Spraying');
  });

  it('answers pasted indicators without a command', async () => {
    const cards = await cardsFor(
      personalMessage('198.51.100[.]23\nhxxp://cdn.evil[.]example/a.ps1\n44d88612fea8a8f36de82e1278abb02f'),
    );
    expect(renderedText(cards[0])).toContain('198.51.100[.]23');
  });

  it('says clearly when there is nothing to look up', async () => {
    const cards = await cardsFor(personalMessage('check the weather'));
    expect(renderedText(cards[0])).toContain('found no IP address');
  });

  it('leaves "analyze alert <id>" to the alert capabilities', async () => {
    const cards = await cardsFor(personalMessage('analyze alert da-1001'));
    expect(renderedText(cards[0])).not.toContain('Threat-intel enrichment');
    expect(renderedText(cards[0])).not.toContain('Threat intel analysis');
  });
});

describe('with a provider configured', () => {
  it('never sends a private or documentation address out, and says so', async () => {
    const requests: string[] = [];
    const enrichment = createEnrichmentService(
      { virusTotalApiKey: 'test-key' },
      {
        store: new MemoryStore(),
        logger: silentLogger(),
        fetch: async (url) => {
          requests.push(String(url));
          return new Response('{}', { status: 404 });
        },
      },
    );
    const otherBot = await startTestBot({ overrides: { enrichment } });
    const response = await otherBot.post(personalMessage('check 10.1.2[.]3 and 192.0.2[.]44'));
    const shown = renderedText(repliedCards(response.body)[0]);
    expect(requests).toEqual([]);
    expect(shown).toContain('10.1.2[.]3');
    expect(shown).toMatch(/private|documentation|not looked up/i);
    await otherBot.stop();
  });
});
