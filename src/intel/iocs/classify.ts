import ipaddr from 'ipaddr.js';
import type { IpClassification } from './types';

/**
 * Classifies an IPv4 or IPv6 address (or the network of a CIDR block), so that callers can tell external
 * indicators (public) from the analyst's own network, from addresses that never leave a host, and from the
 * documentation ranges that example text uses. Returns undefined for text that is not an address.
 */
export function classifyIp(address: string): IpClassification | undefined {
  const host = address.split('/')[0].replace(/%.*$/, '');
  // IPv4 only as four decimal parts: ipaddr.js also accepts inet_aton's `1.2.3` and `0x7f.1`, which text means otherwise.
  if (!host.includes(':')) return classifyDottedQuad(host);
  if (!ipaddr.IPv6.isValid(host)) return undefined;
  const parsed = ipaddr.parse(host);
  if (parsed.kind() === 'ipv6') {
    const ipv6 = parsed as ipaddr.IPv6;
    // ::ffff:203.0.113.5 is an IPv4 address carried over IPv6: it is whatever that IPv4 address is.
    if (ipv6.isIPv4MappedAddress()) return classifyIpv4(ipv6.toIPv4Address());
    return classifyIpv6(ipv6);
  }
  return classifyIpv4(parsed as ipaddr.IPv4);
}

/** RFC 5737: TEST-NET-1, -2 and -3. ipaddr.js files them under "reserved" together with other ranges. */
const IPV4_DOCUMENTATION = [
  ipaddr.parseCIDR('192.0.2.0/24'),
  ipaddr.parseCIDR('198.51.100.0/24'),
  ipaddr.parseCIDR('203.0.113.0/24'),
] as Array<[ipaddr.IPv4, number]>;

/** RFC 3849 and RFC 9637. */
const IPV6_DOCUMENTATION = [ipaddr.parseCIDR('2001:db8::/32'), ipaddr.parseCIDR('3fff::/20')] as Array<
  [ipaddr.IPv6, number]
>;

function classifyIpv4(address: ipaddr.IPv4): IpClassification {
  if (IPV4_DOCUMENTATION.some((range) => address.match(range))) return 'documentation';
  switch (address.range()) {
    case 'unicast':
      return 'public';
    case 'private':
      return 'private';
    case 'loopback':
      return 'loopback';
    case 'linkLocal':
      return 'linkLocal';
    case 'carrierGradeNat':
      return 'cgnat';
    case 'multicast':
      return 'multicast';
    case 'unspecified':
      return 'unspecified';
    // broadcast, reserved (240/4, benchmarking 198.18/15, 192.0.0/24), as112, amt: nothing an attacker is reached at.
    default:
      return 'reserved';
  }
}

function classifyIpv6(address: ipaddr.IPv6): IpClassification {
  if (IPV6_DOCUMENTATION.some((range) => address.match(range))) return 'documentation';
  switch (address.range()) {
    // 6to4 and Teredo addresses are globally routed tunnels: as reachable as any other unicast address.
    case 'unicast':
    case '6to4':
    case 'teredo':
      return 'public';
    case 'uniqueLocal':
      return 'private';
    case 'loopback':
      return 'loopback';
    case 'linkLocal':
      return 'linkLocal';
    case 'multicast':
      return 'multicast';
    case 'unspecified':
      return 'unspecified';
    default:
      return 'reserved';
  }
}

/** The same address however it is written (`2001:DB8:0::1` and `2001:db8::1`), for de-duplication. */
export function canonicalIp(address: string): string {
  const [host, prefix] = address.split('/');
  const bare = host.replace(/%.*$/, '');
  if (!bare.includes(':') || !ipaddr.IPv6.isValid(bare)) return address.toLowerCase();
  const normalized = ipaddr.parse(bare).toNormalizedString();
  return prefix === undefined ? normalized : `${normalized}/${prefix}`;
}

/**
 * IPv4 ranges as [first address, prefix length, classification], checked in order: the same answer as ipaddr.js
 * gives through `classifyIpv4` (a unit test compares the two on random addresses), without parsing into objects.
 * Extraction classifies every new address, and a day of firewall logs holds tens of thousands.
 */
const IPV4_RANGES: Array<[number, number, IpClassification]> = [
  ['192.0.2.0', 24, 'documentation'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['0.0.0.0', 8, 'unspecified'],
  ['255.255.255.255', 32, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['169.254.0.0', 16, 'linkLocal'],
  ['127.0.0.0', 8, 'loopback'],
  ['100.64.0.0', 10, 'cgnat'],
  ['10.0.0.0', 8, 'private'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['198.18.0.0', 15, 'reserved'],
  ['240.0.0.0', 4, 'reserved'],
  ['192.175.48.0', 24, 'reserved'],
  ['192.31.196.0', 24, 'reserved'],
  ['192.52.193.0', 24, 'reserved'],
].map(([first, prefix, classification]) => [
  toInteger(first as string),
  prefix as number,
  classification as IpClassification,
]);

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function classifyDottedQuad(host: string): IpClassification | undefined {
  const match = DOTTED_QUAD.exec(host);
  if (match === null) return undefined;
  const octets = [match[1], match[2], match[3], match[4]].map(Number);
  if (octets.some((octet) => octet > 255)) return undefined;
  const value = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  for (const [first, prefix, classification] of IPV4_RANGES) {
    if (prefix === 0 || value >>> (32 - prefix) === first >>> (32 - prefix)) return classification;
  }
  return 'public';
}

function toInteger(address: string): number {
  return address.split('.').reduce((total, octet) => ((total << 8) | Number(octet)) >>> 0, 0);
}

/** The ipaddr.js classification of an IPv4 address, the reference the fast path is tested against. */
export function classifyIpv4WithIpaddr(address: string): IpClassification | undefined {
  return ipaddr.IPv4.isValidFourPartDecimal(address) ? classifyIpv4(ipaddr.IPv4.parse(address)) : undefined;
}
