import type { TokenCredential } from '@azure/identity';
import type { Logger } from '../../logger';
import type { Store } from '../../store';
import { abuseIpDbProvider } from './adapters/abuseipdb';
import { mdtiProvider } from './adapters/mdti';
import { otxProvider } from './adapters/otx';
import { virusTotalProvider } from './adapters/virustotal';
import type { FetchFunction } from './http';
import type { Clock, Sleep } from './rate-limiter';
import { EnrichmentService, type ProviderLimits } from './service';
import { resolveEnrichmentSettings, type EnrichmentSettings } from './settings';
import type { ThreatIntelProvider } from './types';

export type * from './types';
export { INDICATOR_TYPES, VERDICTS, emptyAssociations } from './types';
export { EnrichmentService, NO_PROVIDER_MESSAGE } from './service';
export type { EnrichmentServiceOptions, ProviderLimits } from './service';
export { ENRICHMENT_DEFAULTS, resolveEnrichmentSettings } from './settings';
export type { EnrichmentSettings, ResolvedEnrichmentSettings } from './settings';
export {
  detectIndicatorType,
  indicatorTypeLabel,
  indicatorTypePluralLabel,
  normalizeIndicator,
  parseIndicator,
  refang,
} from './indicator';
export { addressRestriction, lookupRestriction, nameRestriction } from './address-scope';
export { ThreatIntelError, isThreatIntelError } from './provider-error';
export { CACHE_KEY_PREFIX } from './cache';
export { combineVerdicts, verdictWord } from './verdict';
export { TokenBucket } from './rate-limiter';
export type { Clock, Sleep } from './rate-limiter';
export type { FetchFunction } from './http';
export { virusTotalProvider, abuseIpDbProvider, otxProvider, mdtiProvider };

export interface EnrichmentDependencies {
  store: Store;
  logger: Logger;
  /** Defaults to the global fetch. */
  fetch?: FetchFunction;
  /** For Microsoft Defender TI; defaults to DefaultAzureCredential, loaded on first use. */
  credential?: TokenCredential;
  clock?: Clock;
  sleep?: Sleep;
  /** Base URLs by provider id (virustotal, abuseipdb, otx, mdti), for tests against loopback fakes. */
  endpoints?: Partial<Record<'virustotal' | 'abuseipdb' | 'otx' | 'mdti', string>>;
}

/**
 * The enrichment service the settings ask for: each provider enabled by its key (Microsoft Defender TI by
 * `mdtiEnabled`). With none configured, every indicator is answered as unknown with "no threat-intelligence
 * provider configured".
 */
export function createEnrichmentService(
  settings: EnrichmentSettings,
  dependencies: EnrichmentDependencies,
): EnrichmentService {
  const resolved = resolveEnrichmentSettings(settings);
  const { fetch: fetchFunction, endpoints = {} } = dependencies;
  const providers: ThreatIntelProvider[] = [];
  const limits: Record<string, ProviderLimits> = {};

  if (resolved.virusTotalApiKey !== undefined) {
    providers.push(
      virusTotalProvider({ apiKey: resolved.virusTotalApiKey, baseUrl: endpoints.virustotal, fetch: fetchFunction }),
    );
    limits.virustotal = { requestsPerMinute: resolved.virusTotalRequestsPerMinute };
  }
  if (resolved.abuseIpDbApiKey !== undefined) {
    providers.push(
      abuseIpDbProvider({ apiKey: resolved.abuseIpDbApiKey, baseUrl: endpoints.abuseipdb, fetch: fetchFunction }),
    );
    limits.abuseipdb = { requestsPerMinute: resolved.abuseIpDbRequestsPerMinute };
  }
  if (resolved.otxApiKey !== undefined) {
    providers.push(otxProvider({ apiKey: resolved.otxApiKey, baseUrl: endpoints.otx, fetch: fetchFunction }));
    limits.otx = { requestsPerMinute: resolved.otxRequestsPerMinute };
  }
  if (resolved.mdtiEnabled) {
    providers.push(
      mdtiProvider({
        credential: dependencies.credential ?? lazyDefaultAzureCredential(),
        baseUrl: endpoints.mdti,
        fetch: fetchFunction,
        clock: dependencies.clock,
      }),
    );
    limits.mdti = { requestsPerMinute: resolved.mdtiRequestsPerMinute };
  }

  return new EnrichmentService({
    providers,
    store: dependencies.store,
    logger: dependencies.logger,
    cacheTtl: { verdictSeconds: resolved.cacheTtlSeconds, unknownSeconds: resolved.unknownCacheTtlSeconds },
    limits,
    timeoutMs: resolved.timeoutMs,
    maxRetries: resolved.maxRetries,
    maxWaitMs: resolved.maxWaitSeconds * 1000,
    clock: dependencies.clock,
    sleep: dependencies.sleep,
  });
}

/**
 * DefaultAzureCredential, created on the first token request: loading @azure/identity costs about half a
 * second of start-up, which a CLI run without Defender TI should not pay.
 */
function lazyDefaultAzureCredential(): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      credential ??= import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
      return (await credential).getToken(scopes, options);
    },
  };
}
