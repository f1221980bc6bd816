import { gzipSync } from 'node:zlib';
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

/** Browsers and the portals accept URLs of a few kilobytes; a longer link is left out rather than broken. */
const MAXIMUM_QUERY_LINK_LENGTH = 8000;

/** A query as the portals' "share link" encodes it: gzip, then base64, then URL-encoded. */
function encodedQuery(query: string): string {
  return encodeURIComponent(gzipSync(Buffer.from(query, 'utf8')).toString('base64'));
}

/**
 * Opens a query in Defender XDR advanced hunting (security.microsoft.com), the same link its "Share link"
 * produces. Undefined when the link would be too long to open.
 */
export function advancedHuntingUrl(query: string): SafeUrl | undefined {
  const url = `https://security.microsoft.com/v2/advanced-hunting?query=${encodedQuery(query)}&timeRangeId=week`;
  return url.length <= MAXIMUM_QUERY_LINK_LENGTH ? (url as SafeUrl) : undefined;
}

const WORKSPACE_RESOURCE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourcegroups\/[\w.()-]{1,90}\/providers\/microsoft\.operationalinsights\/workspaces\/[\w-]{4,63}$/i;

/**
 * Opens a query in the Log Analytics blade of the Azure portal for a Sentinel workspace, given its ARM
 * resource id (from configuration, checked against the resource id shape). Undefined otherwise.
 */
export function logAnalyticsQueryUrl(workspaceResourceId: string | undefined, query: string): SafeUrl | undefined {
  if (workspaceResourceId === undefined || !WORKSPACE_RESOURCE_ID.test(workspaceResourceId)) return undefined;
  const url =
    'https://portal.azure.com/#blade/Microsoft_OMS_Portal/Logs.ReactView/resourceId/' +
    `${encodeURIComponent(workspaceResourceId)}/source/LogsBlade.AnalyticsShareLinkToQuery/q/${encodedQuery(query)}`;
  return url.length <= MAXIMUM_QUERY_LINK_LENGTH ? (url as SafeUrl) : undefined;
}

/**
 * A signed report download link on the bot's own public base URL (PUBLIC_BASE_URL, checked at start-up: https,
 * or http on 127.0.0.1 / localhost). Undefined when the base URL is not one of those or the parts are malformed.
 */
export function reportDownloadUrl(
  baseUrl: string | undefined,
  link: { id: string; format: 'md' | 'html'; exp: number; sig: string },
): SafeUrl | undefined {
  if (baseUrl === undefined || !/^[0-9a-f]{32}$/.test(link.id) || !/^[0-9a-f]{64}$/.test(link.sig)) return undefined;
  if (!Number.isSafeInteger(link.exp) || link.exp <= 0) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    return undefined; // not a URL: no link
  }
  const loopback = parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost';
  const allowed = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback);
  if (!allowed || parsed.username !== '' || parsed.password !== '' || parsed.search !== '' || parsed.hash !== '') {
    return undefined;
  }
  const base = parsed.href.replace(/\/+$/, '');
  return `${base}/api/reports/${link.id}.${link.format}?exp=${link.exp}&sig=${link.sig}` as SafeUrl;
}
