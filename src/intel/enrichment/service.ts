import { CircuitBreaker, type CircuitState } from '../../http/circuit-breaker';
import type { RetryPolicy } from '../../llm/retry-policy';
import { sleepUnlessAborted } from '../../llm/retry-policy';
import type { Logger } from '../../logger';
import type { Store } from '../../store';
import { lookupRestriction } from './address-scope';
import { FindingCache, type CacheTtl } from './cache';
import { indicatorKey, indicatorTypeLabel, indicatorTypePluralLabel, normalizeIndicator, refang } from './indicator';
import { ThreatIntelError, isThreatIntelError } from './provider-error';
import { ConcurrencyLimit, TokenBucket, type Clock, type Sleep } from './rate-limiter';
import { resilientLookup, type ResilienceOptions } from './resilience';
import type {
  EnrichmentResult,
  Indicator,
  IndicatorEnrichment,
  NotLookedUpReason,
  ProviderEvidence,
  ProviderFailure,
  ThreatIntelProvider,
} from './types';
import { emptyAssociations } from './types';
import { combineVerdicts, mergeAssociations, summarise } from './verdict';

export const NO_PROVIDER_MESSAGE = 'no threat-intelligence provider configured';

export interface ProviderLimits {
  /** Omitted: no client-side rate limit (the provider's 429s are still honoured). */
  requestsPerMinute?: number;
  burst?: number;
  /** Lookups in flight at once against this provider. */
  maxConcurrent?: number;
}

export interface EnrichmentServiceOptions {
  providers: readonly ThreatIntelProvider[];
  store: Store;
  logger: Logger;
  cacheTtl: CacheTtl;
  /** Keyed by provider id. */
  limits?: Readonly<Record<string, ProviderLimits>>;
  timeoutMs: number;
  maxRetries: number;
  /** The longest we wait for a rate-limit slot or honour a Retry-After before failing the lookup as throttled. */
  maxWaitMs: number;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  /** Per provider: consecutive lookups that found it down (time-out, 5xx, unreachable) before it is skipped. */
  circuit?: { failureThreshold: number; coolDownMs: number };
}

const DEFAULT_MAX_CONCURRENT = 4;
const DEFAULT_CIRCUIT = { failureThreshold: 5, coolDownMs: 60_000 };

/**
 * Looks indicators up at every configured provider that supports them, concurrently across providers, and
 * answers with one normalised verdict per indicator and the evidence behind it. A provider that fails is
 * named in the result; it never fails the whole enrichment. Non-public addresses and internal names never
 * leave: they are answered without asking anyone.
 */
export class EnrichmentService {
  private readonly cache: FindingCache;
  private readonly resilience = new Map<string, ResilienceOptions>();
  /** A provider that keeps failing is skipped for a while (named in the result), so lookups do not wait on it. */
  private readonly circuits = new Map<string, CircuitBreaker>();
  private readonly clock: Clock;

  constructor(private readonly options: EnrichmentServiceOptions) {
    this.clock = options.clock ?? Date.now;
    const sleep = options.sleep ?? sleepUnlessAborted;
    this.cache = new FindingCache(options.store, options.cacheTtl, this.clock, options.logger);
    const retryPolicy: RetryPolicy = { baseDelayMs: 1_000, maxBackoffMs: 8_000, maxWaitMs: options.maxWaitMs };
    for (const provider of options.providers) {
      this.circuits.set(
        provider.id,
        new CircuitBreaker({ ...(options.circuit ?? DEFAULT_CIRCUIT), clock: this.clock }),
      );
      const limits = options.limits?.[provider.id] ?? {};
      this.resilience.set(provider.id, {
        timeoutMs: options.timeoutMs,
        maxRetries: options.maxRetries,
        retryPolicy,
        sleep,
        random: options.random,
        concurrency: new ConcurrencyLimit(limits.maxConcurrent ?? DEFAULT_MAX_CONCURRENT),
        rateLimiter:
          limits.requestsPerMinute === undefined
            ? undefined
            : new TokenBucket({
                provider: provider.name,
                requestsPerMinute: limits.requestsPerMinute,
                burst: limits.burst,
                maxWaitMs: options.maxWaitMs,
                clock: this.clock,
                sleep,
              }),
      });
    }
  }

  /** Each provider's circuit breaker, for /readyz and /metrics. */
  health(): Array<{ api: string; circuit: CircuitState }> {
    return this.options.providers.map((provider) => ({
      api: `threat intelligence: ${provider.name}`,
      circuit: this.circuits.get(provider.id)?.state() ?? 'closed',
    }));
  }

  /** Display names of the configured providers. */
  get providerNames(): string[] {
    return this.options.providers.map((provider) => provider.name);
  }

  async enrich(indicators: readonly Indicator[], options: { signal?: AbortSignal } = {}): Promise<EnrichmentResult> {
    const unique = new Map<string, { indicator: Indicator; valid: boolean }>();
    for (const given of indicators) {
      const normalized = normalizeIndicator(given);
      const indicator = normalized ?? { type: given.type, value: refang(given.value) };
      const key = indicatorKey(indicator);
      if (!unique.has(key)) unique.set(key, { indicator, valid: normalized !== undefined });
    }
    const enriched = await Promise.all(
      [...unique.values()].map(({ indicator, valid }) => this.enrichOne(indicator, valid, options.signal)),
    );
    return {
      indicators: enriched,
      providers: this.providerNames,
      generatedAt: new Date(this.clock()).toISOString(),
    };
  }

  private async enrichOne(
    indicator: Indicator,
    valid: boolean,
    signal: AbortSignal | undefined,
  ): Promise<IndicatorEnrichment> {
    const providers = this.options.providers;
    if (!valid)
      return notLookedUp(
        indicator,
        'invalid-value',
        `not looked up: not a valid ${indicatorTypeLabel(indicator.type)}`,
      );
    if (providers.length === 0) return notLookedUp(indicator, 'no-provider-configured', NO_PROVIDER_MESSAGE);
    const restriction = lookupRestriction(indicator);
    if (restriction !== undefined) return notLookedUp(indicator, restriction.reason, restriction.message);
    const supporting = providers.filter((provider) => provider.supports(indicator));
    if (supporting.length === 0) {
      const types = indicatorTypePluralLabel(indicator.type);
      return notLookedUp(indicator, 'unsupported-type', `not looked up: no configured provider looks up ${types}`);
    }

    const outcomes = await Promise.all(supporting.map((provider) => this.askProvider(provider, indicator, signal)));
    const evidence = outcomes.filter((outcome): outcome is ProviderEvidence => 'verdict' in outcome);
    const failures = outcomes.filter((outcome): outcome is ProviderFailure => 'kind' in outcome);
    const verdict = combineVerdicts(evidence.map((item) => item.verdict));
    return {
      indicator,
      verdict,
      summary: summarise(verdict, evidence, failures),
      evidence,
      failures,
      associations: mergeAssociations(evidence),
    };
  }

  private async askProvider(
    provider: ThreatIntelProvider,
    indicator: Indicator,
    signal: AbortSignal | undefined,
  ): Promise<ProviderEvidence | ProviderFailure> {
    const cached = await this.cache.get(provider.id, indicator);
    if (cached !== undefined) {
      this.options.logger.debug({ provider: provider.id, indicatorType: indicator.type }, 'threat-intel cache hit');
      return { provider: provider.name, ...cached.finding, cached: true, checkedAt: cached.checkedAt };
    }
    const resilience = this.resilience.get(provider.id);
    const circuit = this.circuits.get(provider.id);
    const permit = circuit?.tryAcquire() ?? { allowed: true };
    if (!permit.allowed) {
      const retryAt = new Date(this.clock() + permit.retryAfterMs).toISOString().slice(11, 19);
      return {
        provider: provider.name,
        kind: 'unavailable',
        message: `${provider.name} kept failing, so it is not asked again until ${retryAt} UTC`,
      };
    }
    try {
      if (resilience === undefined) throw new Error(`provider ${provider.id} has no resilience settings`);
      const finding = await resilientLookup(provider, indicator, resilience, signal);
      circuit?.recordSuccess();
      const checkedAt = await this.cache.put(provider.id, indicator, finding);
      return { provider: provider.name, ...finding, cached: false, checkedAt };
    } catch (error) {
      const failure = isThreatIntelError(error)
        ? error
        : new ThreatIntelError(provider.name, 'bad-response', `${provider.name} lookup failed unexpectedly`);
      // Counted as the shared JSON client counts: down (time-outs, 5xx, unreachable) towards opening the circuit,
      // an HTTP answer (auth, rejected) as the provider being up. A 429, our own rate limit refusing to send,
      // a failure before any request (no token) or a cancelled lookup says nothing about the provider.
      const outage = failure.kind === 'timeout' || failure.kind === 'unavailable';
      if (signal?.aborted) circuit?.releaseTrial();
      else circuit?.recordFailedCall({ outage, status: failure.status });
      // Only what we wrote ourselves: no headers, keys or bodies are in a ThreatIntelError's message.
      this.options.logger.warn(
        { provider: provider.id, indicatorType: indicator.type, failure: failure.kind, status: failure.status },
        failure.message,
      );
      return { provider: provider.name, kind: failure.kind, message: failure.message };
    }
  }
}

function notLookedUp(indicator: Indicator, reason: NotLookedUpReason, message: string): IndicatorEnrichment {
  return {
    indicator,
    verdict: 'unknown',
    summary: message,
    notLookedUp: { reason, message },
    evidence: [],
    failures: [],
    associations: emptyAssociations(),
  };
}
