import { isCopilotError } from '../errors';
import type { Logger } from '../logger';
import type { Alert } from '../sources/model';
import type { Store, StoredItem } from '../store/port';
import type {
  Analyst,
  CloseClassification,
  FeedAlertRecord,
  FeedSubscription,
  FeedWork,
  FeedWorkKind,
  OutboxJob,
} from './model';
import { alertVersion, compareVersions, feedKeys } from './model';
import { SubscriptionRegistry, subscriptionWants } from './subscriptions';

export type IngestOutcome = 'new' | 'updated' | 'duplicate' | 'stale';
export type IngestSummary = Record<IngestOutcome, number>;

const maxConflictRetries = 10;
/** Work claimed this long ago and still "running" is taken to have died with its instance. */
const staleWorkMs = 10 * 60_000;

const isConflict = (error: unknown) => isCopilotError(error) && error.code === 'store_conflict';

/**
 * The durable side of the alert feed: alerts as records (deduplicated on id + update time), one outbox job
 * per alert and channel still to post or update, and the shared state analysts change from the card
 * (triage, work claims). Every change is an etag'd write, so two instances or two clicks cannot both win.
 * Posting is the worker's job (worker.ts); this class never talks to Teams.
 */
export class AlertFeed {
  readonly subscriptions: SubscriptionRegistry;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly store: Store,
    private readonly clock: () => Date,
    private readonly logger: Logger,
  ) {
    this.subscriptions = new SubscriptionRegistry(store);
  }

  /** Called whenever a job is enqueued (the worker wakes up). */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stores every alert and its outbox jobs; resolves once all of it is durable. */
  async ingest(alerts: readonly Alert[]): Promise<IngestSummary> {
    const summary: IngestSummary = { new: 0, updated: 0, duplicate: 0, stale: 0 };
    const subscriptions = await this.subscriptions.list();
    let enqueued = 0;
    for (const alert of alerts) {
      const { outcome, jobs } = await this.ingestOne(alert, subscriptions);
      summary[outcome] += 1;
      enqueued += jobs;
    }
    if (enqueued > 0) this.notify();
    return summary;
  }

  async record(alertId: string): Promise<StoredItem<FeedAlertRecord> | undefined> {
    return this.store.get<FeedAlertRecord>(feedKeys.alert(alertId));
  }

  /**
   * Claims a piece of work (explain, investigate…) on an alert for one analyst. Not claimed when the same
   * work is running or already done for this version of the alert: `existing` says by whom.
   */
  async claimWork(
    alertId: string,
    kind: FeedWorkKind,
    analyst: Analyst,
  ): Promise<{ claimed: boolean; existing?: FeedWork; record?: FeedAlertRecord }> {
    let existing: FeedWork | undefined;
    const result = await this.mutate(alertId, (record) => {
      const current = record.work[kind];
      const fresh =
        current !== undefined &&
        current.version === record.version &&
        (current.state === 'done' ||
          (current.state === 'running' && this.clock().getTime() - Date.parse(current.at) < staleWorkMs));
      if (fresh) {
        existing = current;
        return undefined;
      }
      const work: FeedWork = { state: 'running', by: analyst, at: this.now(), version: record.version };
      return { ...record, work: { ...record.work, [kind]: work }, revision: record.revision + 1 };
    });
    if (!result) return { claimed: false };
    return { claimed: result.changed, existing, record: result.record };
  }

  async finishWork(
    alertId: string,
    kind: FeedWorkKind,
    state: 'done' | 'failed',
  ): Promise<FeedAlertRecord | undefined> {
    const result = await this.mutate(alertId, (record) => {
      const current = record.work[kind];
      if (!current) return undefined;
      return {
        ...record,
        work: { ...record.work, [kind]: { ...current, state, at: this.now() } },
        revision: record.revision + 1,
      };
    });
    return result?.record;
  }

  /**
   * Acknowledge, assign or close, attributed to the analyst. `changed: false` when the card already says so
   * (a second click, or two analysts at once): the caller tells the analyst who did it first.
   */
  async triage(
    alertId: string,
    action: { kind: 'acknowledge' } | { kind: 'assign' } | { kind: 'close'; classification: CloseClassification },
    analyst: Analyst,
  ): Promise<{ changed: boolean; record: FeedAlertRecord } | undefined> {
    return this.mutate(alertId, (record) => {
      const by = { by: analyst, at: this.now() };
      const triage = { ...record.triage };
      const alert = { ...record.alert };
      switch (action.kind) {
        case 'acknowledge':
          if (triage.acknowledged || triage.closed) return undefined;
          triage.acknowledged = by;
          if (alert.status === 'new') alert.status = 'inProgress';
          break;
        case 'assign':
          if (triage.closed || sameAnalyst(triage.assigned?.by, analyst)) return undefined;
          triage.assigned = by;
          alert.assignedTo = analyst.name;
          if (alert.status === 'new') alert.status = 'inProgress';
          break;
        case 'close':
          if (triage.closed) return undefined;
          triage.closed = { ...by, classification: action.classification };
          alert.status = 'resolved';
          alert.classification = action.classification;
          break;
      }
      return { ...record, alert, triage, revision: record.revision + 1 };
    });
  }

  /** Enqueues a card update for every channel that shows an older revision of the alert. */
  async refreshCards(record: FeedAlertRecord): Promise<void> {
    let enqueued = 0;
    for (const [conversationId, post] of Object.entries(record.posts)) {
      if (post.failed || post.renderedRevision >= record.revision) continue;
      await this.ensureJob(conversationId, record.alert.id);
      enqueued += 1;
    }
    if (enqueued > 0) this.notify();
  }

  /**
   * Read-modify-write with the etag; `change` returns the new record, or undefined for "nothing to change".
   * Undefined when the alert is not in the feed.
   */
  async mutate(
    alertId: string,
    change: (record: FeedAlertRecord) => FeedAlertRecord | undefined,
  ): Promise<{ changed: boolean; record: FeedAlertRecord } | undefined> {
    const key = feedKeys.alert(alertId);
    for (let attempt = 0; attempt < maxConflictRetries; attempt++) {
      const item = await this.store.get<FeedAlertRecord>(key);
      if (!item) return undefined;
      const next = change(structuredClone(item.value));
      if (next === undefined) return { changed: false, record: item.value };
      try {
        await this.store.put(key, next, { ifMatch: item.etag });
        return { changed: true, record: next };
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
    throw new Error(`alert feed record ${alertId} kept changing under ${maxConflictRetries} attempts`);
  }

  /**
   * One job per (channel, alert). A job that already exists is touched (a new etag), so a worker finishing an
   * older revision sees the change and keeps the job instead of deleting it.
   */
  async ensureJob(conversationId: string, alertId: string): Promise<void> {
    const key = feedKeys.outbox(conversationId, alertId);
    for (let attempt = 0; attempt < maxConflictRetries; attempt++) {
      const existing = await this.store.get<OutboxJob & { touched?: number }>(key);
      try {
        if (!existing) {
          const job: OutboxJob = { alertId, conversationId, enqueuedAt: Date.now(), attempts: 0, notBefore: 0 };
          await this.store.put(key, job, { ifNoneMatch: '*' });
        } else {
          const touched = { ...existing.value, touched: (existing.value.touched ?? 0) + 1 };
          await this.store.put(key, touched, { ifMatch: existing.etag });
        }
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  private async ingestOne(
    alert: Alert,
    subscriptions: readonly FeedSubscription[],
  ): Promise<{ outcome: IngestOutcome; jobs: number }> {
    const key = feedKeys.alert(alert.id);
    const version = alertVersion(alert);
    for (let attempt = 0; attempt < maxConflictRetries; attempt++) {
      const existing = await this.store.get<FeedAlertRecord>(key);
      let record: FeedAlertRecord;
      let outcome: IngestOutcome;
      try {
        if (!existing) {
          record = { alert, version, receivedAt: this.now(), revision: 1, triage: {}, work: {}, posts: {} };
          await this.store.put(key, record, { ifNoneMatch: '*' });
          outcome = 'new';
        } else if (compareVersions(version, existing.value.version) > 0) {
          record = { ...existing.value, alert, version, revision: existing.value.revision + 1 };
          await this.store.put(key, record, { ifMatch: existing.etag });
          outcome = 'updated';
        } else {
          record = existing.value;
          outcome = compareVersions(version, existing.value.version) === 0 ? 'duplicate' : 'stale';
        }
      } catch (error) {
        if (isConflict(error)) continue;
        throw error;
      }
      // Also for duplicates: a crash between the record and its jobs is repaired when the sender retries.
      const jobs = await this.ensureJobsFor(record, subscriptions);
      if (outcome !== 'duplicate') {
        this.logger.info(
          { alertId: alert.id, severity: alert.severity, outcome, channels: jobs },
          'alert feed: alert stored',
        );
      }
      return { outcome, jobs };
    }
    throw new Error(`alert feed record ${alert.id} kept changing under ${maxConflictRetries} attempts`);
  }

  private async ensureJobsFor(record: FeedAlertRecord, subscriptions: readonly FeedSubscription[]): Promise<number> {
    let jobs = 0;
    for (const subscription of subscriptions) {
      const post = record.posts[subscription.conversationId];
      if (post?.failed) continue;
      if (post === undefined && !subscriptionWants(subscription, record.alert)) continue;
      if (post !== undefined && post.renderedRevision >= record.revision) continue;
      await this.ensureJob(subscription.conversationId, record.alert.id);
      jobs += 1;
    }
    return jobs;
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

function sameAnalyst(left: Analyst | undefined, right: Analyst): boolean {
  if (!left) return false;
  if (left.aadObjectId && right.aadObjectId) return left.aadObjectId === right.aadObjectId;
  return left.id !== undefined && left.id === right.id;
}
