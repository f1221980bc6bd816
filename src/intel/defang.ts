import { isIPv6 } from 'node:net';
import { isHostNameRatherThanFileName, isKnownTld, topLevelDomain } from './iocs/tlds';

/**
 * Defanging: rewriting indicators so that nothing the bot posts is clickable or resolvable, in the
 * convention SOC analysts read every day:
 *
 *   URL     https://evil.com/path  → hxxps://evil[.]com/path   (hxxp, hxxps, fxp; every dot of the host)
 *   domain  login.evil.com         → login[.]evil[.]com        (every dot)
 *   IPv4    10.0.0.1               → 10.0.0[.]1                (last dot only: still readable)
 *   IPv6    2001:db8::1            → 2001:db8:[:]1             (last colon only)
 *   e-mail  user@example.com       → user[@]example[.]com
 *
 * `defangText` is idempotent: everything it writes no longer matches its own patterns (the dots and
 * the `@` it brackets were what the patterns needed), and already-defanged URLs are recognised by
 * their hxxp / fxp scheme and re-normalised to the same text. It leaves file names, Windows paths,
 * version strings and ATT&CK IDs alone; see `isHostNameRatherThanFileName` (src/intel/iocs/tlds.ts, the TLD
 * list shared with IOC extraction) for where the line is drawn.
 *
 * `defangDomain`, `defangIpAddress` and `defangEmailAddress` defang one value already known to be that kind of
 * indicator (an extracted IOC), with no guessing. Refanging and IOC extraction live in src/intel/iocs.
 */

const LETTER_OR_DIGIT = '\\p{L}\\p{N}';
const LABEL = `[${LETTER_OR_DIGIT}](?:[${LETTER_OR_DIGIT}-]{0,61}[${LETTER_OR_DIGIT}])?`;
const HOST_NAME = `(?:${LABEL}\\.)+[a-z]{2,63}`;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/**
 * Where a URL starts. A URL ends where another one starts (`?next=https://…`), so each is its own
 * match: the scan stays linear and never recurses through a chain of nested URLs.
 */
const URL_START = `(?<![${LETTER_OR_DIGIT}_])(?:h[tx]{2}ps?|f[tx]ps?)://`;
/** Bracketed sequences a URL may contain: a defanged dot, colon or at, or an IPv6 literal host. */
const URL_BRACKETS = '\\[[0-9a-f:.]*\\]|\\[@\\]';

/**
 * One pass, alternatives in priority order at each position: a URL owns its host, path and query; an
 * e-mail owns its domain; only then do bare addresses and host names match. The lookbehinds stop a
 * match from starting inside a longer word or dotted run, which also keeps the scan linear on long
 * input (a 200 KB description).
 */
const INDICATOR_PATTERN = new RegExp(
  [
    `(?<url>${URL_START}(?:(?!${URL_START})(?:${URL_BRACKETS}|[^\\s<>"'\`\\[\\]]))*)`,
    `(?<email>(?<![${LETTER_OR_DIGIT}_.%+-])[${LETTER_OR_DIGIT}_.%+-]+@${HOST_NAME}(?![${LETTER_OR_DIGIT}_-]|\\.[${LETTER_OR_DIGIT}]|:\\/\\/))`,
    `(?<ipv4>(?<![${LETTER_OR_DIGIT}_.])(?:${OCTET}\\.){3}${OCTET}(?![${LETTER_OR_DIGIT}_]|\\.\\p{N}))`,
    `(?<ipv6>(?<![${LETTER_OR_DIGIT}_:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![${LETTER_OR_DIGIT}_:]|\\.\\p{N}))`,
    `(?<domain>(?<![${LETTER_OR_DIGIT}_.-])${HOST_NAME}(?![${LETTER_OR_DIGIT}_-]|\\.[${LETTER_OR_DIGIT}]|\\[?@|:\\/\\/))`,
  ].join('|'),
  'giu',
);

const SCHEME_PATTERN = /^(h[tx]{2}ps?|f[tx]ps?):\/\//i;
const LIVE_SCHEME_PATTERN = /(https?|ftps?):\/\//gi;
const IPV4_PATTERN = new RegExp(`^(?:${OCTET}\\.){3}${OCTET}$`);
/** Characters that end a sentence or close a Markdown construct rather than belong to the URL. */
const TRAILING_PUNCTUATION = /[.,;:!?'"*]$/;

/** Defangs every URL, domain, IP address and e-mail address in free text. */
export function defangText(text: string): string {
  return text.replace(INDICATOR_PATTERN, (match: string, ...rest: unknown[]) => {
    const groups = rest[rest.length - 1] as Record<string, string | undefined>;
    const offset = rest[rest.length - 3] as number;
    if (groups.url !== undefined) return defangUrlMatch(match);
    if (groups.email !== undefined) return defangEmail(match);
    if (groups.ipv4 !== undefined) return defangIpv4(match);
    if (groups.ipv6 !== undefined) return defangIpv6(match);
    return isDomainCandidate(match, text, offset) ? bracketDots(match) : match;
  });
}

/**
 * Defangs one URL: the scheme (http→hxxp, https→hxxps, ftp→fxp), every dot of the host (the IPv4
 * convention for an address host), and any indicator in the path or query, where open redirects
 * carry a second URL. Text without a scheme is defanged as free text.
 */
export function defangUrl(url: string): string {
  const scheme = SCHEME_PATTERN.exec(url);
  if (!scheme) return defangText(url);
  const rest = url.slice(scheme[0].length);
  const authorityEnd = rest.search(/[/?#\\]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const remainder = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  const defanged = `${defangScheme(scheme[1])}://${defangAuthority(authority)}${defangText(remainder)}`;
  // A scheme inside the authority (`http://http://x`) is not matched by the passes above; no live one may remain.
  return defanged.replace(LIVE_SCHEME_PATTERN, (_match, scheme: string) => `${defangScheme(scheme)}://`);
}

function defangUrlMatch(match: string): string {
  const { url, trailing } = splitTrailingPunctuation(match);
  return defangUrl(url) + trailing;
}

/** Splits off sentence punctuation and closing brackets that the URL pattern swallowed (`(see http://x.com).`). */
function splitTrailingPunctuation(candidate: string): { url: string; trailing: string } {
  let url = candidate;
  let trailing = '';
  for (;;) {
    const last = url.at(-1) ?? '';
    const closesUnopened =
      (last === ')' && count(url, ')') > count(url, '(')) || (last === '}' && count(url, '}') > count(url, '{'));
    if (!TRAILING_PUNCTUATION.test(url) && !closesUnopened) break;
    trailing = last + trailing;
    url = url.slice(0, -1);
  }
  return { url, trailing };
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

function defangScheme(scheme: string): string {
  const lower = scheme.toLowerCase();
  return lower.startsWith('h') ? `hxx${lower.slice(3)}` : `fx${lower.slice(2)}`;
}

/** `user:pass@host:port`: the user part is not resolvable and stays; the host is defanged. */
function defangAuthority(authority: string): string {
  // The last @ (or an already-defanged [@]) separates the user part; a lookahead finds the last one.
  const host = /^.*?(?:\[@\]|@)(?!.*@)(.*)$/s.exec(authority)?.[1] ?? authority;
  const userInfo = authority.slice(0, authority.length - host.length);
  // An IPv6 literal ([2001:db8::1]) is not a link without the scheme we already defanged.
  if (host.startsWith('[') && host.includes(':')) return authority;
  const port = /:\d*$/.exec(host)?.[0] ?? '';
  const name = host.slice(0, host.length - port.length).replace(/\[\.\]|\(\.\)/g, '.');
  const defangedName = IPV4_PATTERN.test(name) ? defangIpv4(name) : bracketDots(name);
  return `${userInfo}${defangedName}${port}`;
}

function defangEmail(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  if (!isKnownTld(topLevelDomain(domain))) return address;
  return `${address.slice(0, at)}[@]${bracketDots(domain)}`;
}

function defangIpv4(address: string): string {
  const lastDot = address.lastIndexOf('.');
  return `${address.slice(0, lastDot)}[.]${address.slice(lastDot + 1)}`;
}

/**
 * Requires three non-empty groups so that `a::b`-shaped words and link-local shorthands are left
 * alone; times (12:30:45) and MAC addresses fail `isIPv6`.
 */
function defangIpv6(candidate: string): string {
  const groups = candidate.split(':').filter(Boolean);
  if (!isIPv6(candidate) || groups.length < 3) return candidate;
  const lastColon = candidate.lastIndexOf(':');
  return `${candidate.slice(0, lastColon)}[:]${candidate.slice(lastColon + 1)}`;
}

/** Decides whether a dotted name is a host name (defang it) or a file name (leave it). */
function isDomainCandidate(name: string, text: string, offset: number): boolean {
  return isHostNameRatherThanFileName(name, /[/\\]/.test(text.charAt(offset - 1)));
}

function bracketDots(name: string): string {
  return name.split('.').join('[.]');
}

/** Defangs a value known to be a domain: every dot bracketed (`evil[.]com`), whatever its TLD. */
export function defangDomain(name: string): string {
  return bracketDots(name.replace(/\[\.\]/g, '.'));
}

/**
 * Defangs a value known to be an IP address or CIDR block: the last dot of an IPv4 address (`10.0.0[.]1`), the
 * last colon of an IPv6 address (`fe80:[:]1`, even the short forms free text leaves alone); a prefix length stays.
 */
export function defangIpAddress(address: string): string {
  const slash = address.indexOf('/');
  const host = slash === -1 ? address : address.slice(0, slash);
  const prefix = slash === -1 ? '' : address.slice(slash);
  if (host.includes('[')) return address;
  if (IPV4_PATTERN.test(host)) return defangIpv4(host) + prefix;
  const lastColon = host.lastIndexOf(':');
  if (lastColon === -1) return address;
  const dotted = /\.\d+$/.exec(host);
  // An IPv4-embedded IPv6 address (::ffff:1.2.3.4) reads like its IPv4 part, so it is defanged like one.
  if (dotted !== null) return `${host.slice(0, dotted.index)}[.]${host.slice(dotted.index + 1)}${prefix}`;
  return `${host.slice(0, lastColon)}[:]${host.slice(lastColon + 1)}${prefix}`;
}

/** Defangs a value known to be an e-mail address: `user[@]example[.]com`, whatever its TLD. */
export function defangEmailAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at === -1) return address;
  return `${address.slice(0, at)}[@]${defangDomain(address.slice(at + 1))}`;
}
