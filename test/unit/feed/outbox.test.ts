import { AlertFeed } from '../../../src/feed/alert-feed';
import { feedAlertCard } from '../../../src/feed/card';
import { feedKeys, type FeedSubscription } from '../../../src/feed/model';
import { ConversationRateLimiter } from '../../../src/feed/rate-limiter';
import { DeliveryError, FeedWorker, type ChannelMessenger } from '../../../src/feed/worker';
import { silentLogger } from '../../../src/logger';
import { MemoryStore } from '../../../src/store';
import type { AdaptiveCard } from '../../../src/cards/card-kit';
import { makeAlert } from '../../support/cards';

interface Sent {
  kind: 'post' | 'update';
  conversationId: string;
  activityId?: string;
  card: AdaptiveCard;
}

/** A messenger that records and can fail on cue. */
function fakeMessenger() {
  const sent: Sent[] = [];
  const failures: Error[] = [];
  let next = 1;
  const messenger: ChannelMessenger = {
    async post(subscription, card) {
      const failure = failures.shift();
      if (failure) throw failure;
      const activityId = `post-${next++}`;
      sent.push({ kind: 'post', conversationId: subscription.conversationId, activityId, card });
      return activityId;
    },
    async update(subscription, activityId, card) {
      const failure = failures.shift();
      if (failure) throw failure;
      sent.push({ kind: 'update', conversationId: subscription.conversationId, activityId, card });
    },
  };
  return { messenger, sent, failures };
}

function subscription(
  conversationId: string,
  minimumSeverity: FeedSubscription['minimumSeverity'] = 'low',
): FeedSubscription {
  return { conversationId, reference: {}, minimumSeverity, sources: [], subscribedAt: '2026-01-01T00:00:00Z' };
}

function setUp() {
  let now = 1_000_000;
  const store = new MemoryStore();
  const feed = new AlertFeed(store, () => new Date(now), silentLogger());
  const { messenger, sent, failures } = fakeMessenger();
  const options = {
    feed,
    messenger,
    logger: silentLogger(),
    render: (record: Parameters<typeof feedAlertCard>[0]) => feedAlertCard(record),
    now: () => now,
    baseBackoffMs: 1000,
  };
  const worker = new FeedWorker({ ...options, limiter: new ConversationRateLimiter(undefined, () => now) });
  return { store, feed, worker, sent, failures, options, advance: (ms: number) => (now += ms), time: () => now };
}

describe('the outbox', () => {
  it('posts a new alert once to each subscribed channel and records the activity ids', async () => {
    const { feed, worker, sent, store } = setUp();
    await feed.subscriptions.subscribe(subscription('c1'));
    await feed.subscriptions.subscribe(subscription('c2'));
    expect(await feed.ingest([makeAlert({ id: 'a1' })])).toMatchObject({ new: 1 });
    await worker.runOnce();
    expect(sent.map((entry) => `${entry.kind} ${entry.conversationId}`).sort()).toEqual(['post c1', 'post c2']);
    const record = (await feed.record('a1'))!.value;
    expect(record.posts.c1.activityId).toBeDefined();
    expect(await store.list(feedKeys.outboxPrefix)).toEqual([]);
  });

  it('deduplicates on alert id and update time; a newer version updates the card in place', async () => {
    const { feed, worker, sent } = setUp();
    await feed.subscriptions.subscribe(subscription('c1'));
    const alert = makeAlert({ id: 'a1', lastUpdatedAt: '2026-01-01T00:00:00Z' });
    await feed.ingest([alert]);
    await worker.runOnce();
    expect(await feed.ingest([alert, { ...alert, lastUpdatedAt: '2025-12-31T00:00:00Z' }])).toMatchObject({
      duplicate: 1,
      stale: 1,
    });
    await worker.runOnce();
    expect(sent).toHaveLength(1);

    await feed.ingest([{ ...alert, status: 'resolved', lastUpdatedAt: '2026-01-01T00:05:00Z' }]);
    await worker.runOnce();
    expect(sent.map((entry) => entry.kind)).toEqual(['post', 'update']);
    expect(sent[1].activityId).toBe(sent[0].activityId);
    expect(JSON.stringify(sent[1].card)).toContain('Resolved');
  });

  it('filters on severity and source', async () => {
    const { feed, worker, sent } = setUp();
    await feed.subscriptions.subscribe(subscription('high-only', 'high'));
    await feed.subscriptions.subscribe({ ...subscription('sentinel-only'), sources: ['sentinel'] });
    await feed.ingest([
      makeAlert({ id: 'm1', severity: 'medium' }),
      makeAlert({ id: 's1', severity: 'high', productName: 'Microsoft Sentinel', serviceSource: 'microsoftSentinel' }),
    ]);
    await worker.runOnce();
    expect(sent.map((entry) => `${entry.conversationId}`).sort()).toEqual(['high-only', 'sentinel-only']);
  });

  it('backs off on 429 for at least Retry-After, then posts once', async () => {
    const { feed, worker, sent, failures, advance } = setUp();
    await feed.subscriptions.subscribe(subscription('c1'));
    failures.push(new DeliveryError('throttled', 429, 5000));
    await feed.ingest([makeAlert({ id: 'a1' })]);
    expect(await worker.runOnce()).toBeGreaterThan(0);
    expect(sent).toHaveLength(0);
    advance(4999);
    await worker.runOnce();
    expect(sent).toHaveLength(0);
    advance(1);
    await worker.runOnce();
    expect(sent).toHaveLength(1);
    await worker.runOnce();
    expect(sent).toHaveLength(1);
  });

  it('retries 5xx with growing backoff and gives up on a 403 (bot removed) without retrying', async () => {
    const { feed, worker, sent, failures, advance, store } = setUp();
    await feed.subscriptions.subscribe(subscription('c1'));
    failures.push(new DeliveryError('bad gateway', 502, undefined), new DeliveryError('bad gateway', 502, undefined));
    await feed.ingest([makeAlert({ id: 'a1' })]);
    await worker.runOnce();
    advance(1000);
    await worker.runOnce();
    const job = (await store.get<any>(feedKeys.outbox('c1', 'a1')))!.value;
    expect(job.attempts).toBe(2);
    advance(2000);
    await worker.runOnce();
    expect(sent).toHaveLength(1);

    failures.push(new DeliveryError('forbidden', 403, undefined));
    await feed.ingest([makeAlert({ id: 'a2' })]);
    await worker.runOnce();
    expect((await feed.record('a2'))!.value.posts.c1.failed).toBe('status 403');
    expect(await store.list(feedKeys.outboxPrefix)).toEqual([]);
  });

  it('keeps within 7 messages a second per conversation', async () => {
    const { feed, worker, sent, advance } = setUp();
    await feed.subscriptions.subscribe(subscription('c1'));
    await feed.ingest(Array.from({ length: 10 }, (_, index) => makeAlert({ id: `a${index}` })));
    await worker.runOnce();
    expect(sent).toHaveLength(7);
    advance(1000);
    await worker.runOnce();
    expect(sent).toHaveLength(10);
  });

  it("takes over a crashed worker's job once its lease runs out, and posts it once", async () => {
    const { feed, worker, sent, store, advance, options, time } = setUp();
    await feed.subscriptions.subscribe(subscription('c1'));
    await feed.ingest([makeAlert({ id: 'a1' })]);
    const key = feedKeys.outbox('c1', 'a1');
    const job = (await store.get<any>(key))!.value;
    await store.put(key, { ...job, leaseOwner: 'crashed-instance', leaseUntil: time() + 60_000 });
    await worker.runOnce();
    expect(sent).toHaveLength(0);
    advance(60_001);
    await worker.runOnce();
    expect(sent).toHaveLength(1);
    const other = new FeedWorker(options);
    await other.runOnce();
    expect(sent).toHaveLength(1);
  });

  it('claims work once per alert version and attributes triage', async () => {
    const { feed } = setUp();
    await feed.ingest([makeAlert({ id: 'a1' })]);
    const dana = { name: 'Dana', aadObjectId: 'aad-1' };
    const sam = { name: 'Sam', aadObjectId: 'aad-2' };
    const claims = await Promise.all([feed.claimWork('a1', 'explain', dana), feed.claimWork('a1', 'explain', sam)]);
    expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
    expect(claims.find((claim) => !claim.claimed)?.existing?.state).toBe('running');
    await feed.finishWork('a1', 'explain', 'done');
    expect((await feed.claimWork('a1', 'explain', sam)).claimed).toBe(false);

    expect((await feed.triage('a1', { kind: 'acknowledge' }, dana))?.changed).toBe(true);
    expect((await feed.triage('a1', { kind: 'acknowledge' }, sam))?.changed).toBe(false);
    const closed = await feed.triage('a1', { kind: 'close', classification: 'falsePositive' }, sam);
    expect(closed?.record.triage.closed?.by).toEqual(sam);
    expect(closed?.record.alert.status).toBe('resolved');
    expect(await feed.triage('missing', { kind: 'acknowledge' }, dana)).toBeUndefined();
  });
});
