import { isCopilotError } from '../../errors';
import type { Store } from '../../store/port';

/**
 * What a thread (a channel thread, a group chat or a 1:1 chat) last talked about, so "investigate it", "now the
 * report for executives", "run it" or "hunt for the second IP" resolve without repeating ids. Only ids,
 * indicators and the last query are kept: never message text, never results.
 */
export interface ThreadSubject {
  alertId?: string;
  incidentId?: string;
  /** Indicators in the order the analyst gave them (refanged), for "the second IP". */
  indicators?: RememberedIndicator[];
  query?: { query: string; platform: 'sentinel' | 'defender' };
  updatedAt: string;
}

export interface RememberedIndicator {
  /** The extractor's type (ipv4, domain, url, sha256, …). */
  type: string;
  value: string;
}

export type ThreadSubjectPatch = Partial<Omit<ThreadSubject, 'updatedAt'>>;

/** A thread's subject is forgotten after a working day without activity: "it" should not reach back to last week. */
export const THREAD_MEMORY_TTL_MS = 12 * 60 * 60 * 1000;
const MAXIMUM_INDICATORS = 50;
const MAXIMUM_QUERY_LENGTH = 20_000;

export const threadKey = (conversationId: string) => `threads/${conversationId}`;

export class ThreadMemory {
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
    private readonly ttlMs = THREAD_MEMORY_TTL_MS,
  ) {}

  async recall(conversationId: string | undefined): Promise<ThreadSubject | undefined> {
    if (!conversationId) return undefined;
    const stored = await this.store.get<ThreadSubject>(threadKey(conversationId));
    return stored && this.fresh(stored.value) ? stored.value : undefined;
  }

  private fresh(subject: ThreadSubject): boolean {
    const age = this.clock().getTime() - Date.parse(subject.updatedAt);
    return Number.isFinite(age) && age <= this.ttlMs;
  }

  /**
   * Merges what a turn was about into the thread's subject. A new alert without an incident clears the old
   * incident (and the reverse is kept: an incident's alerts stay "its"), so "it" means the latest thing.
   * Concurrent turns in one thread are rare; on an etag conflict the patch is applied once more on the fresh copy.
   */
  async remember(conversationId: string | undefined, patch: ThreadSubjectPatch): Promise<void> {
    if (!conversationId || Object.values(patch).every((value) => value === undefined)) return;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const key = threadKey(conversationId);
      const stored = await this.store.get<ThreadSubject>(key);
      const current = stored && this.fresh(stored.value) ? stored.value : undefined;
      const next = merge(current, patch, this.clock().toISOString());
      try {
        await this.store.put(key, next, stored ? { ifMatch: stored.etag } : { ifNoneMatch: '*' });
        return;
      } catch (error) {
        if (!isCopilotError(error) || error.code !== 'store_conflict' || attempt === 1) throw error;
      }
    }
  }
}

function merge(current: ThreadSubject | undefined, patch: ThreadSubjectPatch, now: string): ThreadSubject {
  const next: ThreadSubject = { ...(current ?? {}), updatedAt: now };
  if (patch.alertId !== undefined) {
    next.alertId = patch.alertId;
    next.incidentId = patch.incidentId;
  } else if (patch.incidentId !== undefined) {
    next.incidentId = patch.incidentId;
    if (current?.incidentId !== patch.incidentId) delete next.alertId;
  }
  if (patch.indicators !== undefined && patch.indicators.length > 0)
    next.indicators = patch.indicators.slice(0, MAXIMUM_INDICATORS);
  if (patch.query !== undefined && patch.query.query.length <= MAXIMUM_QUERY_LENGTH) next.query = patch.query;
  if (next.incidentId === undefined) delete next.incidentId;
  if (next.alertId === undefined) delete next.alertId;
  return next;
}
