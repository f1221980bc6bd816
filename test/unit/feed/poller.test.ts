import { AlertFeed } from '../../../src/feed/alert-feed';
import { feedKeys } from '../../../src/feed/model';
import { AlertPoller } from '../../../src/feed/poller';
import { silentLogger } from '../../../src/logger';
import { DemoSecurityDataSource } from '../../../src/sources/demo';
import { MemoryStore } from '../../../src/store';

describe('the alert poller over the demo source', () => {
  it('starts at now, picks up live alerts once, and a restart neither misses nor repeats them', async () => {
    let now = Date.parse('2026-11-27T10:00:00Z');
    const clock = () => new Date(now);
    const store = new MemoryStore();
    const source = new DemoSecurityDataSource({ clock, liveAlertIntervalMs: 60_000 });
    const feed = new AlertFeed(store, clock, silentLogger());
    const poller = () =>
      new AlertPoller({ source, feed, store, logger: silentLogger(), clock, intervalMs: 1000, overlapMs: 120_000 });

    // Changed a minute before the feed started: history, not news, even inside the poll overlap.
    await source.updateAlert('da-1004', { status: 'inProgress' });
    now += 60_000;
    await poller().pollOnce();
    expect(await store.get(feedKeys.watermark('demo'))).toBeDefined();
    expect(await store.list(feedKeys.alertPrefix)).toEqual([]);

    now += 90_000; // two live alerts are due (at 1 and 2 minutes)
    await poller().pollOnce();
    const first = await store.list(feedKeys.alertPrefix);
    expect(first).toHaveLength(2);
    expect(first.every((key) => key.includes('live-'))).toBe(true);

    // A "restart": a new poller on the same store sees the overlap again and stores nothing twice.
    now += 61_000;
    await poller().pollOnce();
    const second = await store.list(feedKeys.alertPrefix);
    expect(second).toHaveLength(3);
    const record = (await store.get<any>(second[2]))!.value;
    expect(record.revision).toBe(1);
  });

  it('leaves the demo source as it was without the option', async () => {
    const clock = () => new Date('2026-11-27T10:00:00Z');
    const plain = new DemoSecurityDataSource({ clock });
    expect((await plain.listAlerts()).some((alert) => alert.id.startsWith('live-'))).toBe(false);
  });
});
