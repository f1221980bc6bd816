import { z } from 'zod';
import { getJson, parseBody, type FetchFunction } from '../http';
import type { Indicator, ProviderFinding, ThreatIntelProvider, Verdict } from '../types';
import { emptyAssociations } from '../types';
import { joinUrl, plural, uniqueLimited } from './mapping';

/**
 * VirusTotal API v3 (https://docs.virustotal.com/reference/overview): GET /api/v3/ip_addresses/{ip},
 * /domains/{domain}, /files/{hash}, /urls/{id} with the key in `x-apikey`. A URL's id is its unpadded
 * URL-safe base64 encoding (VirusTotal canonicalises it server-side). 404 NotFoundError = never seen.
 */

export const VIRUSTOTAL_BASE_URL = 'https://www.virustotal.com';

/** Engines that must call something malicious before we do; one engine alone is often a false positive. */
export const VIRUSTOTAL_MALICIOUS_THRESHOLD = 3;

const count = z.number().int().nonnegative();

const VirusTotalObjectSchema = z.object({
  data: z.object({
    id: z.string(),
    type: z.string(),
    attributes: z.object({
      last_analysis_stats: z
        .object({
          malicious: count,
          suspicious: count,
          harmless: count,
          undetected: count,
        })
        .optional(),
      reputation: z.number().optional(),
      tags: z.array(z.string()).optional(),
      popular_threat_classification: z
        .object({
          suggested_threat_label: z.string().optional(),
          popular_threat_name: z.array(z.object({ value: z.string(), count: z.number() })).optional(),
          popular_threat_category: z.array(z.object({ value: z.string(), count: z.number() })).optional(),
        })
        .optional(),
    }),
  }),
});
type VirusTotalObject = z.infer<typeof VirusTotalObjectSchema>;

export interface VirusTotalOptions {
  apiKey: string;
  baseUrl?: string;
  fetch?: FetchFunction;
}

export function virusTotalProvider(options: VirusTotalOptions): ThreatIntelProvider {
  const name = 'VirusTotal';
  const baseUrl = options.baseUrl ?? VIRUSTOTAL_BASE_URL;
  return {
    id: 'virustotal',
    name,
    supports: () => true,
    async lookup(indicator, signal) {
      const outcome = await getJson(options.fetch ?? fetch, {
        provider: name,
        url: joinUrl(baseUrl, virusTotalPath(indicator)),
        headers: { 'x-apikey': options.apiKey },
        signal,
      });
      if (outcome.kind === 'not-found') {
        return { verdict: 'unknown', detail: 'VirusTotal has no record of it.', associations: emptyAssociations() };
      }
      return mapVirusTotalObject(indicator, parseBody(name, VirusTotalObjectSchema, outcome.body));
    },
  };
}

export function virusTotalPath(indicator: Indicator): string {
  switch (indicator.type) {
    case 'ipv4':
    case 'ipv6':
      return `api/v3/ip_addresses/${encodeURIComponent(indicator.value)}`;
    case 'domain':
      return `api/v3/domains/${encodeURIComponent(indicator.value)}`;
    case 'url':
      return `api/v3/urls/${virusTotalUrlId(indicator.value)}`;
    case 'md5':
    case 'sha1':
    case 'sha256':
      return `api/v3/files/${indicator.value}`;
  }
}

/** The URL identifier VirusTotal accepts without canonicalisation on our side: unpadded base64url. */
export function virusTotalUrlId(url: string): string {
  return Buffer.from(url, 'utf8').toString('base64url');
}

const GUI_SECTIONS = { ip_address: 'ip-address', domain: 'domain', file: 'file', url: 'url' } as const;

export function mapVirusTotalObject(indicator: Indicator, object: VirusTotalObject): ProviderFinding {
  const attributes = object.data.attributes;
  const stats = attributes.last_analysis_stats;
  const classification = attributes.popular_threat_classification;
  const associations = {
    malwareFamilies: uniqueLimited(
      (classification?.popular_threat_name ?? []).map((entry) => entry.value),
      5,
    ),
    groups: [],
    tags: uniqueLimited(
      [...(classification?.popular_threat_category ?? []).map((entry) => entry.value), ...(attributes.tags ?? [])],
      8,
    ),
  };
  const section = Object.hasOwn(GUI_SECTIONS, object.data.type)
    ? GUI_SECTIONS[object.data.type as keyof typeof GUI_SECTIONS]
    : undefined;
  // The response id is the canonical one (for URLs, the SHA-256 VirusTotal's own pages use).
  const reference =
    section === undefined
      ? undefined
      : `https://www.virustotal.com/gui/${section}/${encodeURIComponent(object.data.id || indicator.value)}`;

  if (stats === undefined) {
    return { verdict: 'unknown', detail: 'VirusTotal knows it but has no analysis yet.', reference, associations };
  }
  const engines = stats.malicious + stats.suspicious + stats.harmless + stats.undetected;
  const verdict = virusTotalVerdict(stats);
  const parts = [
    `${stats.malicious} of ${plural(engines, 'engine')} flag it as malicious` +
      (stats.suspicious > 0 ? `, ${stats.suspicious} as suspicious` : ''),
  ];
  if (attributes.reputation !== undefined) parts.push(`community reputation ${attributes.reputation}`);
  if (classification?.suggested_threat_label) parts.push(`threat label "${classification.suggested_threat_label}"`);
  return {
    verdict,
    score: { value: stats.malicious, max: engines, label: `${stats.malicious}/${engines} engines` },
    detail: `${parts.join('; ')}.`,
    reference,
    associations,
  };
}

function virusTotalVerdict(stats: { malicious: number; suspicious: number; harmless: number }): Verdict {
  if (stats.malicious >= VIRUSTOTAL_MALICIOUS_THRESHOLD) return 'malicious';
  if (stats.malicious > 0 || stats.suspicious > 0) return 'suspicious';
  // Only "undetected" means no engine has an opinion; that is not the same as harmless.
  return stats.harmless > 0 ? 'harmless' : 'unknown';
}
