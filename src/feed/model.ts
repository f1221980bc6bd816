import type { Alert, Severity } from '../sources/model';

/**
 * The alert feed's stored records. Everything lives in the Store (etag concurrency), so a restart, a crash
 * or a second instance sees the same feed: which channels subscribe, which alerts arrived, where each was
 * posted, what analysts did on its card, and which posts are still to be made.
 */

/** Who clicked: the Teams user as the activity names them. Attributed in the card, the source and the log. */
export interface Analyst {
  name: string;
  /** The Teams user id (29:…). */
  id?: string;
  /** Entra ID (AAD) object id: what the source's audit trail can resolve. */
  aadObjectId?: string;
}

export interface Attribution {
  by: Analyst;
  at: string;
}

/** A channel that wants alert cards, with the conversation reference proactive posts need. */
export interface FeedSubscription {
  /** The channel's conversation id, without any `;messageid=` thread suffix: posts start new threads. */
  conversationId: string;
  /** A Bot Framework conversation reference (kept as JSON; only the edge interprets it). */
  reference: Record<string, unknown>;
  tenantId?: string;
  teamId?: string;
  channelId?: string;
  minimumSeverity: Severity;
  /** Only alerts whose service source or product matches one of these (case-insensitive); empty = all. */
  sources: string[];
  subscribedBy?: Analyst;
  subscribedAt: string;
}

export const feedWorkKinds = ['explain', 'investigate', 'analyze', 'hunt', 'report'] as const;
export type FeedWorkKind = (typeof feedWorkKinds)[number];

export interface FeedWork {
  state: 'running' | 'done' | 'failed';
  by: Analyst;
  at: string;
  /** The alert version the work ran on: a changed alert may be explained again. */
  version: string;
}

export interface FeedTriage {
  acknowledged?: Attribution;
  assigned?: Attribution;
  closed?: Attribution & { classification: CloseClassification };
}

export const closeClassifications = ['truePositive', 'falsePositive', 'informationalExpectedActivity'] as const;
export type CloseClassification = (typeof closeClassifications)[number];

export interface FeedPost {
  activityId?: string;
  postedAt?: string;
  /** The record revision the posted (or last updated) card showed. */
  renderedRevision: number;
  /** Set when the channel refused the post for good (bot removed, conversation gone). */
  failed?: string;
}

/** One alert in the feed. `revision` grows whenever what its card shows changes. */
export interface FeedAlertRecord {
  alert: Alert;
  /** `lastUpdatedAt ?? createdAt`: the dedupe key with the alert id. */
  version: string;
  receivedAt: string;
  revision: number;
  triage: FeedTriage;
  work: Partial<Record<FeedWorkKind, FeedWork>>;
  /** By channel conversation id. */
  posts: Record<string, FeedPost>;
}

/** A pending post or card update for one alert in one channel (at most one per pair; updates coalesce). */
export interface OutboxJob {
  alertId: string;
  conversationId: string;
  enqueuedAt: number;
  attempts: number;
  notBefore: number;
  leaseOwner?: string;
  leaseUntil?: number;
  lastError?: string;
}

const encode = (part: string) => encodeURIComponent(part);

export const feedKeys = {
  subscriptionPrefix: 'feed/subscriptions/',
  subscription: (conversationId: string) => `feed/subscriptions/${encode(conversationId)}`,
  alert: (alertId: string) => `feed/alerts/${encode(alertId)}`,
  alertPrefix: 'feed/alerts/',
  outboxPrefix: 'feed/outbox/',
  outbox: (conversationId: string, alertId: string) => `feed/outbox/${encode(conversationId)}/${encode(alertId)}`,
  watermark: (sourceName: string) => `feed/poller/${encode(sourceName)}`,
  replayPrefix: 'feed/replay/',
};

export function alertVersion(alert: Alert): string {
  return alert.lastUpdatedAt ?? alert.createdAt;
}

/** ISO timestamps with different precision or offsets compare by instant, not as text. */
export function compareVersions(left: string, right: string): number {
  const a = Date.parse(left);
  const b = Date.parse(right);
  if (Number.isNaN(a) || Number.isNaN(b)) return left.localeCompare(right);
  return a - b;
}

/** A channel thread's conversation id (`19:…@thread.tacv2;messageid=…`) as the channel's own. */
export function channelConversationId(conversationId: string): string {
  return conversationId.split(';messageid=')[0];
}
