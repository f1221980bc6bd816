import { randomUUID } from 'node:crypto';
import { isCopilotError } from '../errors';
import type { Logger } from '../logger';
import type { AdaptiveCard } from '../cards/card-kit';
import type { AlertFeed } from './alert-feed';
import type { FeedAlertRecord, FeedSubscription, OutboxJob } from './model';
import { feedKeys } from './model';
import { ConversationRateLimiter } from './rate-limiter';

/** Where the worker posts: the Teams edge implements it (src/teams/feed/messenger.ts); tests pass fakes. */
export interface ChannelMessenger {
  /** Posts a new message (a new thread in a channel); resolves with the activity id. */
  post(subscription: FeedSubscription, card: AdaptiveCard): Promise<string | undefined>;
  update(subscription: FeedSubscription, activityId: string, card: AdaptiveCard): Promise<void>;
}

/** A failed delivery as the messenger reports it: HTTP status and the service's Retry-After. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }

  /** 429, 412 and 5xx (and no status at all: the connection failed) are worth another try. */
  get retryable(): boolean {
    return this.status === undefined || this.status === 429 || this.status === 412 || this.status >= 500;
  }
}

export interface FeedWorkerOptions {
  feed: AlertFeed;
  messenger: ChannelMessenger;
  render: (record: FeedAlertRecord) => AdaptiveCard;
  logger: Logger;
  limiter?: ConversationRateLimiter;
  now?: () => number;
  /** First retry delay; doubles per attempt up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a claimed job stays ours; a crashed instance's jobs are taken over after it. */
  leaseMs?: number;
  /** Longest sleep between passes when nothing is due (new jobs wake the worker at once). */
  idleMs?: number;
  /** Conversations served in parallel. */
  concurrency?: number;
  /** Jobs read per conversation and pass (a backlog is worked through over several passes). */
  batchPerConversation?: number;
  /** Called once a card is first posted for a job (metrics: the posting lag from `job.enqueuedAt`). */
  onPosted?: (job: OutboxJob) => void;
}

type JobResult = 'done' | 'retry' | 'dropped' | 'busy';

/**
 * Drains the outbox: for each (channel, alert) job, posts the card or updates the posted one, within the
 * per-conversation rate limits, and records the posted activity id on the alert. Failures back off (at
 * least the service's Retry-After); jobs are leased in the store, so a crashed worker's jobs resume — here
 * after a restart, or on another instance once the lease runs out.
 */
export class FeedWorker {
  readonly owner = randomUUID();
  private readonly limiter: ConversationRateLimiter;
  private readonly now: () => number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pendingWake = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: FeedWorkerOptions) {
    this.now = options.now ?? Date.now;
    this.limiter = options.limiter ?? new ConversationRateLimiter(undefined, this.now);
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.feed.onEnqueued(() => this.kick());
    this.loop = this.runLoop();
  }

  /** Stops after the current pass (in-flight posts finish and are recorded). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.kick();
    await this.loop;
  }

  kick(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  /**
   * One pass over the outbox: every due job whose conversation has room is processed. Resolves with the
   * milliseconds until the next job could be due (Infinity when the outbox is empty).
   */
  async runOnce(): Promise<number> {
    let nextDue = Infinity;
    // One read of the subscriptions per pass: conversations still over their rate limit are skipped this pass.
    const ready: string[] = [];
    for (const { conversationId } of await this.options.feed.subscriptions.list()) {
      const delay = this.limiter.delayFor(conversationId);
      if (delay > 0) nextDue = Math.min(nextDue, delay);
      else ready.push(conversationId);
    }
    const jobs = await this.dueJobs(ready);
    const byConversation = new Map<string, Array<{ key: string; job: OutboxJob }>>();
    for (const entry of jobs) {
      const wait = entry.job.notBefore - this.now();
      if (wait > 0) {
        nextDue = Math.min(nextDue, wait);
        continue;
      }
      const list = byConversation.get(entry.job.conversationId) ?? [];
      list.push(entry);
      byConversation.set(entry.job.conversationId, list);
    }
    const queues = [...byConversation.entries()];
    const concurrency = this.options.concurrency ?? 8;
    const serve = async () => {
      for (let next = queues.shift(); next !== undefined; next = queues.shift()) {
        const [conversationId, entries] = next;
        for (const entry of entries) {
          const delay = this.limiter.delayFor(conversationId);
          if (delay > 0) {
            nextDue = Math.min(nextDue, delay);
            break;
          }
          const result = await this.process(entry.key);
          if (result === 'retry') nextDue = Math.min(nextDue, this.options.baseBackoffMs ?? 1_000);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queues.length) }, serve));
    return nextDue;
  }

  private async runLoop(): Promise<void> {
    const idleMs = this.options.idleMs ?? 5_000;
    while (this.running) {
      this.pendingWake = false;
      let waitMs = idleMs;
      try {
        waitMs = Math.min(idleMs, await this.runOnce());
      } catch (error) {
        this.options.logger.error({ err: error }, 'alert feed: outbox pass failed');
      }
      if (!this.running) break;
      if (this.pendingWake) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, waitMs));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /**
   * Due jobs of the given conversations (those with room under their rate limit), oldest first. Listed per
   * conversation (keys are `feed/outbox/<conversation>/<alert>`), so a backlog in one channel neither hides
   * another channel's jobs nor costs a full scan on every pass.
   */
  private async dueJobs(conversations: readonly string[]): Promise<Array<{ key: string; job: OutboxJob }>> {
    const { store } = this.options.feed;
    const now = this.now();
    const perConversation = await Promise.all(
      conversations.map(async (conversationId) => {
        const prefix = feedKeys.outbox(conversationId, '');
        const keys = await store.list(prefix, this.options.batchPerConversation ?? 100);
        const entries = await Promise.all(
          keys.map(async (key) => {
            const item = await store.get<OutboxJob>(key);
            return item ? { key, job: item.value } : undefined;
          }),
        );
        return entries.filter((entry): entry is { key: string; job: OutboxJob } => entry !== undefined);
      }),
    );
    return perConversation
      .flat()
      .filter((entry) => !this.leasedByAnother(entry.job, now))
      .sort((left, right) => left.job.enqueuedAt - right.job.enqueuedAt);
  }

  private async process(key: string): Promise<JobResult> {
    const { store } = this.options.feed;
    const claim = await this.claim(key);
    if (!claim) return 'busy';
    const { job } = claim;
    const [recordItem, subscription] = await Promise.all([
      this.options.feed.record(job.alertId),
      this.options.feed.subscriptions.get(job.conversationId),
    ]);
    if (!recordItem || !subscription) {
      await store.delete(key);
      return 'dropped';
    }
    const record = recordItem.value;
    const post = record.posts[job.conversationId];
    if (post?.failed || (post?.activityId !== undefined && post.renderedRevision >= record.revision)) {
      await this.release(key, claim.etag, undefined);
      return 'done';
    }
    const card = this.options.render(record);
    try {
      this.limiter.record(job.conversationId);
      if (post?.activityId !== undefined) {
        await this.options.messenger.update(subscription, post.activityId, card);
        await this.recordPost(job, { ...post, renderedRevision: record.revision });
      } else {
        const activityId = await this.options.messenger.post(subscription, card);
        await this.recordPost(job, {
          activityId,
          postedAt: new Date(this.now()).toISOString(),
          renderedRevision: record.revision,
        });
        this.options.logger.info(
          { alertId: job.alertId, conversationId: job.conversationId, activityId },
          'alert feed: alert posted',
        );
        this.options.onPosted?.(job);
      }
      await this.release(key, claim.etag, undefined);
      return 'done';
    } catch (error) {
      return this.failed(key, claim, error);
    }
  }

  private async failed(key: string, claim: { job: OutboxJob; etag: string }, error: unknown): Promise<JobResult> {
    const { job } = claim;
    const delivery = error instanceof DeliveryError ? error : undefined;
    const fields = { alertId: job.alertId, conversationId: job.conversationId, attempt: job.attempts + 1 };
    if (delivery && !delivery.retryable) {
      this.options.logger.warn(
        { ...fields, status: delivery.status },
        'alert feed: the channel refused the card; giving up',
      );
      await this.recordPost(job, { renderedRevision: 0, failed: `status ${delivery.status ?? 'unknown'}` });
      await this.release(key, claim.etag, undefined);
      return 'dropped';
    }
    const base = this.options.baseBackoffMs ?? 1_000;
    const backoff = Math.min(this.options.maxBackoffMs ?? 300_000, base * 2 ** Math.min(job.attempts, 20));
    const delayMs = Math.max(backoff, delivery?.retryAfterMs ?? 0);
    if (delivery?.status === 429) this.limiter.pause(job.conversationId, delivery.retryAfterMs ?? backoff);
    this.options.logger.warn(
      { ...fields, status: delivery?.status, delayMs, reason: error instanceof Error ? error.message : String(error) },
      'alert feed: delivery failed; will retry',
    );
    await this.release(key, claim.etag, {
      ...job,
      attempts: job.attempts + 1,
      notBefore: this.now() + delayMs,
      lastError: delivery ? `status ${delivery.status ?? 'none'}` : 'error',
    });
    return 'retry';
  }

  /** Leases the job for this worker; undefined when another worker holds it or it is gone. */
  private async claim(key: string): Promise<{ job: OutboxJob; etag: string } | undefined> {
    const { store } = this.options.feed;
    const item = await store.get<OutboxJob>(key);
    if (!item) return undefined;
    const now = this.now();
    if (this.leasedByAnother(item.value, now) || item.value.notBefore > now) return undefined;
    const job = { ...item.value, leaseOwner: this.owner, leaseUntil: now + (this.options.leaseMs ?? 60_000) };
    try {
      const { etag } = await store.put(key, job, { ifMatch: item.etag });
      return { job, etag };
    } catch (error) {
      if (isCopilotError(error) && error.code === 'store_conflict') return undefined;
      throw error;
    }
  }

  private leasedByAnother(job: OutboxJob, now: number): boolean {
    return Boolean(job.leaseOwner) && job.leaseOwner !== this.owner && (job.leaseUntil ?? 0) > now;
  }

  /**
   * Done: delete the job, unless it was touched while we worked (a newer revision to show) — then it stays,
   * unleased, for the next pass. `retry` rewrites it with its backoff instead.
   */
  private async release(key: string, etag: string, retry: OutboxJob | undefined): Promise<void> {
    const { store } = this.options.feed;
    try {
      if (retry) {
        await store.put(key, withoutLease(retry), { ifMatch: etag });
      } else {
        await store.delete(key, { ifMatch: etag });
      }
      return;
    } catch (error) {
      if (!(isCopilotError(error) && error.code === 'store_conflict')) throw error;
    }
    const current = await store.get<OutboxJob>(key);
    if (!current) return;
    try {
      await store.put(
        key,
        { ...withoutLease(current.value), notBefore: retry?.notBefore ?? 0 },
        { ifMatch: current.etag },
      );
    } catch (error) {
      if (!(isCopilotError(error) && error.code === 'store_conflict')) throw error;
    }
  }

  private async recordPost(job: OutboxJob, post: FeedAlertRecord['posts'][string]): Promise<void> {
    await this.options.feed.mutate(job.alertId, (record) => {
      const current = record.posts[job.conversationId];
      // Keep the first activity id: a card is only ever posted once per channel.
      const activityId = current?.activityId ?? post.activityId;
      const renderedRevision = Math.max(current?.renderedRevision ?? 0, post.renderedRevision);
      return {
        ...record,
        posts: { ...record.posts, [job.conversationId]: { ...current, ...post, activityId, renderedRevision } },
      };
    });
  }
}

function withoutLease(job: OutboxJob): OutboxJob {
  const copy = { ...job };
  delete copy.leaseOwner;
  delete copy.leaseUntil;
  return copy;
}
