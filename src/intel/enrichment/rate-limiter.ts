import { ThreatIntelError } from './provider-error';

/** Milliseconds since some epoch; tests pass a virtual clock. */
export type Clock = () => number;
/** Waits, or rejects with the signal's reason when it aborts; tests pass one that advances a virtual clock. */
export type Sleep = (milliseconds: number, signal?: AbortSignal) => Promise<void>;

export interface TokenBucketOptions {
  provider: string;
  requestsPerMinute: number;
  /**
   * Requests allowed back to back before spacing starts. 1 (the default) spaces every request evenly,
   * which is what keeps us inside a "N per minute" window: with a burst of N, up to 2N - 1 requests
   * could land inside one sliding minute.
   */
  burst?: number;
  /** A wait longer than this fails the lookup as throttled rather than holding the caller. */
  maxWaitMs: number;
  clock: Clock;
  sleep: Sleep;
}

/**
 * A token bucket per provider, in its virtual-scheduling form (GCRA): instead of counting tokens it keeps the
 * theoretical time the next request may go, and each caller reserves its slot the moment it arrives. So the
 * wait a caller is quoted includes everyone queued before it, and `maxWaitMs` bounds the real delay from
 * arrival: fifty VirusTotal lookups at 4 a minute do not silently take twelve minutes, the ones past the
 * limit fail at once as throttled (and are named in the result).
 */
export class TokenBucket {
  /** When the next request may go if the bucket were empty ("theoretical arrival time"). */
  private nextSlotAt: number;
  private readonly intervalMs: number;
  /** How far ahead of `nextSlotAt` a request may go: the burst, as time. */
  private readonly toleranceMs: number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.requestsPerMinute > 0)) throw new RangeError('requestsPerMinute must be positive');
    const burst = Math.max(1, Math.floor(options.burst ?? 1));
    this.intervalMs = 60_000 / options.requestsPerMinute;
    this.toleranceMs = (burst - 1) * this.intervalMs;
    this.nextSlotAt = options.clock();
  }

  /**
   * Resolves when the caller may send one request; rejects at once, reserving nothing, when that would be
   * more than `maxWaitMs` away. A caller that aborts while waiting leaves its slot unused: conservative.
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = this.options.clock();
    const slot = Math.max(this.nextSlotAt, now);
    const waitMs = Math.max(0, Math.ceil(slot - this.toleranceMs - now));
    if (waitMs > this.options.maxWaitMs) {
      const { provider, requestsPerMinute } = this.options;
      throw new ThreatIntelError(
        provider,
        'throttled',
        `${provider} lookup not sent: its rate limit (${requestsPerMinute}/min) would delay it ${Math.ceil(waitMs / 1000)} s`,
        { retryAfterMs: waitMs, retryable: false },
      );
    }
    this.nextSlotAt = slot + this.intervalMs;
    if (waitMs > 0) await this.options.sleep(waitMs, signal);
  }
}

// The concurrency limit is shared with the security data sources' HTTP client.
export { ConcurrencyLimit } from '../../http/concurrency';
