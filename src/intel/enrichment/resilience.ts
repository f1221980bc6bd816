import { decideRetry, type RetryPolicy } from '../../llm/retry-policy';
import { ThreatIntelError, isThreatIntelError } from './provider-error';
import type { ConcurrencyLimit, Sleep, TokenBucket } from './rate-limiter';
import type { Indicator, ProviderFinding, ThreatIntelProvider } from './types';

export interface ResilienceOptions {
  /** Per attempt: the provider gets this long to answer one request. */
  timeoutMs: number;
  /** Retries after the first attempt, for 429, retryable 5xx, time-outs and connection errors. */
  maxRetries: number;
  /** Back-off and the longest Retry-After we honour (a longer one fails the lookup as throttled). */
  retryPolicy: RetryPolicy;
  rateLimiter?: TokenBucket;
  concurrency?: ConcurrencyLimit;
  sleep: Sleep;
  random?: () => number;
}

/**
 * One provider lookup with everything an external API needs around it: a rate-limit slot per attempt (retries
 * spend quota too), a place in the provider's concurrency limit, a time-out per attempt, and bounded retries
 * honouring Retry-After. Whatever goes wrong comes out as a ThreatIntelError.
 */
export async function resilientLookup(
  provider: ThreatIntelProvider,
  indicator: Indicator,
  options: ResilienceOptions,
  signal?: AbortSignal,
): Promise<ProviderFinding> {
  for (let retryIndex = 0; ; retryIndex += 1) {
    try {
      // The rate-limit slot is reserved before queueing for a concurrency slot: reserved on arrival, the
      // quoted wait covers everyone ahead, so the wait bound holds however long the queue is.
      await options.rateLimiter?.acquire(signal);
      const attempt = () => attemptWithTimeout(provider, indicator, options.timeoutMs, signal);
      return await (options.concurrency ? options.concurrency.run(attempt) : attempt());
    } catch (error) {
      const failure = asThreatIntelError(provider.name, error, signal);
      if (!failure.retryable || signal?.aborted) throw failure;
      const decision = decideRetry({
        retryIndex,
        maxRetries: options.maxRetries,
        retryAfterMs: failure.retryAfterMs,
        policy: options.retryPolicy,
        random: options.random,
      });
      if (decision.action === 'give-up') throw failure;
      await options.sleep(decision.waitMs, signal);
    }
  }
}

async function attemptWithTimeout(
  provider: ThreatIntelProvider,
  indicator: Indicator,
  timeoutMs: number,
  outer: AbortSignal | undefined,
): Promise<ProviderFinding> {
  const controller = new AbortController();
  const timeout = new ThreatIntelError(
    provider.name,
    'timeout',
    `${provider.name} did not answer within ${timeoutMs} ms`,
  );
  const timer = setTimeout(() => controller.abort(timeout), timeoutMs);
  const forwardAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', forwardAbort, { once: true });
  try {
    if (outer?.aborted) throw outer.reason;
    const lookup = provider.lookup(indicator, controller.signal);
    // Once the race below is decided by the abort, the lookup's own late rejection is expected and already
    // reported through the race; without a handler Node would report it as unhandled.
    lookup.catch(() => undefined);
    // The adapter may not notice the abort (a credential call, a mapper stuck on a huge body): the race
    // makes the time-out hold regardless.
    return await Promise.race([
      lookup,
      new Promise<never>((_resolve, reject) => {
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', forwardAbort);
  }
}

/** Adapters throw ThreatIntelErrors; anything else is a bug in a mapper, reported as a bad response. */
function asThreatIntelError(providerName: string, error: unknown, signal: AbortSignal | undefined): ThreatIntelError {
  if (isThreatIntelError(error)) return error;
  if (signal?.aborted) {
    return new ThreatIntelError(providerName, 'unavailable', `${providerName} lookup was cancelled`, {
      retryable: false,
    });
  }
  const detail = error instanceof Error ? error.name : typeof error;
  return new ThreatIntelError(providerName, 'bad-response', `${providerName} lookup failed unexpectedly (${detail})`);
}
