/**
 * Enrichment settings as a plain object (src/config.ts parses the environment into it). Each provider is
 * enabled by its key; Microsoft Defender TI by MDTI_ENABLED, with the Graph app credentials that
 * DefaultAzureCredential reads (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, or a managed identity).
 */
export interface EnrichmentSettings {
  /** VIRUSTOTAL_API_KEY */
  virusTotalApiKey?: string;
  /** ABUSEIPDB_API_KEY */
  abuseIpDbApiKey?: string;
  /** OTX_API_KEY */
  otxApiKey?: string;
  /** MDTI_ENABLED */
  mdtiEnabled?: boolean;
  /** ENRICHMENT_CACHE_TTL_SECONDS: how long a malicious / suspicious / harmless finding is reused. */
  cacheTtlSeconds?: number;
  /** ENRICHMENT_UNKNOWN_CACHE_TTL_SECONDS: how long "never seen it" is reused; shorter, since that changes. */
  unknownCacheTtlSeconds?: number;
  /** ENRICHMENT_TIMEOUT_MS: per request. */
  timeoutMs?: number;
  /** ENRICHMENT_MAX_RETRIES: on 429, 5xx, time-outs and connection errors. */
  maxRetries?: number;
  /** ENRICHMENT_MAX_WAIT_SECONDS: longest wait for a rate-limit slot or a Retry-After before giving up. */
  maxWaitSeconds?: number;
  /** VIRUSTOTAL_REQUESTS_PER_MINUTE: the free API allows 4. */
  virusTotalRequestsPerMinute?: number;
  /** ABUSEIPDB_REQUESTS_PER_MINUTE */
  abuseIpDbRequestsPerMinute?: number;
  /** OTX_REQUESTS_PER_MINUTE */
  otxRequestsPerMinute?: number;
  /** MDTI_REQUESTS_PER_MINUTE */
  mdtiRequestsPerMinute?: number;
}

export const ENRICHMENT_DEFAULTS = {
  cacheTtlSeconds: 6 * 60 * 60,
  unknownCacheTtlSeconds: 60 * 60,
  timeoutMs: 10_000,
  maxRetries: 2,
  maxWaitSeconds: 60,
  virusTotalRequestsPerMinute: 4,
  // AbuseIPDB's free plan allows 1,000 checks a day; OTX about 10,000 requests an hour; Graph throttles per
  // tenant. These keep a burst of lookups polite without slowing a normal investigation.
  abuseIpDbRequestsPerMinute: 30,
  otxRequestsPerMinute: 60,
  mdtiRequestsPerMinute: 60,
} as const;

/** Settings with every default filled in and blank keys treated as absent. */
export type ResolvedEnrichmentSettings = Required<
  Omit<EnrichmentSettings, 'virusTotalApiKey' | 'abuseIpDbApiKey' | 'otxApiKey'>
> &
  Pick<EnrichmentSettings, 'virusTotalApiKey' | 'abuseIpDbApiKey' | 'otxApiKey'>;

export function resolveEnrichmentSettings(settings: EnrichmentSettings): ResolvedEnrichmentSettings {
  const key = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
  return {
    virusTotalApiKey: key(settings.virusTotalApiKey),
    abuseIpDbApiKey: key(settings.abuseIpDbApiKey),
    otxApiKey: key(settings.otxApiKey),
    mdtiEnabled: settings.mdtiEnabled ?? false,
    cacheTtlSeconds: settings.cacheTtlSeconds ?? ENRICHMENT_DEFAULTS.cacheTtlSeconds,
    unknownCacheTtlSeconds: settings.unknownCacheTtlSeconds ?? ENRICHMENT_DEFAULTS.unknownCacheTtlSeconds,
    timeoutMs: settings.timeoutMs ?? ENRICHMENT_DEFAULTS.timeoutMs,
    maxRetries: settings.maxRetries ?? ENRICHMENT_DEFAULTS.maxRetries,
    maxWaitSeconds: settings.maxWaitSeconds ?? ENRICHMENT_DEFAULTS.maxWaitSeconds,
    virusTotalRequestsPerMinute:
      settings.virusTotalRequestsPerMinute ?? ENRICHMENT_DEFAULTS.virusTotalRequestsPerMinute,
    abuseIpDbRequestsPerMinute: settings.abuseIpDbRequestsPerMinute ?? ENRICHMENT_DEFAULTS.abuseIpDbRequestsPerMinute,
    otxRequestsPerMinute: settings.otxRequestsPerMinute ?? ENRICHMENT_DEFAULTS.otxRequestsPerMinute,
    mdtiRequestsPerMinute: settings.mdtiRequestsPerMinute ?? ENRICHMENT_DEFAULTS.mdtiRequestsPerMinute,
  };
}
