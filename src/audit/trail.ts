import { randomUUID } from 'node:crypto';
import { startPeriodicJob } from '../jobs/periodic';
import { isCopilotError } from '../errors';
import type { Store } from '../store/port';
import type { AuditRecord } from './record';
import { redactDeep } from '../security/redact';

export const auditPrefix = 'audit/';
const dayMs = 24 * 60 * 60 * 1000;

/** `audit/<yyyy-mm-dd>/<hhmmssmmm>-<id>`: one day per prefix, time order inside a day. */
export function auditKey(record: Pick<AuditRecord, 'at' | 'id'>): string {
  const iso = new Date(record.at).toISOString();
  return `${auditPrefix}${iso.slice(0, 10)}/${iso.slice(11, 23).replace(/[:.]/g, '')}-${record.id}`;
}

function dayOfKey(key: string): string | undefined {
  return /^audit\/(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
}

export interface LlmPrices {
  promptPer1k: number;
  completionPer1k: number;
}

/** The cost of a record's tokens at the configured prices, to a hundredth of a cent; undefined without both. */
export function estimateCostUsd(tokens: AuditRecord['tokens'], prices: LlmPrices | undefined): number | undefined {
  if (tokens === undefined || prices === undefined) return undefined;
  const cost = (tokens.prompt * prices.promptPer1k + tokens.completion * prices.completionPer1k) / 1000;
  return Math.round(cost * 10_000) / 10_000;
}

/**
 * Where stored audit records are copied to (a Log Analytics table, src/audit/logs-ingestion). The store stays the
 * source of truth: a sink gets a record only once it is stored, and may lose it without failing anything.
 */
export interface AuditSink {
  /** Takes a stored (redacted) record; never throws and never waits on the network. */
  accept(record: AuditRecord): void;
  /** Stops taking records and sends what is queued within the deadline. */
  close(deadlineMs: number): Promise<void>;
}

/**
 * The append-only audit trail, kept in the Store (so the same SQLite file or Blob container as everything
 * else). Records are written create-only (`ifNoneMatch: '*'`): an existing record is never overwritten.
 */
export class AuditTrail {
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
    /** USD per 1,000 prompt and completion tokens (LLM_PRICE_PER_1K_*); unset = no cost estimate. */
    private readonly prices?: LlmPrices,
    /** Gets each record after it is stored (AUDIT_LOGS_*); unset = the store only. */
    private readonly sink?: Pick<AuditSink, 'accept'>,
  ) {}

  /** Stores a record (redacted again here, whoever built it) with its estimated LLM cost, and returns its key. */
  async append(record: Omit<AuditRecord, 'id'> & { id?: string }): Promise<string> {
    const estimatedCostUsd = estimateCostUsd(record.tokens, this.prices);
    const full = redactDeep({
      ...record,
      id: record.id ?? randomUUID(),
      ...(estimatedCostUsd === undefined ? {} : { estimatedCostUsd }),
    }) as AuditRecord;
    const key = auditKey(full);
    await this.store.put(key, full, { ifNoneMatch: '*' });
    this.sink?.accept(full);
    return key;
  }

  /** Records from `since` (inclusive) to `until` (default now), oldest first. */
  async *between(since: Date, until: Date = this.clock()): AsyncGenerator<AuditRecord> {
    const sinceMs = since.getTime();
    const untilMs = until.getTime();
    for (let day = startOfDay(sinceMs); day <= untilMs; day += dayMs) {
      const prefix = `${auditPrefix}${new Date(day).toISOString().slice(0, 10)}/`;
      for (const key of await this.store.list(prefix)) {
        const record = (await this.store.get<AuditRecord>(key))?.value;
        if (record === undefined) continue;
        const at = Date.parse(record.at);
        if (at >= sinceMs && at <= untilMs) yield record;
      }
    }
  }

  /** The newest records of one person (by AAD object id, else channel user id), newest first. */
  async recentFor(
    actor: { aadObjectId?: string; userId: string },
    limit = 10,
    lookbackDays = 30,
  ): Promise<AuditRecord[]> {
    const found: AuditRecord[] = [];
    const today = startOfDay(this.clock().getTime());
    for (let back = 0; back < lookbackDays && found.length < limit; back += 1) {
      const prefix = `${auditPrefix}${new Date(today - back * dayMs).toISOString().slice(0, 10)}/`;
      const keys = (await this.store.list(prefix)).reverse();
      for (const key of keys) {
        const record = (await this.store.get<AuditRecord>(key))?.value;
        if (record !== undefined && sameActor(record.actor, actor)) found.push(record);
        if (found.length >= limit) break;
      }
    }
    return found;
  }

  /**
   * Deletes records of days older than the retention (a record of day D goes once D + retentionDays has
   * passed). Returns how many were removed. Safe to run on several instances at once.
   */
  async cleanup(retentionDays: number): Promise<number> {
    const cutoffDay = new Date(startOfDay(this.clock().getTime()) - retentionDays * dayMs).toISOString().slice(0, 10);
    let removed = 0;
    for (const key of await this.store.list(auditPrefix)) {
      const day = dayOfKey(key);
      if (day === undefined || day >= cutoffDay) continue;
      try {
        if (await this.store.delete(key)) removed += 1;
      } catch (error) {
        if (!isCopilotError(error) || error.code !== 'store_conflict') throw error;
      }
    }
    return removed;
  }
}

function sameActor(recorded: AuditRecord['actor'], asked: { aadObjectId?: string; userId: string }): boolean {
  if (asked.aadObjectId) return recorded.aadObjectId === asked.aadObjectId;
  return recorded.userId === asked.userId;
}

function startOfDay(ms: number): number {
  return Math.floor(ms / dayMs) * dayMs;
}

/** Starts a timer that applies the retention now and then every `intervalMs` (default daily); returns a stop function. */
export function startAuditRetention(
  trail: AuditTrail,
  retentionDays: number,
  onResult: (result: { removed: number } | { error: unknown }) => void,
  intervalMs = dayMs,
): () => void {
  return startPeriodicJob(() => trail.cleanup(retentionDays), onResult, intervalMs);
}
