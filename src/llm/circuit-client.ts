import { CircuitBreaker, type CircuitState } from '../http/circuit-breaker';
import { CopilotError, isCopilotError } from '../errors';
import type { LlmClient, StructuredRequest, StructuredResponse } from './port';
import { LlmClientDecorator } from './decorator';

export interface LlmCircuitSettings {
  /** Consecutive failures (provider down, 5xx, time-outs) that open the circuit; 0 = no circuit breaker. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before one trial call may go. */
  coolDownMs: number;
}

/**
 * A circuit breaker around the model (issue 10, item 5): after `failureThreshold` consecutive failures that say
 * the provider is down (it cannot be reached, answers 5xx, or times out) calls fail at once for `coolDownMs`
 * with `llm_unavailable`, so every capability answers with its offline engine and a note at once instead of
 * each analyst waiting out time-outs and retries. Throttling, refusals and unusable answers say the provider is
 * up and do not count. One trial call then closes it again, or re-opens it. Its state is in /readyz and /metrics.
 */
export class CircuitBreakingLlmClient extends LlmClientDecorator {
  private readonly breaker: CircuitBreaker;

  constructor(
    inner: LlmClient,
    private readonly settings: LlmCircuitSettings,
    private readonly clock: () => number = Date.now,
  ) {
    super(inner);
    this.breaker = new CircuitBreaker({ ...settings, clock });
  }

  get circuit(): CircuitState {
    return this.breaker.state();
  }

  async generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResponse<T>> {
    const permit = this.breaker.tryAcquire();
    if (!permit.allowed) {
      const retryAt = new Date(this.clock() + permit.retryAfterMs).toISOString().slice(11, 19);
      throw new CopilotError('llm_unavailable', 'LLM circuit open: not calling the provider', {
        retryable: false,
        retryAfterSeconds: Math.ceil(permit.retryAfterMs / 1000),
        userMessage:
          `The language model is not reachable right now (it failed ${this.settings.failureThreshold} times in a ` +
          `row; I will try it again after ${retryAt} UTC).`,
      });
    }
    try {
      const response = await this.inner.generateStructured(request);
      this.breaker.recordSuccess();
      return response;
    } catch (error) {
      if (isProviderDown(error) && !request.signal?.aborted) this.breaker.recordFailure();
      else if (isCopilotError(error) && error.code.startsWith('llm_') && !request.signal?.aborted) {
        // The provider answered (a 429, a refusal, an answer we could not use): it is up.
        this.breaker.recordSuccess();
      } else this.breaker.releaseTrial();
      throw error;
    }
  }
}

function isProviderDown(error: unknown): boolean {
  return isCopilotError(error) && (error.code === 'llm_unavailable' || error.code === 'llm_timeout') && error.retryable;
}

/** Wraps `llm` in the circuit breaker unless it is switched off (threshold 0). */
export function withLlmCircuit(
  llm: LlmClient | undefined,
  settings: LlmCircuitSettings,
  clock?: () => number,
): { llm: LlmClient | undefined; circuit?: () => CircuitState } {
  if (llm === undefined || settings.failureThreshold === 0) return { llm };
  const breaking = new CircuitBreakingLlmClient(llm, settings, clock);
  return { llm: breaking, circuit: () => breaking.circuit };
}
