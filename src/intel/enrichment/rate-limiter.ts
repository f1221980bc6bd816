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
 * A token bucket per provider. Callers are served in arrival order (a chain of promises), so concurrent
 * lookups line up behind each other instead of all waking at once and over-spending the bucket.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly capacity: number;
  private readonly tokensPerMs: number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.requestsPerMinute > 0)) throw new RangeError('requestsPerMinute must be positive');
    this.capacity = Math.max(1, Math.floor(options.burst ?? 1));
    this.tokensPerMs = options.requestsPerMinute / 60_000;
    this.tokens = this.capacity;
    this.updatedAt = options.clock();
  }

  /** Resolves when the caller may send one request; rejects when the wait would exceed `maxWaitMs`. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.take(signal));
    // The next caller waits for this turn to finish, whether it got a token or gave up.
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async take(signal?: AbortSignal): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      const waitMs = Math.ceil((1 - this.tokens) / this.tokensPerMs);
      if (waitMs > this.options.maxWaitMs) {
        const { provider, requestsPerMinute } = this.options;
        throw new ThreatIntelError(
          provider,
          'throttled',
          `${provider} lookup not sent: its rate limit (${requestsPerMinute}/min) would delay it ${Math.ceil(waitMs / 1000)} s`,
          { retryAfterMs: waitMs, retryable: false },
        );
      }
      await this.options.sleep(waitMs, signal);
      this.refill();
    }
    this.tokens = Math.max(0, this.tokens - 1);
  }

  private refill(): void {
    const now = this.options.clock();
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.tokensPerMs);
    this.updatedAt = now;
  }
}

/** At most `limit` tasks at once; the rest wait in arrival order. */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError('limit must be at least 1');
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}
