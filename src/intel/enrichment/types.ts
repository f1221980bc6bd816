/**
 * Threat-intelligence enrichment: the provider port and the typed result. Adapters (VirusTotal, AbuseIPDB,
 * AlienVault OTX, Microsoft Defender Threat Intelligence) implement `ThreatIntelProvider`; the service adds
 * rate limits, time-outs, retries, caching and the private-address guard around them, so adapters stay pure
 * mappers around one HTTP call.
 */

export const INDICATOR_TYPES = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** One indicator of compromise. `value` is refanged and normalised (see indicator.ts). */
export interface Indicator {
  type: IndicatorType;
  value: string;
}

/** Ordered from least to most severe: the combined verdict is the most severe one a provider gave. */
export const VERDICTS = ['unknown', 'harmless', 'suspicious', 'malicious'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Associations {
  malwareFamilies: string[];
  /** Threat actors / adversary groups. */
  groups: string[];
  tags: string[];
}

/**
 * A provider's own number behind its verdict: "12 of 94 engines", "confidence 87 of 100". `max` is absent
 * when the number has no ceiling (a count of OTX pulses).
 */
export interface ProviderScore {
  value: number;
  max?: number;
  label: string;
}

/** What one provider says about one indicator. */
export interface ProviderFinding {
  verdict: Verdict;
  score?: ProviderScore;
  /** One or two sentences of evidence, in our words (provider text is quoted, never trusted). */
  detail: string;
  /**
   * The provider's public page for the indicator, as data only: cards never render it as a link (it is
   * not on the safe-link allow-list in src/cards/links.ts).
   */
  reference?: string;
  associations: Associations;
}

export interface ThreatIntelProvider {
  /** Stable identifier: cache keys, logs, configuration ("virustotal"). */
  readonly id: string;
  /** What analysts read ("VirusTotal"). */
  readonly name: string;
  supports(indicator: Indicator): boolean;
  /**
   * One lookup. Throws a ThreatIntelError (auth, throttled, timeout, unavailable, bad response); "the
   * provider has never seen it" is a finding with verdict `unknown`, not an error.
   */
  lookup(indicator: Indicator, signal?: AbortSignal): Promise<ProviderFinding>;
}

/** Why a lookup failed, once translated at the adapter. */
export type ProviderFailureKind = 'auth' | 'throttled' | 'timeout' | 'unavailable' | 'bad-response' | 'rejected';

export interface ProviderEvidence extends ProviderFinding {
  provider: string;
  /** True when the finding came from the cache rather than a fresh call. */
  cached: boolean;
  /** When the provider answered (ISO 8601), which is earlier than now for a cached finding. */
  checkedAt: string;
}

export interface ProviderFailure {
  provider: string;
  kind: ProviderFailureKind;
  /** Safe to show: no keys, headers or response bodies. */
  message: string;
}

/** Why an indicator was not sent to any provider. */
export type NotLookedUpReason =
  'non-public-address' | 'reserved-name' | 'no-provider-configured' | 'unsupported-type' | 'invalid-value';

export interface IndicatorEnrichment {
  indicator: Indicator;
  verdict: Verdict;
  /** One line for the analyst: who says what, or why nothing was looked up. */
  summary: string;
  notLookedUp?: { reason: NotLookedUpReason; message: string };
  evidence: ProviderEvidence[];
  failures: ProviderFailure[];
  associations: Associations;
}

export interface EnrichmentResult {
  indicators: IndicatorEnrichment[];
  /** Display names of the configured providers, in configuration order. */
  providers: string[];
  /** ISO 8601. */
  generatedAt: string;
}

export function emptyAssociations(): Associations {
  return { malwareFamilies: [], groups: [], tags: [] };
}
