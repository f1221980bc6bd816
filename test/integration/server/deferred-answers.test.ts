import type { StructuredRequest, StructuredResponse } from '../../../src/llm/port';
import { cardAction, channelMessage, personalMessage } from '../../support/activities';
import { repliedCards, startTestBot, useConnectedBot } from '../../support/bot-harness';
import { startFakeConnector } from '../../support/fake-connector';
import { expectValidCard, renderedText } from '../../support/cards';
import { da1004Explanation, FakeLlmClient } from '../../support/fake-llm';

/** An LLM that takes its time, like a real one under load. */
class SlowLlm extends FakeLlmClient {
  constructor(private readonly delayMs: number) {
    super({ model: 'slow-model' });
  }

  override async generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResponse<T>> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return super.generateStructured(request);
  }
}

const llm = new SlowLlm(3000);
const harness = useConnectedBot({ overrides: { llm } });
beforeEach(() => harness.connector.reset());

describe('answers that need the LLM', () => {
  it('acknowledge the turn at once with a working card, then replace it in place with the answer', async () => {
    llm.answer(da1004Explanation);
    const started = Date.now();
    const response = await harness.testBot.post(
      channelMessage('explain alert da-1004', { serviceUrl: harness.connector.url, expectReplies: false }),
    );
    const acknowledgedAfter = Date.now() - started;
    expect(response.status).toBe(200);
    // Acknowledged before the model answers (it takes 3 s): the answer comes later, as an update.
    expect(acknowledgedAfter).toBeLessThan(2500);

    const [working] = harness.connector.cards();
    expect(renderedText(working.card)).toContain('Explaining the alert');
    expect(working.call.method).toBe('POST');

    const [, update] = await harness.connector.waitForCalls(2, 10_000);
    expect(update.method).toBe('PUT');
    expect(update.activityId).toBe('activity-1');
    expect(update.conversationId).toBe(working.call.conversationId);
    const card = harness.connector.cards()[1].card;
    expectValidCard(card);
    expect(renderedText(card)).toContain('Someone tried to read passwords from memory');
    expect(renderedText(card)).toContain('slow-model');
  });

  it('replace the working card with an error card when the work fails', async () => {
    llm.fail(new Error('a bug in the capability'));
    await harness.testBot.post(
      personalMessage('explain alert da-1004', { serviceUrl: harness.connector.url, expectReplies: false }),
    );
    const calls = await harness.connector.waitForCalls(2, 10_000);
    expect(calls[1].method).toBe('PUT');
    const shown = renderedText(harness.connector.cards()[1].card);
    expect(shown).toContain('Something went wrong');
    expect(shown).not.toContain('a bug in the capability');
  });

  it('work the same from the Explain alert button', async () => {
    llm.answer(da1004Explanation);
    const response = await harness.testBot.post(
      cardAction('explainAlert', { alertId: 'da-1004' }, { serviceUrl: harness.connector.url }),
    );
    expect(response.body).toMatchObject({ statusCode: 200 });
    await harness.connector.waitForCalls(2, 10_000);
    expect(renderedText(harness.connector.cards()[1].card)).toContain('Someone tried to read passwords');
  });

  it('stay inline for expectReplies, whose answer must be in the HTTP body', async () => {
    llm.answer(da1004Explanation);
    const response = await harness.testBot.post(personalMessage('explain alert da-1004'));
    const cards = repliedCards(response.body);
    expect(cards).toHaveLength(1);
    expect(renderedText(cards[0])).toContain('Someone tried to read passwords');
    expect(harness.connector.calls).toHaveLength(0);
  });

  it('are finished before a graceful shutdown closes the store', async () => {
    const otherConnector = await startFakeConnector();
    const otherLlm = new SlowLlm(800).answer(da1004Explanation);
    const otherBot = await startTestBot({ overrides: { llm: otherLlm } });
    await otherBot.post(
      personalMessage('explain alert da-1004', { serviceUrl: otherConnector.url, expectReplies: false }),
    );
    await otherBot.stop();
    expect(otherConnector.calls.map((call) => call.method)).toEqual(['POST', 'PUT']);
    await otherConnector.stop();
  });
});
