import ipaddr from 'ipaddr.js';
import type { Indicator, IndicatorType } from './types';

/**
 * A small local classifier for single indicators typed by an analyst or passed by a caller. Full IOC
 * extraction from free text lives in src/intel/iocs; this only answers "what is this one value?".
 */

/**
 * Undoes the usual defanging: `hxxp(s)`/`fxp` schemes, `[.]`, `(.)`, `{.}`, `[dot]`, `[:]`, `[://]`, `[@]`.
 * Applied before classification, so `evil[.]com` and `hxxps://evil[.]com/x` are looked up as what they are.
 */
export function refang(value: string): string {
  return value
    .trim()
    .replace(/^h[tx]{2}p(s?)(\[:\/\/\]|\[?:\]?\/\/)/i, (_match, secure: string) => `http${secure.toLowerCase()}://`)
    .replace(/^f[tx]p(s?)(\[:\/\/\]|\[?:\]?\/\/)/i, (_match, secure: string) => `ftp${secure.toLowerCase()}://`)
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\[@\]|\[at\]/gi, '@');
}

const HASH_PATTERNS: ReadonlyArray<[IndicatorType, RegExp]> = [
  ['md5', /^[a-f0-9]{32}$/i],
  ['sha1', /^[a-f0-9]{40}$/i],
  ['sha256', /^[a-f0-9]{64}$/i],
];

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
// Letters-only TLD, or an IDN A-label (xn--…); at least two labels, so "localhost" or "WS-0142" are not domains.
const DOMAIN = new RegExp(`^(?:${LABEL}\\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$`, 'i');

/** The indicator type of one (possibly defanged) value, or undefined when it is none of the supported types. */
export function detectIndicatorType(value: string): IndicatorType | undefined {
  return parseIndicator(value)?.type;
}

/** A refanged, normalised indicator from one value, or undefined when the value is not a supported indicator. */
export function parseIndicator(value: string): Indicator | undefined {
  const refanged = refang(value);
  if (refanged === '' || /\s/.test(refanged)) return undefined;
  for (const [type, pattern] of HASH_PATTERNS) {
    if (pattern.test(refanged)) return { type, value: refanged.toLowerCase() };
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(refanged)) {
    return { type: 'ipv4', value: ipaddr.IPv4.parse(refanged).toString() };
  }
  const bracketless = refanged.replace(/^\[(.*)\]$/, '$1');
  if (ipaddr.IPv6.isValid(bracketless) && bracketless.includes(':')) {
    return { type: 'ipv6', value: ipaddr.IPv6.parse(bracketless).toString() };
  }
  if (/^(?:https?|ftp):\/\//i.test(refanged)) return parseUrl(refanged);
  const domain = refanged.replace(/\.$/, '').toLowerCase();
  if (domain.length <= 253 && DOMAIN.test(domain)) return { type: 'domain', value: domain };
  return undefined;
}

function parseUrl(value: string): Indicator | undefined {
  // URL.canParse rather than try/catch: the URL parser's TypeError comes from Node's own realm.
  if (!URL.canParse(value) || new URL(value).hostname === '') return undefined;
  // The scheme is lower-cased for matching; the rest stays as given, because providers canonicalise URLs
  // themselves and a changed path would be a different indicator.
  return { type: 'url', value: value.replace(/^[a-z]+/i, (scheme) => scheme.toLowerCase()) };
}

/**
 * An indicator given as `{ type, value }` by a caller, refanged and normalised the same way, or undefined
 * when the value does not match the type it claims (a "domain" that is an IP, a truncated hash).
 */
export function normalizeIndicator(indicator: Indicator): Indicator | undefined {
  const parsed = parseIndicator(indicator.value);
  return parsed?.type === indicator.type ? parsed : undefined;
}

/** The host of a URL indicator (without IPv6 brackets), or undefined. */
export function urlHost(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const host = new URL(url).hostname;
  return host === '' ? undefined : host.replace(/^\[(.*)\]$/, '$1');
}

/** Two indicators are the same lookup when type and normalised value match. */
export function indicatorKey(indicator: Indicator): string {
  return `${indicator.type}:${indicator.value}`;
}

const TYPE_LABELS: Readonly<Record<IndicatorType, string>> = {
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  domain: 'Domain',
  url: 'URL',
  md5: 'MD5 hash',
  sha1: 'SHA-1 hash',
  sha256: 'SHA-256 hash',
};

export function indicatorTypeLabel(type: IndicatorType): string {
  return TYPE_LABELS[type] ?? type;
}

const PLURAL_TYPE_LABELS: Readonly<Record<IndicatorType, string>> = {
  ipv4: 'IPv4 addresses',
  ipv6: 'IPv6 addresses',
  domain: 'domains',
  url: 'URLs',
  md5: 'MD5 hashes',
  sha1: 'SHA-1 hashes',
  sha256: 'SHA-256 hashes',
};

/** "SHA-256 hashes", for sentences about a whole type. */
export function indicatorTypePluralLabel(type: IndicatorType): string {
  return PLURAL_TYPE_LABELS[type] ?? type;
}
