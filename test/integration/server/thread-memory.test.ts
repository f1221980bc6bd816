import { randomUUID } from 'node:crypto';
import { cardAction, channelMessage, personalMessage } from '../../support/activities';
import { repliedCards, useConnectedBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';

/** Follow-ups in a thread ("run it", "explain it", "hunt for the second IP") through /api/messages. */

const harness = useConnectedBot();
beforeEach(() => harness.connector.reset());

/** Each test talks in its own channel thread, as analysts do. */
function inThread(thread: string, activity: Record<string, unknown>): Record<string, unknown> {
  const conversation = activity.conversation as Record<string, unknown>;
  return { ...activity, conversation: { ...conversation, id: `19:soc-alerts@thread.tacv2;messageid=${thread}` } };
}

async function ask(thread: string, text: string) {
  const response = await harness.testBot.post(inThread(thread, channelMessage(text)));
  expect(response.status).toBe(200);
  const cards = repliedCards(response.body);
  expect(cards).toHaveLength(1);
  expectValidCard(cards[0]);
  return cards[0];
}

describe('thread memory', () => {
  it('"run it" runs the query the bot just wrote in this thread', async () => {
    const thread = randomUUID();
    expect(renderedText(await ask(thread, 'hunt for encoded PowerShell in defender'))).toContain('Validated');
    const results = renderedText(await ask(thread, 'run it'));
    expect(results).toContain('Query results');
    expect(results).toContain('Defender advanced hunting');
  });

  it('"explain it" explains the alert last discussed in the thread, and not in another thread', async () => {
    const thread = randomUUID();
    await ask(thread, 'explain alert da-1004');
    expect(renderedText(await ask(thread, 'explain it'))).toContain('Suspicious access to LSASS service');
    const elsewhere = await ask(randomUUID(), 'explain it');
    expect(renderedText(elsewhere)).toContain('Which alert?');
  });

  it('"hunt for the second IP" sweeps for the second IP the analyst checked in the thread', async () => {
    const thread = randomUUID();
    await ask(thread, 'check 203.0.113[.]7, evil[.]example and 198.51.100[.]23');
    const card = await ask(thread, 'hunt for the second IP');
    const shown = renderedText(card);
    expect(shown).toContain('198.51.100[.]23');
    expect(shown).not.toContain('203.0.113[.]7');
    expect(shown).toContain('Validated');
    // ...and "run it" then runs that sweep.
    expect(renderedText(await ask(thread, 'run it'))).toContain('Query results');
  });

  it('asks which query when there is none, and its buttons run the suggested command', async () => {
    const card = await ask(randomUUID(), 'run it');
    expect(renderedText(card)).toContain('Which query?');
    const button = (card.actions as Array<Record<string, any>>)[0];
    expect(button).toMatchObject({ type: 'Action.Execute', verb: 'runCommand' });

    const response = await harness.testBot.post(
      cardAction('runCommand', button.data, { serviceUrl: harness.connector.url }),
    );
    expect(response.body).toMatchObject({ statusCode: 200 });
    const posted = harness.connector.cards();
    expect(posted).toHaveLength(1);
    expectValidCard(posted[0].card);
    expect(renderedText(posted[0].card)).toMatch(/Hunting query|KQL/);
  });

  it('the Explain button makes its alert the subject of the conversation', async () => {
    await harness.testBot.post(
      cardAction('explainAlert', { alertId: 'da-1009' }, { serviceUrl: harness.connector.url }),
    );
    const byButton = renderedText(harness.connector.cards()[0].card);
    const response = await harness.testBot.post(personalMessage('explain it'));
    const cards = repliedCards(response.body);
    expect(cards).toHaveLength(1);
    const shown = renderedText(cards[0]);
    expect(shown).not.toContain('Which alert?');
    expect(shown.split('\n')[0]).toBe(byButton.split('\n')[0]);
  });
});
