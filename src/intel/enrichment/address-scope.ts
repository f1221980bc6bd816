import ipaddr from 'ipaddr.js';
import { urlHost } from './indicator';
import type { Indicator, NotLookedUpReason } from './types';

/**
 * What must never leave the building. Asking an external provider about 10.1.2.3 or dc01.corp.local tells
 * that provider (and anyone reading its logs) about our internal network, and the answer is meaningless
 * anyway; documentation addresses (192.0.2.0/24, 2001:db8::/32) and names (.example) are fake by
 * definition. Only global unicast addresses and public names are looked up.
 */

const RANGE_LABELS: Readonly<Record<string, string>> = {
  private: 'private',
  uniqueLocal: 'private',
  loopback: 'loopback',
  linkLocal: 'link-local',
  deprecatedSiteLocal: 'site-local',
  carrierGradeNat: 'carrier-grade NAT',
  multicast: 'multicast',
  broadcast: 'broadcast',
  unspecified: 'unspecified',
  reserved: 'documentation or reserved',
  benchmarking: 'benchmarking',
};

export interface LookupRestriction {
  reason: NotLookedUpReason;
  message: string;
}

/**
 * Why an IP address is not looked up, or undefined for a global unicast address. IPv4-mapped IPv6
 * (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
 */
export function addressRestriction(address: string): LookupRestriction | undefined {
  if (!ipaddr.isValid(address)) return undefined;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  // Anything else (6to4, Teredo, AMT, AS112, ORCHID…) is special-purpose: not worth leaking either.
  const label = Object.hasOwn(RANGE_LABELS, range) ? RANGE_LABELS[range] : 'special-purpose';
  return { reason: 'non-public-address', message: `not looked up: private/documentation address (${label})` };
}

/**
 * Suffixes that never resolve on the public internet: RFC 2606 / 6761 reserved names, the ICANN-reserved
 * .internal, mDNS .local and the common Active Directory choices. Internal host names would leak as much
 * as internal addresses.
 */
const RESERVED_SUFFIXES = [
  'example',
  'test',
  'invalid',
  'localhost',
  'local',
  'internal',
  'home.arpa',
  'lan',
  'corp',
  'intranet',
  'localdomain',
];

export function nameRestriction(host: string): LookupRestriction | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  const suffix = RESERVED_SUFFIXES.find((candidate) => name === candidate || name.endsWith(`.${candidate}`));
  if (suffix === undefined) return undefined;
  return { reason: 'reserved-name', message: `not looked up: internal or documentation name (.${suffix})` };
}

/** Why this indicator must not be sent to an external provider, or undefined when it may be. */
export function lookupRestriction(indicator: Indicator): LookupRestriction | undefined {
  switch (indicator.type) {
    case 'ipv4':
    case 'ipv6':
      return addressRestriction(indicator.value);
    case 'domain':
      return nameRestriction(indicator.value);
    case 'url': {
      const host = urlHost(indicator.value);
      if (host === undefined) return undefined;
      return ipaddr.isValid(host) ? addressRestriction(host) : nameRestriction(host);
    }
    default:
      return undefined;
  }
}
