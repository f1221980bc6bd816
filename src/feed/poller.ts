import { isCopilotError } from '../errors';
import type { Logger } from '../logger';
import type { SecurityDataSource } from '../sources/port';
import type { Store } from '../store/port';
import type { AlertFeed } from './alert-feed';
import { alertVersion, compareVersions, feedKeys } from './model';

export interface AlertPollerOptions {
  source: SecurityDataSource;
  feed: AlertFeed;
  store: Store;
  logger: Logger;
  clock: () => Date;
  intervalMs: number;
  /**
   * Re-read this far behind the watermark: sources publish updates late (Graph's lastUpdateDateTime is
   * eventually consistent). What comes back twice is deduplicated on id + update time.
   */
  overlapMs?: number;
  /** Most alerts one poll asks for. */
  limit?: number;
}

interface Watermark {
  lastUpdatedAt: string;
  /** When polling first started: the overlap never reaches back before it (no history is posted). */
  startedAt?: string;
}

/**
 * Polls the configured source for alerts updated since the stored watermark and feeds them to the outbox.
 * The watermark moves only after the alerts are stored, so a restart neither misses alerts (they are read
 * again) nor repeats them (the feed drops what it already has). A first start begins at "now": the feed
 * posts new alerts, not the source's history.
 */
export class AlertPoller {
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly options: AlertPollerOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
  }

  /** One poll; resolves with how many alerts the source returned. */
  async pollOnce(): Promise<number> {
    const { source, store, feed, clock } = this.options;
    const key = feedKeys.watermark(source.name);
    const stored = await store.get<Watermark>(key);
    if (!stored) {
      const now = clock().toISOString();
      await store.put(key, { lastUpdatedAt: now, startedAt: now }, { ifNoneMatch: '*' });
      return 0;
    }
    const since = new Date(
      Math.max(
        Date.parse(stored.value.lastUpdatedAt) - (this.options.overlapMs ?? 120_000),
        Date.parse(stored.value.startedAt ?? stored.value.lastUpdatedAt) || 0,
      ),
    );
    const limit = this.options.limit ?? 500;
    const alerts = await source.listAlerts({ since, limit });
    if (alerts.length >= limit) {
      this.options.logger.warn({ source: source.name, limit }, 'alert poller: a full page came back; poll more often');
    }
    const oldestFirst = [...alerts].sort((left, right) => compareVersions(alertVersion(left), alertVersion(right)));
    const summary = await feed.ingest(oldestFirst);
    const newest = oldestFirst
      .map(alertVersion)
      .reduce(
        (latest, version) => (compareVersions(version, latest) > 0 ? version : latest),
        stored.value.lastUpdatedAt,
      );
    if (newest !== stored.value.lastUpdatedAt) {
      // Only this poller moves it; an etag conflict means another instance polls too, and its value is as good.
      try {
        await store.put(key, { ...stored.value, lastUpdatedAt: newest }, { ifMatch: stored.etag });
      } catch (error) {
        if (!(isCopilotError(error) && error.code === 'store_conflict')) throw error;
      }
    }
    if (summary.new + summary.updated > 0) {
      this.options.logger.info({ source: source.name, ...summary }, 'alert poller: alerts fed');
    }
    return alerts.length;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.pollOnce()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.options.logger.warn(
            { source: this.options.source.name, reason: error instanceof Error ? error.message : String(error) },
            'alert poller: poll failed; trying again next interval',
          );
        })
        .finally(() => this.schedule(this.options.intervalMs));
    }, delayMs);
    this.timer.unref?.();
  }
}
