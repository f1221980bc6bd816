import { analyst, cardAction, channelCardAction, channelId } from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot-harness';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { FakeLlmClient } from '../../support/fake-llm';
import { feedKeys } from '../../../src/feed/model';
import { graphAlert, sendAlerts, startFeedBot, subscribeChannel, waitFor, type FeedBot } from '../feed/support';

/**
 * The per-user LLM rate limit applies to card buttons as it does to typed requests (issue 10, item 2): a click
 * beyond the limit is answered, to the clicking analyst only, with when to try again; no model call is made, no
 * card is posted in the conversation, and on a feed card the work is not claimed, so a later click still runs it.
 */
let connector: FakeConnector;
beforeAll(async () => {
  connector = await startFakeConnector();
});
afterAll(() => connector.stop());
beforeEach(() => connector.reset());

const explanation = {
  headline: 'LSASS memory was dumped on a workstation.',
  whatHappened: 'A system tool wrote the memory of the login process to a file.',
  whyItMatters: 'That file holds passwords.',
  immediateRisk: { level: 'high', rationale: 'Credentials may be stolen.' },
  recommendedActions: ['Reset the passwords of the accounts used on the device.'],
  techniques: [],
  keyEntities: [],
};

describe('buttons on the bot cards', () => {
  let testBot: TestBot;
  let llm: FakeLlmClient;
  beforeAll(async () => {
    llm = new FakeLlmClient();
    testBot = await startTestBot({ overrides: { llm }, environment: { LLM_RATE_PER_USER: '2' } });
  });
  afterAll(() => testBot.stop());

  it('the third "Explain alert" in a minute gets "try again" in the invoke answer, and no model call', async () => {
    llm.answer(explanation).answer(explanation);
    const answers: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const response = await testBot.post(
        cardAction('explainAlert', { alertId: 'da-1004' }, { serviceUrl: connector.url }),
      );
      expect(response.status).toBe(200);
      answers.push(String(response.body?.value));
    }
    expect(answers[0]).not.toMatch(/try again/);
    expect(answers[2]).toMatch(/You have sent a lot of requests in the last minute\. Please try again in \d+ seconds?/);
    expect(llm.calls).toHaveLength(2);
    // Two explanations in the conversation, and no "slow down" card among them.
    await waitFor(() => (connector.cards().length >= 2 ? true : undefined), 'two explanations');
    expect(JSON.stringify(connector.cards())).not.toContain('slow down');
  });

  it('buttons without the model (help) are not limited', async () => {
    const response = await testBot.post(cardAction('showHelp', {}, { serviceUrl: connector.url }));
    expect(String(response.body?.value)).not.toMatch(/try again/);
  });
});

describe('buttons on the feed alert cards', () => {
  let feedBot: FeedBot;
  let postId: string;
  const alertId = 'da-1004';
  beforeAll(async () => {
    feedBot = await startFeedBot({ llm: new FakeLlmClient(), environment: { LLM_RATE_PER_USER: '1' } });
    await subscribeChannel(feedBot, connector.url);
    await sendAlerts(feedBot.url, graphAlert(alertId, { title: 'Suspicious access to LSASS service' }));
    postId = await waitFor(
      async () => (await feedBot.store.get<any>(feedKeys.alert(alertId)))?.value.posts[channelId]?.activityId,
      'the posted card',
    );
  });
  afterAll(() => feedBot.stop());

  it('a click over the limit is refused before the work is claimed; acknowledge still works', async () => {
    const click = (verb: string) =>
      feedBot.post(
        channelCardAction(verb, { alertId, origin: 'feed' }, { serviceUrl: connector.url, postId, from: analyst }),
      );
    // The fake model has no answer queued: the explanation falls back to the offline engine, which is fine here.
    const first = await click('explainAlert');
    expect(first.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const second = await click('analyzeAlert');
    expect(second.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(second.body.value).toMatch(/Please try again in (about )?\d+ (seconds?|minutes?)/);
    const record = (await feedBot.store.get<any>(feedKeys.alert(alertId)))!.value;
    expect(Object.keys(record.work ?? {})).toEqual(['explain']);
    const acknowledged = await click('acknowledgeAlert');
    expect(acknowledged.body.type).toBe('application/vnd.microsoft.card.adaptive');
  });
});
