import type { CardText } from './card-text';
import { text, LIMITS } from './card-text';

/**
 * The only URLs a card may link to: ATT&CK technique pages we build from a validated ID, and
 * Microsoft security portal links that pass `portalLink`. Attacker-influenced text never becomes a
 * link (DESIGN: SOC conventions), so `Action.OpenUrl` and Markdown links accept only this brand.
 */
declare const safeUrlBrand: unique symbol;
export type SafeUrl = string & { readonly [safeUrlBrand]: true };

const TECHNIQUE_ID = /^T(\d{4})(?:\.(\d{3}))?$/;

/** https://attack.mitre.org/techniques/T1059/001/ for T1059.001; undefined for anything that is not a technique ID. */
export function attackTechniqueUrl(id: string): SafeUrl | undefined {
  const match = TECHNIQUE_ID.exec(id.trim().toUpperCase());
  if (!match) return undefined;
  const path = match[2] === undefined ? `T${match[1]}` : `T${match[1]}/${match[2]}`;
  return `https://attack.mitre.org/techniques/${path}/` as SafeUrl;
}

/** The canonical form of a technique ID (`t1059.001 ` → `T1059.001`), or undefined. */
export function canonicalTechniqueId(id: string): string | undefined {
  const candidate = id.trim().toUpperCase();
  return TECHNIQUE_ID.test(candidate) ? candidate : undefined;
}

const PORTAL_HOSTS = new Set(['security.microsoft.com', 'portal.azure.com', 'portal.azure.us']);

/**
 * A vendor portal link from alert data, only when it is https on a Microsoft security portal host
 * (security.microsoft.com, portal.azure.com and its subdomains, portal.azure.us). The alert itself
 * carries the URL, so anything else (other hosts, look-alikes such as portal.azure.com.evil.example,
 * credentials or ports in the URL) is dropped rather than shown.
 */
export function portalLink(url: string | undefined): SafeUrl | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined; // not a URL at all: nothing to link
  }
  const host = parsed.hostname.toLowerCase();
  const allowedHost = PORTAL_HOSTS.has(host) || host.endsWith('.portal.azure.com');
  const plain = parsed.username === '' && parsed.password === '' && parsed.port === '';
  return parsed.protocol === 'https:' && allowedHost && plain ? (parsed.href as SafeUrl) : undefined;
}

/**
 * `[label](url)` for a URL we built. The label is attacker- or LLM-influenced text; square brackets
 * or a backslash (which escapes the closing bracket) would change where the link text ends, so they
 * become parentheses and a slash after the usual sanitising.
 */
export function markdownLink(labelText: string, url: SafeUrl): CardText {
  const safeLabel = text(labelText, LIMITS.title).replace(/\[/g, '(').replace(/\]/g, ')').replace(/\\/g, '/');
  return `[${safeLabel}](${url})` as CardText;
}
