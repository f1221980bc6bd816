import { z } from 'zod';
import { getJson, parseBody, type FetchFunction } from '../http';
import type { Indicator, ProviderFinding, ThreatIntelProvider, Verdict } from '../types';
import { emptyAssociations } from '../types';
import { joinUrl, plural, uniqueLimited } from './mapping';

/**
 * AlienVault OTX DirectConnect API v1 (https://otx.alienvault.com/api): GET
 * /api/v1/indicators/{IPv4|IPv6|domain|hostname|url|file}/{value}/general with the key in `X-OTX-API-KEY`.
 * `pulse_info` lists the community reports (pulses) naming the indicator; `validation` lists allow-list hits
 * (popular domains, well-known resolvers).
 */

export const OTX_BASE_URL = 'https://otx.alienvault.com';

/** Pulses carry malware families as objects ({ id, display_name }) in current answers, as strings in older ones. */
const MalwareFamilySchema = z.union([
  z.string(),
  z.object({ id: z.string().nullable().optional(), display_name: z.string().nullable().optional() }),
]);

const OtxGeneralSchema = z.object({
  pulse_info: z.object({
    count: z.number().int().nonnegative(),
    pulses: z
      .array(
        z.object({
          name: z.string().nullable().optional(),
          tags: z.array(z.string()).nullable().optional(),
          malware_families: z.array(MalwareFamilySchema).nullable().optional(),
          adversary: z.string().nullable().optional(),
        }),
      )
      .default([]),
  }),
  validation: z
    .array(z.object({ source: z.string().nullable().optional(), name: z.string().nullable().optional() }))
    .nullable()
    .optional(),
});
type OtxGeneral = z.infer<typeof OtxGeneralSchema>;

export interface OtxOptions {
  apiKey: string;
  baseUrl?: string;
  fetch?: FetchFunction;
}

export function otxProvider(options: OtxOptions): ThreatIntelProvider {
  const name = 'AlienVault OTX';
  const baseUrl = options.baseUrl ?? OTX_BASE_URL;
  return {
    id: 'otx',
    name,
    supports: () => true,
    async lookup(indicator, signal) {
      const section = otxSection(indicator);
      const outcome = await getJson(options.fetch ?? fetch, {
        provider: name,
        url: joinUrl(baseUrl, `api/v1/indicators/${section}/${encodeURIComponent(indicator.value)}/general`),
        headers: { 'X-OTX-API-KEY': options.apiKey },
        signal,
      });
      if (outcome.kind === 'not-found') {
        return { verdict: 'unknown', detail: 'OTX has no record of it.', associations: emptyAssociations() };
      }
      return mapOtxGeneral(indicator, parseBody(name, OtxGeneralSchema, outcome.body));
    },
  };
}

/** Second-level labels under which registrable domains sit (example.co.uk is a domain, not a host name). */
const SECOND_LEVEL_LABELS = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'or', 'ne', 'go']);

/**
 * OTX files registrable domains under `domain` and names below them under `hostname`; asking for a host
 * name as a domain returns an empty answer.
 */
export function otxSection(indicator: Indicator): string {
  switch (indicator.type) {
    case 'ipv4':
      return 'IPv4';
    case 'ipv6':
      return 'IPv6';
    case 'url':
      return 'url';
    case 'md5':
    case 'sha1':
    case 'sha256':
      return 'file';
    case 'domain': {
      const labels = indicator.value.split('.');
      const registrable = labels.length === 2 || (labels.length === 3 && SECOND_LEVEL_LABELS.has(labels[1]));
      return registrable ? 'domain' : 'hostname';
    }
  }
}

const PAGE_SECTIONS: Record<Indicator['type'], string> = {
  ipv4: 'ip',
  ipv6: 'ip',
  domain: 'domain',
  url: 'url',
  md5: 'file',
  sha1: 'file',
  sha256: 'file',
};

export function mapOtxGeneral(indicator: Indicator, general: OtxGeneral): ProviderFinding {
  const pulses = general.pulse_info.pulses;
  const pulseCount = general.pulse_info.count;
  const allowListed = uniqueLimited(
    (general.validation ?? []).map((entry) => entry.name ?? entry.source),
    3,
  );
  const associations = {
    malwareFamilies: uniqueLimited(
      pulses.flatMap((pulse) =>
        (pulse.malware_families ?? []).map((family) =>
          typeof family === 'string' ? family : (family.display_name ?? family.id),
        ),
      ),
      6,
    ),
    groups: uniqueLimited(
      pulses.map((pulse) => pulse.adversary),
      4,
    ),
    tags: uniqueLimited(
      pulses.flatMap((pulse) => pulse.tags ?? []),
      8,
    ),
  };
  const verdict = otxVerdict(pulseCount, allowListed.length > 0, associations);
  const parts = [`Named in ${plural(pulseCount, 'pulse')}`];
  const names = uniqueLimited(
    pulses.map((pulse) => pulse.name),
    2,
  );
  if (names.length > 0) parts.push(`e.g. ${names.map((pulseName) => `"${pulseName}"`).join(', ')}`);
  if (allowListed.length > 0) parts.push(`allow-listed: ${allowListed.join(', ')}`);
  const section = indicator.type === 'domain' ? otxSection(indicator) : PAGE_SECTIONS[indicator.type];
  return {
    verdict,
    score: { value: pulseCount, label: plural(pulseCount, 'pulse') },
    detail: `${parts.join('; ')}.`,
    reference: `https://otx.alienvault.com/indicator/${section}/${encodeURIComponent(indicator.value)}`,
    associations,
  };
}

/**
 * Pulses are community reports of varying quality: being in one makes an indicator suspicious; a pulse that
 * names a malware family or an adversary makes it malicious. OTX's own allow-list wins over both, because
 * popular resolvers and CDNs end up in many pulses as noise.
 */
function otxVerdict(
  pulseCount: number,
  allowListed: boolean,
  associations: { malwareFamilies: string[]; groups: string[] },
): Verdict {
  if (allowListed) return 'harmless';
  if (pulseCount === 0) return 'unknown';
  if (associations.malwareFamilies.length > 0 || associations.groups.length > 0) return 'malicious';
  return 'suspicious';
}
