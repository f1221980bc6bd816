import { nameRestriction, type Indicator } from '../../intel/enrichment';
import { urlHost } from '../../intel/enrichment/indicator';
import { classifyIp, extractIocs, type Ioc, type IocReport } from '../../intel/iocs';
import type { AnalyzedIndicator } from './schema';

/** Lookups per analysis: a pasted report with hundreds of indicators would take the providers' whole quota. */
export const maximumIndicatorsPerAnalysis = 25;
const maximumOtherObservables = 10;

const enrichableTypes = ['ipv4', 'ipv6', 'url', 'domain', 'sha256', 'sha1', 'md5'] as const;

export interface ExtractedIntel {
  report: IocReport;
  /** What threat intelligence can look up, first seen first, capped. */
  indicators: Indicator[];
  omitted: number;
  otherObservables: Array<{ type: 'email' | 'cve'; value: string }>;
}

/** The indicators of a text that threat intelligence can look up (defanged is fine), first seen first, capped. */
export function enrichableIndicators(report: IocReport): { indicators: Indicator[]; omitted: number } {
  const all: Indicator[] = enrichableTypes.flatMap((type) =>
    report[type].map((ioc) => ({ type, value: ioc.value }) as Indicator),
  );
  return {
    indicators: all.slice(0, maximumIndicatorsPerAnalysis),
    omitted: Math.max(0, all.length - maximumIndicatorsPerAnalysis),
  };
}

export function extractIntel(text: string): ExtractedIntel {
  const report = extractIocs(text);
  const { indicators, omitted } = enrichableIndicators(report);
  const otherObservables = [
    ...report.email.map((ioc) => ({ type: 'email' as const, value: ioc.value })),
    ...report.cve.map((ioc) => ({ type: 'cve' as const, value: ioc.value })),
  ].slice(0, maximumOtherObservables);
  return { report, indicators, omitted, otherObservables };
}

/** Every span of the text an indicator was written in, for masking them before name matching. */
export function indicatorSpans(report: IocReport): Array<{ start: number; end: number }> {
  return Object.values(report)
    .flat()
    .flatMap((ioc: Ioc) => ioc.occurrences)
    .map((occurrence) => ({ start: occurrence.start, end: occurrence.end }));
}

/**
 * Services every network talks to. A provider flagging one is far more likely noise than an attacker, and
 * blocking one breaks work, so they are watched, never blocked, by the offline rules. URLs on these hosts are
 * not on the list: a file shared from a cloud drive can be as malicious as any other.
 */
const knownBenignDomains = [
  'microsoft.com',
  'windows.com',
  'windowsupdate.com',
  'office.com',
  'office365.com',
  'microsoftonline.com',
  'live.com',
  'outlook.com',
  'azure.com',
  'bing.com',
  'google.com',
  'googleapis.com',
  'gstatic.com',
  'apple.com',
  'icloud.com',
  'amazon.com',
  'cloudflare.com',
  'github.com',
];

/** Public DNS resolvers: they show up in every network capture and say nothing about an attacker. */
const knownBenignAddresses = new Set([
  '8.8.8.8',
  '8.8.4.4',
  '1.1.1.1',
  '1.0.0.1',
  '9.9.9.9',
  '149.112.112.112',
  '208.67.222.222',
  '208.67.220.220',
]);

const addressNotes: Record<string, string> = {
  public: 'Public address.',
  private: 'Private address: one of your own hosts, not an external indicator.',
  loopback: 'Loopback address: the host itself.',
  linkLocal: 'Link-local address: the local network segment only.',
  cgnat: 'Carrier-grade NAT address: shared by many customers of one provider.',
  documentation: 'Documentation address (RFC 5737 / 3849): example text, never a real attacker.',
  multicast: 'Multicast address: not a single host.',
  reserved: 'Reserved address: not reachable on the internet.',
  unspecified: 'Unspecified address (0.0.0.0 / ::).',
};

function isKnownBenignDomain(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return knownBenignDomains.some((domain) => name === domain || name.endsWith(`.${domain}`));
}

/** Where an indicator sits, and one line saying so. Pure: no lookups. */
export function classifyIndicator(
  indicator: Indicator,
): Pick<AnalyzedIndicator, 'classification' | 'classificationNote'> {
  switch (indicator.type) {
    case 'ipv4':
    case 'ipv6':
      return classifyAddress(indicator.value);
    case 'domain': {
      if (nameRestriction(indicator.value) !== undefined) {
        return {
          classification: 'reservedName',
          classificationNote: 'Internal or documentation name (.example, .local, .corp …).',
        };
      }
      if (isKnownBenignDomain(indicator.value)) {
        return { classification: 'knownBenign', classificationNote: 'A well-known service domain.' };
      }
      return { classification: 'public', classificationNote: 'Public domain.' };
    }
    case 'url': {
      const host = urlHost(indicator.value);
      if (host === undefined) return { classification: 'public', classificationNote: 'URL.' };
      if (classifyIp(host) !== undefined) {
        const address = classifyAddress(host);
        return {
          classification: address.classification,
          classificationNote: `URL on an address. ${address.classificationNote}`,
        };
      }
      if (nameRestriction(host) !== undefined) {
        return { classification: 'reservedName', classificationNote: 'URL on an internal or documentation name.' };
      }
      return {
        classification: 'public',
        classificationNote: isKnownBenignDomain(host)
          ? 'URL on a well-known service: the path decides.'
          : 'Public URL.',
      };
    }
    default:
      return { classification: 'file', classificationNote: 'File hash.' };
  }
}

function classifyAddress(address: string): Pick<AnalyzedIndicator, 'classification' | 'classificationNote'> {
  const range = classifyIp(address) ?? 'reserved';
  if (range === 'public' && knownBenignAddresses.has(address)) {
    return { classification: 'knownBenign', classificationNote: 'A well-known public DNS resolver.' };
  }
  return { classification: range, classificationNote: addressNotes[range] ?? 'Address.' };
}

/** True for indicators that cannot be an external attacker's (internal, documentation, special ranges). */
export function isNonPublic(classification: AnalyzedIndicator['classification']): boolean {
  return classification !== 'public' && classification !== 'knownBenign' && classification !== 'file';
}
