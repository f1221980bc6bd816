import { isIPv6 } from 'node:net';
import { WHOLE_HOST_NAME, WHOLE_IPV4 } from './patterns';
import { isHostNameRatherThanFileName, isKnownTld, topLevelDomain } from './tlds';

/**
 * The checks the scan pattern cannot express. Each one names the false positive it exists for; the labelled
 * corpus (test/fixtures/iocs/corpus.jsonl) holds an example of each.
 */

/**
 * TLDs that are also the last member of everyday identifiers in code and logs (`user.name`, `process.id`,
 * `user.email`, ECS field names): a bare name on one of these is a domain only with a `www.` prefix or, for
 * .id, an Indonesian second-level label (`bank.co.id`). With a scheme or an `@` it is a domain as usual.
 */
const IDENTIFIER_TLDS = new Set(['name', 'id', 'email', 'group', 'page']);
const INDONESIAN_SECOND_LEVEL = new Set(['co', 'go', 'ac', 'or', 'web', 'net', 'my', 'sch', 'biz', 'mil', 'ponpes']);
/** Reverse-DNS identifiers (Java packages, Android and Apple bundle IDs) start with a TLD: `com.microsoft.office`. */
const REVERSE_DNS_FIRST_LABELS = new Set(['com', 'org', 'net', 'edu', 'gov']);
/** Product names written like domains, exactly as written (asp.net in lower case is Microsoft's site, a domain). */
const PRODUCT_NAMES = new Set(['ASP.NET', 'VB.NET', 'ADO.NET']);

/**
 * Whether a bare dotted name in text (no scheme, no `@`) is a domain:
 * - a known TLD, with the file-extension rule of `isHostNameRatherThanFileName` (`setup.py` is a file);
 * - the TLD in lower case, unless the whole name is upper case: `.NET` namespaces and PowerShell types
 *   (`System.Net`, `Microsoft.Security`, `System.IO`), malware names (`Trojan:Win32/Agent.CC`) and sentences
 *   with a missing space (`was blocked.It then`) are written in mixed case, host names almost never are;
 * - not an identifier (see IDENTIFIER_TLDS, REVERSE_DNS_FIRST_LABELS, PRODUCT_NAMES).
 */
export function isBareDomain(name: string, precededByPath: boolean): boolean {
  if (!isHostNameRatherThanFileName(name, precededByPath)) return false;
  const lastDot = name.lastIndexOf('.');
  const writtenTld = name.slice(lastDot + 1);
  if (writtenTld !== writtenTld.toLowerCase() && name !== name.toUpperCase()) return false;
  if (PRODUCT_NAMES.has(name)) return false;
  const labels = name.toLowerCase().split('.');
  const tld = labels[labels.length - 1];
  if (labels.length >= 3 && REVERSE_DNS_FIRST_LABELS.has(labels[0])) return false;
  if (IDENTIFIER_TLDS.has(tld)) {
    const secondLevel = labels[labels.length - 2];
    return labels[0] === 'www' || (tld === 'id' && labels.length >= 3 && INDONESIAN_SECOND_LEVEL.has(secondLevel));
  }
  return true;
}

/** Whether a host name owned by a URL or an e-mail address (which settle the file-name question) is a domain. */
export function isContextDomain(name: string): boolean {
  return name.length <= 253 && WHOLE_HOST_NAME.test(name) && isKnownTld(topLevelDomain(name));
}

/**
 * Dotted quads that are version numbers, not addresses: right after a version word (`version 10.0.0.1`,
 * `build 1.0.0.0`, `FileVersion: 6.1.7601.0`) or a product token of letters (`Chrome/120.0.0.0` in a User-Agent;
 * `HIER_DIRECT/172.67.182.5` in a Squid log is an address). A dotted
 * run of five or more numbers (`10.0.19041.1.2`) never matches the pattern at all.
 */
const VERSION_CONTEXT =
  /(?:\b(?:v|ver|version|build|release|rev|revision|firmware|fw|fileversion|productversion|agent)\.?[ \t]*[:=#]?[ \t]*v?|(?<![\w.-])[a-z]+\/)$/i;

export function isVersionContext(before: string): boolean {
  return VERSION_CONTEXT.test(before);
}

export type HashType = 'md5' | 'sha1' | 'sha256';

/**
 * MD5, SHA-1 or SHA-256 by length, or undefined for hex runs that are placeholders or numbers rather than digests:
 * one repeated character (`0000…`, `ffff…`), or only decimal digits or only letters, which a real digest of this
 * length is with a probability under one in three million.
 */
export function hashType(hex: string): HashType | undefined {
  if (/^(.)\1*$/.test(hex) || /^\d+$/.test(hex) || /^[a-f]+$/i.test(hex)) return undefined;
  if (hex.length === 32) return 'md5';
  if (hex.length === 40) return 'sha1';
  if (hex.length === 64) return 'sha256';
  return undefined;
}

/**
 * A bare IPv6 address needs two groups with a digit among them (`fe80::1`, `2001:db8::5`) or is the loopback
 * `::1`; `::`, hex words (`dead::beef`, `[Convert]::Add`) and times and MAC addresses (invalid as IPv6) are not.
 * A CIDR block may have one group (`fe80::/10`).
 */
export function isIpv6Indicator(address: string, isCidr: boolean): boolean {
  // node:net's check is native and allocation-free; times and MAC addresses reach it by the thousand in logs.
  if (!isIPv6(address)) return false;
  if (address === '::1') return true;
  const groups = address.split(/:+/).filter(Boolean);
  return groups.length >= (isCidr ? 1 : 2) && /\d/.test(address);
}

export function isIpv4(text: string): boolean {
  return WHOLE_IPV4.test(text);
}

const CLOSING_TO_OPENING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * How much of a candidate is left once sentence punctuation and unbalanced closing brackets are cut from its
 * end: `(see https://evil.com/a).` → `https://evil.com/a`; `https://en.wikipedia.org/wiki/Foo_(bar)` keeps `)`.
 */
export function lengthWithoutTrailingPunctuation(candidate: string, punctuation = '.,;:!?\'"*'): number {
  let end = candidate.length;
  for (;;) {
    const last = candidate.charAt(end - 1);
    const opening = CLOSING_TO_OPENING[last];
    const unbalanced = opening !== undefined && count(candidate, last, end) > count(candidate, opening, end);
    if (end === 0 || (!punctuation.includes(last) && !unbalanced)) return end;
    end -= 1;
  }
}

function count(text: string, character: string, end: number): number {
  let total = 0;
  for (let index = text.indexOf(character); index !== -1 && index < end; index = text.indexOf(character, index + 1)) {
    total += 1;
  }
  return total;
}

export interface ParsedUrl {
  /** Lower-case scheme and host, the rest as written. */
  value: string;
  host: string;
  /** Offset of the host in the URL as written (after any `user:password@`), without IPv6 brackets. */
  hostStart: number;
  hostKind: 'domain' | 'ipv4' | 'ipv6' | 'other';
  /** Where the path, query or fragment starts (the URL's length when there is none). */
  pathStart: number;
}

/**
 * Splits a URL into scheme, authority and the rest, and accepts it when its host is an IP address, a host name
 * with at least two labels, or `localhost`. A host on an unknown TLD (`http://intranet.corp/`) keeps the URL but
 * is not a domain (hostKind 'other').
 */
export function parseUrl(url: string): ParsedUrl | undefined {
  const schemeEnd = url.indexOf('://');
  const authorityStart = schemeEnd + 3;
  const pathOffset = url.slice(authorityStart).search(/[/?#]/);
  const pathStart = pathOffset === -1 ? url.length : authorityStart + pathOffset;
  const authority = url.slice(authorityStart, pathStart);
  const userInfoEnd = authority.lastIndexOf('@') + 1;
  const hostAndPort = authority.slice(userInfoEnd);
  let hostStart = authorityStart + userInfoEnd;
  let hostWritten: string;
  let host: string;
  let hostKind: ParsedUrl['hostKind'];
  if (hostAndPort.startsWith('[')) {
    const close = hostAndPort.indexOf(']');
    if (close === -1) return undefined;
    hostWritten = hostAndPort.slice(1, close);
    host = hostWritten.replace(/%.*$/, '');
    hostStart += 1;
    if (!isIPv6(host)) return undefined;
    hostKind = 'ipv6';
  } else {
    const portMatch = /:\d{0,5}$/.exec(hostAndPort);
    hostWritten = portMatch === null ? hostAndPort : hostAndPort.slice(0, portMatch.index);
    host = hostWritten.endsWith('.') ? hostWritten.slice(0, -1) : hostWritten;
    if (isIpv4(host)) hostKind = 'ipv4';
    else if (isContextDomain(host)) hostKind = 'domain';
    else if (WHOLE_HOST_NAME.test(host) || host.toLowerCase() === 'localhost') hostKind = 'other';
    else return undefined;
  }
  const value =
    url.slice(0, schemeEnd).toLowerCase() +
    url.slice(schemeEnd, hostStart) +
    hostWritten.toLowerCase() +
    url.slice(hostStart + hostWritten.length);
  return { value, host: host.toLowerCase(), hostStart, hostKind, pathStart };
}

/**
 * Message-ID, In-Reply-To, References and Content-ID headers hold `<unique@host>` identifiers that look like
 * e-mail addresses and are not; the host in them is still a domain.
 */
export function isMessageIdentifier(text: string, start: number): boolean {
  if (text.charAt(start - 1) !== '<') return false;
  const lineStart = text.lastIndexOf('\n', start) + 1;
  return /^[ \t]*(?:Message-ID|In-Reply-To|References|Content-ID|X-Message-ID)[ \t]*:/i.test(
    text.slice(lineStart, start),
  );
}
