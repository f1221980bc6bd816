import { analyst, channelCardAction, channelId } from '../../support/activities';
import { expectValidCard, renderedText } from '../../support/cards';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { feedKeys } from '../../../src/feed/model';
import { graphAlert, sendAlerts, startFeedBot, subscribeChannel, waitFor, type FeedBot } from './support';

let connector: FakeConnector;
let feedBot: FeedBot;
let postId: string;
const alertId = 'da-1004';

beforeAll(async () => {
  connector = await startFakeConnector();
  feedBot = await startFeedBot();
  await subscribeChannel(feedBot, connector.url);
  // A demo alert id arriving through the webhook: the demo source can take the triage write-back.
  await sendAlerts(feedBot.url, graphAlert(alertId, { title: 'Suspicious access to LSASS service' }));
  postId = await waitFor(
    async () => (await feedBot.store.get<any>(feedKeys.alert(alertId)))?.value.posts[channelId]?.activityId,
    'the posted card',
  );
});
afterAll(async () => {
  await feedBot.stop();
  await connector.stop();
});
beforeEach(() => connector.reset());

const thread = () => `${channelId};messageid=${postId}`;
const threadReplies = () => connector.cards().filter((entry) => entry.call.conversationId === thread());
const cardUpdates = () => connector.calls.filter((call) => call.method === 'PUT' && call.activityId === postId);
const click = (verb: string, data: Record<string, unknown> = {}, from?: Record<string, unknown>) =>
  feedBot.post(
    channelCardAction(verb, { alertId, origin: 'feed', ...data }, { serviceUrl: connector.url, postId, from }),
  );
const idle = async () => {
  await feedBot.bot.alertFeed.worker.runOnce();
  await waitFor(
    async () => (await feedBot.store.list(feedKeys.outboxPrefix)).length === 0 || undefined,
    'empty outbox',
  );
};

describe('buttons on a feed alert card', () => {
  it.each([
    ['explainAlert', 'Explanation'],
    ['analyzeAlert', 'ATT&CK analysis'],
    ['huntAlert', 'Hunting query'],
    ['investigateAlert', 'Investigation'],
    ['reportIncident', 'Report'],
  ])('%s answers with the refreshed card, replies in the thread and updates the card', async (verb, title) => {
    const response = await click(verb, verb === 'reportIncident' ? { incidentId: '42' } : {});
    expect(response.status).toBe(200);
    expect(response.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expectValidCard(response.body.value);
    expect(renderedText(response.body.value)).toContain(`${title} requested by`);

    const reply = await waitFor(() => threadReplies()[0], 'the answer in the thread');
    expectValidCard(reply.card);
    const update = await waitFor(
      () => cardUpdates().find((call) => JSON.stringify(call.body).includes(`${title} posted in this thread`)),
      'the card update',
    );
    expect(update.conversationId).toBe(channelId);
    if (verb === 'huntAlert') {
      // The hunt is about the card's alert: its query is filed as the alert's finding.
      const keys = await feedBot.store.list(`findings/alert/${alertId}/`);
      const findings = await Promise.all(keys.map(async (key) => (await feedBot.store.get<any>(key))?.value));
      expect(findings.map((finding) => finding?.capability)).toContain('hunt');
    }
    await idle();
  });

  it('runs the work once when two analysts click at the same moment', async () => {
    const colleague = {
      id: '29:analyst-2',
      name: 'Sam Responder',
      aadObjectId: '00000000-0000-0000-0000-000000000200',
    };
    await feedBot.store.put(feedKeys.alert(alertId), {
      ...(await feedBot.store.get<any>(feedKeys.alert(alertId)))!.value,
      work: {},
    });
    const [first, second] = await Promise.all([click('explainAlert'), click('explainAlert', {}, colleague)]);
    const answers = [first.body, second.body];
    expect(answers.filter((body) => body.type === 'application/vnd.microsoft.card.adaptive')).toHaveLength(1);
    expect(answers.find((body) => body.type !== 'application/vnd.microsoft.card.adaptive').value).toMatch(/already/);
    await waitFor(() => threadReplies()[0], 'the explanation');
    await idle();
    expect(threadReplies()).toHaveLength(1);
  });

  it('acknowledge, assign and close are attributed to the analyst, written back to the source, and shown to all', async () => {
    const acknowledged = await click('acknowledgeAlert');
    expect(renderedText(acknowledged.body.value)).toContain(`Acknowledged by`);
    expect(renderedText(acknowledged.body.value)).toContain(analyst.aadObjectId);
    const again = await click('acknowledgeAlert', {}, { id: '29:other', name: 'Sam Responder' });
    expect(again.body.value).toContain(`already acknowledged by ${analyst.name}`);

    expect(renderedText((await click('assignAlertToMe')).body.value)).toContain('Assigned to');
    const closed = await click('closeAlert', { classification: 'falsePositive' });
    expect(renderedText(closed.body.value)).toContain('False positive');
    expect(JSON.stringify(closed.body.value)).not.toContain('acknowledgeAlert');

    await waitFor(
      () => cardUpdates().find((call) => JSON.stringify(call.body).includes('False positive')),
      'the closed card for everyone',
    );
    const source = feedBot.bot.services.dataSource;
    const written = await waitFor(async () => {
      const alert = await source.getAlert(alertId);
      return alert?.status === 'resolved' ? alert : undefined;
    }, 'the write-back');
    expect(written).toMatchObject({ classification: 'falsePositive', assignedTo: analyst.name });
    await idle();
  });

  it('says clearly when the alert is no longer in the feed', async () => {
    const response = await feedBot.post(
      channelCardAction('explainAlert', { alertId: 'gone-1', origin: 'feed' }, { serviceUrl: connector.url, postId }),
    );
    expect(response.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(response.body.value).toContain('no longer have alert "gone-1"');
    expect(threadReplies()).toHaveLength(0);
  });
});

describe('roles on the feed card', () => {
  it('refuses triage to an analyst without the responder role, and changes nothing', async () => {
    // Dana (the subscribing analyst) is a responder; the colleague who clicks is not.
    const guarded = await startFeedBot({ environment: { RESPONDER_IDS: analyst.aadObjectId } });
    const colleague = { id: '29:analyst-3', name: 'Kim Analyst', aadObjectId: '00000000-0000-0000-0000-000000000300' };
    try {
      await subscribeChannel(guarded, connector.url);
      await sendAlerts(guarded.url, graphAlert('ga-roles'));
      const posted = await waitFor(
        async () => (await guarded.store.get<any>(feedKeys.alert('ga-roles')))?.value.posts[channelId]?.activityId,
        'the posted card',
      );
      const response = await guarded.post(
        channelCardAction(
          'acknowledgeAlert',
          { alertId: 'ga-roles', origin: 'feed' },
          { serviceUrl: connector.url, postId: posted, from: colleague },
        ),
      );
      expect(response.body.type).toBe('application/vnd.microsoft.activity.message');
      expect(response.body.value).toContain('responder');
      expect((await guarded.store.get<any>(feedKeys.alert('ga-roles')))!.value.triage).toEqual({});
    } finally {
      await guarded.stop();
    }
  });
});
