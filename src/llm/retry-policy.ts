/**
 * Pure retry arithmetic for the LLM adapter: how long the server asked us to wait, how long to back off
 * when it did not say, and when to give up instead of waiting. Kept free of I/O so the numbers are tested
 * directly rather than through timers.
 */

export interface RetryPolicy {
  /** First back-off delay; doubled on every further retry. */
  baseDelayMs: number;
  /** Ceiling of a computed back-off delay (before jitter). */
  maxBackoffMs: number;
  /** The longest single wait we accept; a server asking for more makes us give up at once. */
  maxWaitMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { baseDelayMs: 500, maxBackoffMs: 8_000, maxWaitMs: 30_000 };

/** Response headers as the openai SDK exposes them on an APIError (a plain record, any case). */
export type ResponseHeaders = Record<string, string | null | undefined>;

function headerValue(headers: ResponseHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/**
 * The wait the server asked for, in milliseconds, or undefined when it did not say (or said nonsense).
 * `retry-after-ms` (OpenAI and Azure send it) is more precise, so it wins over `Retry-After`, which is either
 * delta-seconds or an HTTP date (RFC 9110 §10.2.3). A date in the past means "now": 0.
 */
export function parseRetryAfterMs(headers: ResponseHeaders | undefined, now: number = Date.now()): number | undefined {
  const milliseconds = headerValue(headers, 'retry-after-ms');
  if (milliseconds !== undefined && /^\d+(\.\d+)?$/.test(milliseconds)) {
    return Math.ceil(Number(milliseconds));
  }
  const retryAfter = headerValue(headers, 'retry-after');
  if (retryAfter === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
  // Only a real date form counts: Date.parse also accepts strings like "5" or "-1" that are not HTTP dates.
  if (!/[a-z]/i.test(retryAfter)) return undefined;
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Exponential back-off with "equal jitter": half the delay is fixed, half random, so concurrent clients
 * spread out without any of them retrying immediately. `retryIndex` is 0 for the first retry.
 */
export function computeBackoffMs(
  retryIndex: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxBackoffMs'>,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxBackoffMs, policy.baseDelayMs * 2 ** Math.max(0, retryIndex));
  const half = exponential / 2;
  return Math.round(half + random() * half);
}

export type RetryDecision = { action: 'wait'; waitMs: number } | { action: 'give-up'; retryAfterMs?: number };

/**
 * Whether and how long to wait before retry number `retryIndex` (0-based) when `maxRetries` are allowed.
 * A server-requested wait is honoured exactly; one longer than `maxWaitMs` is not worth holding a Teams
 * turn for, so we give up and pass the wait on to the caller.
 */
export function decideRetry(input: {
  retryIndex: number;
  maxRetries: number;
  retryAfterMs?: number;
  policy: RetryPolicy;
  random?: () => number;
}): RetryDecision {
  const { retryIndex, maxRetries, retryAfterMs, policy } = input;
  if (retryIndex >= maxRetries) return { action: 'give-up', retryAfterMs };
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > policy.maxWaitMs) return { action: 'give-up', retryAfterMs };
    return { action: 'wait', waitMs: retryAfterMs };
  }
  const backoff = computeBackoffMs(retryIndex, policy, input.random);
  return { action: 'wait', waitMs: Math.min(backoff, policy.maxWaitMs) };
}

/** Milliseconds to whole seconds for `CopilotError.retryAfterSeconds`, rounding up so callers never retry early. */
export function toRetryAfterSeconds(milliseconds: number | undefined): number | undefined {
  return milliseconds === undefined ? undefined : Math.ceil(milliseconds / 1000);
}

/** Waits `milliseconds`, or rejects with the signal's reason as soon as the signal aborts. */
export function sleepUnlessAborted(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
