import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { channelId } from '../../support/activities';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { feedKeys } from '../../../src/feed/model';
import { SqliteStore } from '../../../src/store';
import { graphAlert, sendAlerts, startFeedBot, subscribeChannel, waitFor, type FeedBot } from './support';

let connector: FakeConnector;
beforeAll(async () => {
  connector = await startFakeConnector();
});
afterAll(async () => {
  await connector.stop();
});
beforeEach(() => connector.reset());

const posts = () =>
  connector.calls.filter((call) => call.method === 'POST' && !call.conversationId.includes(';messageid='));
const outboxEmpty = (bot: FeedBot) => async () =>
  (await bot.store.list(feedKeys.outboxPrefix)).length === 0 || undefined;

describe('delivery to the channel', () => {
  it('retries after a 429 with Retry-After and posts once', async () => {
    const feedBot = await startFeedBot();
    try {
      await subscribeChannel(feedBot, connector.url);
      connector.reset();
      // More 429s than the Bot Connector client retries on its own, so the outbox's own retry is exercised.
      const throttled = { status: 429, headers: { 'retry-after': '0' }, body: { error: { code: 'Throttled' } } };
      connector.enqueue(throttled, throttled, throttled, throttled, throttled);
      await sendAlerts(feedBot.url, graphAlert('ga-429'));
      await waitFor(
        async () => (await feedBot.store.get<any>(feedKeys.alert('ga-429')))?.value.posts[channelId]?.activityId,
        'the recorded post',
      );
      await waitFor(outboxEmpty(feedBot), 'empty outbox');
      // Every scripted 429 was answered, then one post succeeded: the card is in the channel once.
      expect(posts().filter((call) => call.status === 429)).toHaveLength(5);
      expect(posts().filter((call) => call.status === 200)).toHaveLength(1);
      const record = (await feedBot.store.get<any>(feedKeys.alert('ga-429')))!.value;
      expect(record.posts[channelId].activityId).toBe('activity-1');
    } finally {
      await feedBot.stop();
    }
  });

  it('resumes after a crash between store and post, and posts exactly once', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-crash-'));
    try {
      // First life: the alert is acknowledged (202) and stored, but the worker never runs.
      const first = await startFeedBot({ store: SqliteStore.open({ directory }), feed: { startWorker: false } });
      await subscribeChannel(first, connector.url);
      connector.reset();
      expect((await sendAlerts(first.url, graphAlert('ga-crash'))).status).toBe(202);
      expect(await first.store.list(feedKeys.outboxPrefix)).toHaveLength(1);
      await first.stop();
      expect(posts()).toHaveLength(0);

      // Second life on the same database: the pending post goes out, once.
      const second = await startFeedBot({ store: SqliteStore.open({ directory }) });
      try {
        await waitFor(() => posts().length >= 1 || undefined, 'the resumed post');
        await waitFor(outboxEmpty(second), 'empty outbox');
        const again = await sendAlerts(second.url, graphAlert('ga-crash'), {
          timestamp: Math.floor(Date.now() / 1000) + 1,
        });
        expect(again.body).toMatchObject({ duplicate: 1 });
        await second.bot.alertFeed.worker.runOnce();
        expect(posts()).toHaveLength(1);
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('the poller in dev mode', () => {
  it("posts the demo source's new alerts as they appear, each once", async () => {
    const feedBot = await startFeedBot({
      environment: { ALERT_POLL_INTERVAL_SECONDS: '1', ALERT_DEMO_INTERVAL_SECONDS: '1' },
    });
    try {
      await subscribeChannel(feedBot, connector.url);
      connector.reset();
      await waitFor(() => posts().length >= 2 || undefined, 'two live alerts', 15_000);
      const ids = posts().map((call) => /"alertId":"([^"]+)"/.exec(JSON.stringify(call.body))?.[1]);
      expect(ids.every((id) => id?.startsWith('live-'))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await feedBot.stop();
    }
  });
});
