import { z } from 'zod';
import { getJson, parseBody, type FetchFunction } from '../http';
import { ThreatIntelError } from '../provider-error';
import type { Indicator, ProviderFinding, ThreatIntelProvider, Verdict } from '../types';
import { emptyAssociations } from '../types';
import { joinUrl, plural } from './mapping';

/**
 * AbuseIPDB API v2 (https://docs.abuseipdb.com/#check-endpoint): GET /api/v2/check?ipAddress=…&maxAgeInDays=90
 * with the key in the `Key` header. It answers for every valid IP, reported or not, so there is no 404 case:
 * an address nobody reported has totalReports 0.
 */

export const ABUSEIPDB_BASE_URL = 'https://api.abuseipdb.com';
const MAX_AGE_IN_DAYS = 90;

/** AbuseIPDB's own guidance: 100 is certain abuse; we treat 75+ as malicious and 25+ as worth a look. */
const MALICIOUS_SCORE = 75;
const SUSPICIOUS_SCORE = 25;

const nullableString = z.string().nullable().optional();

const AbuseIpDbCheckSchema = z.object({
  data: z.object({
    ipAddress: z.string(),
    abuseConfidenceScore: z.number().min(0).max(100),
    totalReports: z.number().int().nonnegative(),
    numDistinctUsers: z.number().int().nonnegative().optional(),
    lastReportedAt: nullableString,
    countryCode: nullableString,
    isp: nullableString,
    usageType: nullableString,
    isWhitelisted: z.boolean().nullable().optional(),
    isTor: z.boolean().optional(),
  }),
});
type AbuseIpDbCheck = z.infer<typeof AbuseIpDbCheckSchema>;

export interface AbuseIpDbOptions {
  apiKey: string;
  baseUrl?: string;
  fetch?: FetchFunction;
}

export function abuseIpDbProvider(options: AbuseIpDbOptions): ThreatIntelProvider {
  const name = 'AbuseIPDB';
  const baseUrl = options.baseUrl ?? ABUSEIPDB_BASE_URL;
  return {
    id: 'abuseipdb',
    name,
    supports: (indicator) => indicator.type === 'ipv4' || indicator.type === 'ipv6',
    async lookup(indicator, signal) {
      const query = new URLSearchParams({ ipAddress: indicator.value, maxAgeInDays: String(MAX_AGE_IN_DAYS) });
      const outcome = await getJson(options.fetch ?? fetch, {
        provider: name,
        url: `${joinUrl(baseUrl, 'api/v2/check')}?${query.toString()}`,
        headers: { Key: options.apiKey },
        signal,
      });
      if (outcome.kind === 'not-found') {
        // The check endpoint never answers 404 for an address; a 404 means the base URL is wrong.
        throw new ThreatIntelError(name, 'rejected', 'AbuseIPDB answered HTTP 404 for the check endpoint', {
          status: 404,
        });
      }
      return mapAbuseIpDbCheck(indicator, parseBody(name, AbuseIpDbCheckSchema, outcome.body));
    },
  };
}

export function mapAbuseIpDbCheck(indicator: Indicator, check: AbuseIpDbCheck): ProviderFinding {
  const data = check.data;
  const verdict = abuseIpDbVerdict(data);
  const context = [data.isp, data.usageType, data.countryCode].filter((part): part is string => Boolean(part));
  const parts = [
    `abuse confidence ${data.abuseConfidenceScore}% from ${plural(data.totalReports, 'report')} in ${MAX_AGE_IN_DAYS} days`,
  ];
  if (data.isWhitelisted === true) parts.push('on its allow-list');
  if (data.isTor === true) parts.push('Tor exit node');
  if (context.length > 0) parts.push(context.join(', '));
  const associations = emptyAssociations();
  if (data.isTor === true) associations.tags.push('tor');
  return {
    verdict,
    score: { value: data.abuseConfidenceScore, max: 100, label: `${data.abuseConfidenceScore}% confidence` },
    detail: `${capitalise(parts.join('; '))}.`,
    reference: `https://www.abuseipdb.com/check/${encodeURIComponent(indicator.value)}`,
    associations,
  };
}

/**
 * AbuseIPDB is a block list, not an allow list: a low score only means few people complained, so it never
 * makes an address harmless unless AbuseIPDB itself allow-listed it.
 */
function abuseIpDbVerdict(data: AbuseIpDbCheck['data']): Verdict {
  if (data.isWhitelisted === true) return 'harmless';
  if (data.abuseConfidenceScore >= MALICIOUS_SCORE) return 'malicious';
  if (data.abuseConfidenceScore >= SUSPICIOUS_SCORE) return 'suspicious';
  return 'unknown';
}

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
