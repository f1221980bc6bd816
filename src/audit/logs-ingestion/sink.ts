import { toCopilotError } from '../../errors';
import type { Logger } from '../../logger';
import type { AuditRecord } from '../record';
import type { AuditSink } from '../trail';
import { toAuditTableRow, type AuditTableRow } from './columns';

/** What happened to records handed to the sink: sent, refused or unreachable (failed), or pushed out of a full queue. */
export type AuditSinkOutcome = 'sent' | 'failed' | 'dropped';

/** Sends one batch of rows; throws (a CopilotError) when the service did not take them. */
export type UploadRows = (rows: AuditTableRow[], signal?: AbortSignal) => Promise<void>;

export interface BatchingAuditSinkOptions {
  upload: UploadRows;
  logger: Logger;
  /** Records waiting at most; beyond it the oldest go (counted as dropped). */
  maxQueue?: number;
  /** Rows per request at most. */
  maxBatchRecords?: number;
  /** JSON bytes per request at most: the Logs Ingestion API refuses bodies over 1 MB with 413. */
  maxBatchBytes?: number;
  /** A partly filled batch waits this long for more records before it is sent. */
  flushIntervalMs?: number;
  /** Counts per outcome, for metrics. */
  onOutcome?: (outcome: AuditSinkOutcome, records: number) => void;
}

export const batchingDefaults = {
  maxQueue: 10_000,
  maxBatchRecords: 500,
  // 1 MB is the API's limit; the margin covers the array brackets and commas and any rounding in between.
  maxBatchBytes: 900_000,
  flushIntervalMs: 5_000,
};

interface QueuedRow {
  row: AuditTableRow;
  bytes: number;
}

/**
 * Hands audit records to an upload function in batches, off the turn: `accept` maps the record and queues it
 * (never waits, never throws); a full batch (by count or bytes) is sent at once, a partial one after
 * `flushIntervalMs`. The queue is bounded: when the service is slow or down, the oldest records are dropped and
 * counted, with a warning, rather than growing memory (the store keeps every record regardless). A failed batch
 * is counted and logged with its error code only (never the rows, a header or a token); the records behind it
 * wait for the next interval. `close` sends what it can before a deadline.
 */
export class BatchingAuditSink implements AuditSink {
  private queue: QueuedRow[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;
  /** After a failed batch, full batches wait for the interval too, instead of hitting a failing service per record. */
  private backingOff = false;
  private droppedSinceWarning = 0;
  private readonly settings: typeof batchingDefaults;

  constructor(private readonly options: BatchingAuditSinkOptions) {
    this.settings = {
      maxQueue: options.maxQueue ?? batchingDefaults.maxQueue,
      maxBatchRecords: options.maxBatchRecords ?? batchingDefaults.maxBatchRecords,
      maxBatchBytes: options.maxBatchBytes ?? batchingDefaults.maxBatchBytes,
      flushIntervalMs: options.flushIntervalMs ?? batchingDefaults.flushIntervalMs,
    };
  }

  /** Records waiting to be sent. */
  get pending(): number {
    return this.queue.length;
  }

  accept(record: AuditRecord): void {
    if (this.closed) return;
    let row: AuditTableRow;
    let bytes: number;
    try {
      row = toAuditTableRow(record);
      bytes = Buffer.byteLength(JSON.stringify(row), 'utf8') + 1;
    } catch (error) {
      this.count('failed', 1);
      this.options.logger.warn(
        { code: toCopilotError(error).code },
        'audit record could not be mapped for Log Analytics',
      );
      return;
    }
    if (bytes + 2 > this.settings.maxBatchBytes) {
      this.count('failed', 1);
      this.options.logger.warn({ code: 'too_large', bytes }, 'audit record too large for one Log Analytics request');
      return;
    }
    this.queue.push({ row, bytes });
    this.queuedBytes += bytes;
    if (this.queue.length > this.settings.maxQueue) {
      const excess = this.queue.length - this.settings.maxQueue;
      this.remove(excess);
      this.count('dropped', excess);
      // One warning when dropping starts; the running count follows with the next flush.
      if (this.droppedSinceWarning === 0) {
        this.options.logger.warn(
          { maxQueue: this.settings.maxQueue },
          'audit sink queue full: the oldest records are dropped (Log Analytics slow or unreachable)',
        );
      }
      this.droppedSinceWarning += excess;
    }
    const full =
      this.queue.length >= this.settings.maxBatchRecords || this.queuedBytes + 2 >= this.settings.maxBatchBytes;
    if (full && !this.backingOff) {
      void this.flush();
    } else {
      this.schedule();
    }
  }

  /** Sends queued records in batches until the queue is empty, a batch fails, or `signal` aborts. */
  flush(signal?: AbortSignal): Promise<void> {
    this.flushing ??= this.drain(signal).finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0 && !this.closed) this.schedule();
    });
    return this.flushing;
  }

  /**
   * Stops accepting records and sends what is queued within `deadlineMs`; what is still queued then is counted as
   * failed. A batch in flight at the deadline is not waited for (its outcome is still counted when it settles).
   */
  async close(deadlineMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    const deadline = AbortSignal.timeout(Math.max(1, deadlineMs));
    const expired = new Promise<void>((resolve) => deadline.addEventListener('abort', () => resolve(), { once: true }));
    const sendRest = async (): Promise<void> => {
      await this.flushing;
      await this.flush(deadline);
    };
    await Promise.race([sendRest(), expired]);
    const left = this.queue.length;
    if (left > 0) {
      this.remove(left);
      this.count('failed', left);
      this.options.logger.warn({ records: left }, 'audit records not sent to Log Analytics before shutdown');
    }
  }

  private async drain(signal: AbortSignal | undefined): Promise<void> {
    this.clearTimer();
    while (this.queue.length > 0 && !signal?.aborted) {
      const batch = this.takeBatch();
      try {
        await this.options.upload(
          batch.map((queued) => queued.row),
          signal,
        );
        this.count('sent', batch.length);
        this.backingOff = false;
      } catch (error) {
        this.backingOff = true;
        const failure = toCopilotError(error);
        this.count('failed', batch.length);
        this.options.logger.warn(
          { code: failure.code, status: (error as { status?: unknown }).status, records: batch.length },
          'audit records not sent to Log Analytics',
        );
        // The service is failing: the rest waits for the next interval instead of failing right behind it.
        break;
      }
    }
    if (this.droppedSinceWarning > 0) {
      this.options.logger.warn({ dropped: this.droppedSinceWarning }, 'audit sink dropped records from a full queue');
      this.droppedSinceWarning = 0;
    }
  }

  /** The oldest records that fit one request (at least one: every queued row fits alone). */
  private takeBatch(): QueuedRow[] {
    let bytes = 2;
    let count = 0;
    for (const queued of this.queue) {
      if (count >= this.settings.maxBatchRecords) break;
      if (count > 0 && bytes + queued.bytes > this.settings.maxBatchBytes) break;
      bytes += queued.bytes;
      count += 1;
    }
    return this.remove(count);
  }

  private remove(count: number): QueuedRow[] {
    const removed = this.queue.splice(0, count);
    for (const queued of removed) this.queuedBytes -= queued.bytes;
    return removed;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.backingOff = false;
      void this.flush();
    }, this.settings.flushIntervalMs);
    // A pending flush must not keep a CLI or a test process alive; shutdown flushes explicitly.
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private count(outcome: AuditSinkOutcome, records: number): void {
    if (records > 0) this.options.onOutcome?.(outcome, records);
  }
}
