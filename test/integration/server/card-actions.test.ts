import { cardAction, personalMessage } from '../../support/activities';
import { useConnectedBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';

/**
 * Card buttons arrive as `adaptiveCard/action` invokes. The invoke response comes back in the HTTP
 * body; the result card goes to the Bot Connector, here a loopback fake.
 */

const harness = useConnectedBot();
beforeEach(() => harness.connector.reset());

describe('the Explain alert button', () => {
  it('answers the invoke at once and posts the explanation to the conversation', async () => {
    const started = Date.now();
    const response = await harness.testBot.post(
      cardAction('explainAlert', { alertId: 'da-1004' }, { serviceUrl: harness.connector.url }),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ statusCode: 200, value: 'Explanation posted.' });

    const cards = harness.connector.cards();
    expect(cards).toHaveLength(1);
    expectValidCard(cards[0].card);
    expect(cards[0].call.conversationId).toBe('a:personal-chat-dana');
    expect(renderedText(cards[0].card)).toContain('Suspicious access to LSASS service');
    expect(renderedText(cards[0].card)).toContain('T1003.001');
  });

  it('refuses action data without an alert id with a clear message and no explanation', async () => {
    const response = await harness.testBot.post(
      cardAction('explainAlert', { alertId: '' }, { serviceUrl: harness.connector.url }),
    );
    expect(response.status).toBe(200);
    expect(response.body.value).toContain('did not say which alert');
    const shown = harness.connector.cards().map((entry) => renderedText(entry.card));
    expect(shown.join('\n')).not.toContain('Immediate risk');
  });

  it('says clearly when the alert is no longer known', async () => {
    const response = await harness.testBot.post(
      cardAction('explainAlert', { alertId: 'gone-42' }, { serviceUrl: harness.connector.url }),
    );
    expect(response.body.value).toContain('gone-42');
    expect(renderedText(harness.connector.cards()[0].card)).toContain('Not found');
  });
});

describe('replies through the connector', () => {
  it('posts the answer to a normal (not expectReplies) message to the conversation', async () => {
    const response = await harness.testBot.post(
      personalMessage('help', { serviceUrl: harness.connector.url, expectReplies: false }),
    );
    expect(response.status).toBe(200);
    const cards = harness.connector.cards();
    expect(cards).toHaveLength(1);
    expect(renderedText(cards[0].card)).toContain('What SOC Copilot can do');
  });

  it('the Show help button answers with the help card', async () => {
    const response = await harness.testBot.post(cardAction('showHelp', {}, { serviceUrl: harness.connector.url }));
    expect(response.body).toMatchObject({ statusCode: 200 });
    expect(renderedText(harness.connector.cards()[0].card)).toContain('What SOC Copilot can do');
  });
});
