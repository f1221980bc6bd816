/**
 * A simple circuit breaker per API: after `failureThreshold` consecutive failures (the service down, timing
 * out or answering 5xx) it opens and requests fail at once without reaching the network; after `coolDownMs`
 * it lets one trial request through (half-open), whose outcome closes or re-opens it. Auth failures, 4xx
 * answers and throttling say the service is up, so they do not count. Its snapshot feeds /readyz and metrics.
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  /** When an open circuit lets a trial request through (epoch milliseconds). */
  retryAt?: number;
}

export interface CircuitBreakerOptions {
  failureThreshold: number;
  coolDownMs: number;
  clock?: () => number;
}

export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private readonly clock: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    if (!(options.failureThreshold >= 1)) throw new RangeError('failureThreshold must be at least 1');
    this.clock = options.clock ?? Date.now;
  }

  snapshot(): CircuitSnapshot {
    const state = this.state();
    return {
      state,
      consecutiveFailures: this.consecutiveFailures,
      retryAt: this.openedAt === undefined ? undefined : this.openedAt + this.options.coolDownMs,
    };
  }

  state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.clock() - this.openedAt >= this.options.coolDownMs ? 'half-open' : 'open';
  }

  /**
   * Whether a request may go now. In half-open state only one trial goes at a time; the others are refused
   * until it settles. Returns the milliseconds left in the cool-down when refused.
   */
  tryAcquire(): { allowed: true; trial: boolean } | { allowed: false; retryAfterMs: number } {
    const state = this.state();
    if (state === 'closed') return { allowed: true, trial: false };
    const retryAfterMs = Math.max(0, (this.openedAt ?? 0) + this.options.coolDownMs - this.clock());
    if (state === 'open' || this.trialInFlight) return { allowed: false, retryAfterMs };
    this.trialInFlight = true;
    return { allowed: true, trial: true };
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  recordFailure(): void {
    this.consecutiveFailures += 1;
    const wasTrial = this.trialInFlight;
    this.trialInFlight = false;
    if (wasTrial || this.consecutiveFailures >= this.options.failureThreshold) this.openedAt = this.clock();
  }

  /** A trial that ended without saying anything about the service (cancelled, a 4xx): let the next one try. */
  releaseTrial(): void {
    this.trialInFlight = false;
  }

  /**
   * Settles a call that failed, by what the failure says about the service: an outage (no answer in time, a
   * 5xx, unreachable) counts towards opening the circuit; any other HTTP answer but a 429 shows the service is
   * up; the rest (throttled, cancelled, an answer without a status, a failure before the request went out)
   * says nothing.
   */
  recordFailedCall(failure: { outage: boolean; status?: number }): void {
    if (failure.outage) this.recordFailure();
    else if (failure.status !== undefined && failure.status !== 429) this.recordSuccess();
    else this.releaseTrial();
  }
}
