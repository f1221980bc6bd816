import { isCopilotError } from '../errors';
import type { Alert, Severity } from '../sources/model';
import { severityAtLeast } from '../sources/normalize';
import type { Store } from '../store/port';
import type { FeedSubscription } from './model';
import { feedKeys } from './model';

/** Channels subscribed to the feed. Subscribing again replaces the threshold and filters. */
export class SubscriptionRegistry {
  constructor(private readonly store: Store) {}

  async subscribe(subscription: FeedSubscription): Promise<void> {
    await this.store.put(feedKeys.subscription(subscription.conversationId), subscription);
  }

  /** Subscribes only if the channel is not subscribed yet; true when this call did it. */
  async create(subscription: FeedSubscription): Promise<boolean> {
    try {
      await this.store.put(feedKeys.subscription(subscription.conversationId), subscription, { ifNoneMatch: '*' });
      return true;
    } catch (error) {
      if (isCopilotError(error) && error.code === 'store_conflict') return false;
      throw error;
    }
  }

  /** Also drops the channel's pending posts: the worker serves subscribed channels only. */
  async unsubscribe(conversationId: string): Promise<boolean> {
    const removed = await this.store.delete(feedKeys.subscription(conversationId));
    for (const key of await this.store.list(feedKeys.outbox(conversationId, ''))) await this.store.delete(key);
    return removed;
  }

  async get(conversationId: string): Promise<FeedSubscription | undefined> {
    return (await this.store.get<FeedSubscription>(feedKeys.subscription(conversationId)))?.value;
  }

  async list(): Promise<FeedSubscription[]> {
    const keys = await this.store.list(feedKeys.subscriptionPrefix);
    const items = await Promise.all(keys.map((key) => this.store.get<FeedSubscription>(key)));
    return items.flatMap((item) => (item ? [item.value] : []));
  }
}

export function subscriptionWants(subscription: FeedSubscription, alert: Alert): boolean {
  if (!severityAtLeast(alert.severity, subscription.minimumSeverity)) return false;
  if (subscription.sources.length === 0) return true;
  const haystack = [alert.serviceSource, alert.productName, alert.detectionSource]
    .filter((value): value is string => typeof value === 'string')
    .map((value) => value.toLowerCase().replace(/\s+/g, ''));
  return subscription.sources.some((wanted) => {
    const needle = wanted.toLowerCase().replace(/\s+/g, '');
    return haystack.some((value) => value.includes(needle));
  });
}

/** "high and above", "medium+", "all", "" → the minimum severity; undefined when the text names none. */
export function parseSeverityThreshold(text: string | undefined): Severity | undefined {
  const words = (text ?? '').toLowerCase();
  for (const severity of ['informational', 'low', 'medium', 'high'] as const) {
    if (new RegExp(`\\b${severity}\\b`).test(words)) return severity;
  }
  if (/\b(?:all|everything|any)\b/.test(words)) return 'informational';
  return undefined;
}
