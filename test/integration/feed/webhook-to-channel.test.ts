import { channelId, teamId, tenantId, botAccount, analyst } from '../../support/activities';
import { expectValidCard, renderedText } from '../../support/cards';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { feedKeys } from '../../../src/feed/model';
import { graphAlert, sendAlerts, startFeedBot, subscribeChannel, waitFor, type FeedBot } from './support';

let connector: FakeConnector;
let feedBot: FeedBot;

beforeAll(async () => {
  connector = await startFakeConnector();
});
afterAll(async () => {
  await connector.stop();
});
beforeEach(async () => {
  connector.reset();
  feedBot = await startFeedBot();
});
afterEach(async () => {
  await feedBot.stop();
});

/** New posts (not thread replies): proactive sends to the channel's own conversation id. */
const posts = () =>
  connector.calls.filter((call) => call.method === 'POST' && !call.conversationId.includes(';messageid='));

/** A second channel of the same team subscribes through its own @mention. */
function otherChannelMessage(text: string) {
  const other = '19:soc-tier2@thread.tacv2';
  const mention = `<at>${botAccount.name}</at>`;
  return {
    type: 'message',
    id: 'm-2',
    channelId: 'msteams',
    serviceUrl: connector.url,
    from: analyst,
    recipient: botAccount,
    conversation: { id: `${other};messageid=17000`, conversationType: 'channel', isGroup: true, tenantId },
    channelData: { tenant: { id: tenantId }, team: { id: teamId }, channel: { id: other } },
    text: `${mention} ${text}`,
    entities: [{ type: 'mention', text: mention, mentioned: botAccount }],
    deliveryMode: 'expectReplies',
  };
}

describe('the alert feed from webhook to channel', () => {
  it('confirms a subscription, stores a signed alert and posts it once to each subscribed channel', async () => {
    const subscribed = await subscribeChannel(feedBot, connector.url, 'use this channel for alerts high and above');
    expect(subscribed.status).toBe(200);
    expect(JSON.stringify(subscribed.body)).toContain('Alert feed on');
    await feedBot.post(otherChannelMessage('send alerts here medium and above'));

    const response = await sendAlerts(feedBot.url, graphAlert('ga-1'));
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ status: 'accepted', new: 1 });
    expect(await feedBot.store.get(feedKeys.alert('ga-1'))).toBeDefined();

    await waitFor(() => posts().length >= 2 || undefined, 'two posts');
    // Redelivery of the same alert (same id and update time) is deduplicated.
    const redelivered = await sendAlerts(feedBot.url, graphAlert('ga-1'), {
      timestamp: Math.floor(Date.now() / 1000) + 1,
    });
    expect(redelivered.body).toMatchObject({ duplicate: 1 });
    await waitFor(
      async () => (await feedBot.store.list(feedKeys.outboxPrefix)).length === 0 || undefined,
      'empty outbox',
    );

    const conversations = posts()
      .map((call) => call.conversationId)
      .sort();
    // New posts (POST …/activities), not replies to some activity: each alert starts its own thread.
    expect(posts().every((call) => call.activityId === undefined)).toBe(true);
    expect(conversations).toEqual(['19:soc-alerts@thread.tacv2', '19:soc-tier2@thread.tacv2']);
    const card = posts()[0].body.attachments as Array<{ content: Record<string, unknown> }>;
    expectValidCard(card[0].content);
    const shown = renderedText(card[0].content);
    expect(shown).toContain('Suspicious PowerShell download ga-1');
    expect(shown).toContain('203.0.113[.]7');
    expect(JSON.stringify(card[0].content)).toContain('"verb":"acknowledgeAlert"');

    const record = (await feedBot.store.get<any>(feedKeys.alert('ga-1')))!.value;
    expect(Object.keys(record.posts).sort()).toEqual(conversations);
    expect(record.posts[channelId].activityId).toMatch(/^activity-/);
  });

  it('posts only alerts at or above the channel threshold, and nothing after "stop alerts here"', async () => {
    await subscribeChannel(feedBot, connector.url, 'use this channel for alerts high and above');
    const batch = [graphAlert('ga-low', { severity: 'low' }), graphAlert('ga-high')];
    expect((await sendAlerts(feedBot.url, batch)).body).toMatchObject({ new: 2 });
    await waitFor(() => posts().length >= 1 || undefined, 'a post');
    await waitFor(
      async () => (await feedBot.store.list(feedKeys.outboxPrefix)).length === 0 || undefined,
      'empty outbox',
    );
    expect(posts()).toHaveLength(1);
    expect(renderedText((posts()[0].body.attachments as any)[0].content)).toContain('ga-high');

    await subscribeChannel(feedBot, connector.url, 'stop alerts here');
    const before = posts().length;
    await sendAlerts(feedBot.url, graphAlert('ga-later'));
    await feedBot.bot.alertFeed.worker.runOnce();
    expect(posts()).toHaveLength(before);
  });

  it('updates the posted card in place when the source reports a change', async () => {
    await subscribeChannel(feedBot, connector.url);
    await sendAlerts(feedBot.url, graphAlert('ga-upd'));
    await waitFor(() => posts().length >= 1 || undefined, 'the post');
    const postedId = (await feedBot.store.get<any>(feedKeys.alert('ga-upd')))!.value.posts[channelId].activityId;

    const changed = graphAlert('ga-upd', { status: 'resolved', lastUpdateDateTime: '2026-11-27T10:05:00Z' });
    expect((await sendAlerts(feedBot.url, changed)).body).toMatchObject({ updated: 1 });
    const update = await waitFor(
      () => connector.calls.find((call) => call.method === 'PUT' && call.activityId === postedId),
      'the card update',
    );
    expect(renderedText((update.body.attachments as any)[0].content)).toContain('Resolved');
    expect(posts()).toHaveLength(1);
  });

  it('subscribes the team channel when the bot is installed, once', async () => {
    const { installationUpdate } = await import('../../support/activities');
    const first = await feedBot.post(installationUpdate({ serviceUrl: connector.url }));
    const again = await feedBot.post(installationUpdate({ serviceUrl: connector.url }));
    expect(await feedBot.store.get(feedKeys.subscription(channelId))).toBeDefined();
    expect(JSON.stringify(first.body)).toContain('Alert feed on: new alerts of medium severity and above');
    expect(JSON.stringify(again.body ?? {})).not.toContain('Alert feed on');
    // Removing the bot ends the feed for the channel.
    await feedBot.post({ ...installationUpdate({ serviceUrl: connector.url }), action: 'remove' });
    expect(await feedBot.store.get(feedKeys.subscription(channelId))).toBeUndefined();
  });
});
