import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed download links of stored reports: HMAC-SHA256 over "<id>.<format>.<exp>" (exp in unix seconds) with a
 * key from REPORT_LINK_SECRET (or a random per-process key). Checked in constant time; an expired link fails.
 */

export const reportFormats = ['md', 'html'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export function reportLinkSignature(key: string | Buffer, id: string, format: ReportFormat, exp: number): string {
  return createHmac('sha256', key).update(`${id}.${format}.${exp}`).digest('hex');
}

export function verifyReportLink(
  key: string | Buffer,
  link: { id: string; format: ReportFormat; exp: string | undefined; sig: string | undefined },
  now: Date,
): boolean {
  if (link.exp === undefined || link.sig === undefined || !/^\d{1,12}$/.test(link.exp)) return false;
  if (!/^[0-9a-f]{64}$/i.test(link.sig)) return false;
  const exp = Number(link.exp);
  const expected = Buffer.from(reportLinkSignature(key, link.id, link.format, exp), 'hex');
  const given = Buffer.from(link.sig.toLowerCase(), 'hex');
  const valid = given.length === expected.length && timingSafeEqual(given, expected);
  return valid && exp * 1000 > now.getTime();
}

const processKeys = new WeakMap<object, Buffer>();

/**
 * The link key of these settings: REPORT_LINK_SECRET, or one random 32-byte key per settings object (one per
 * process, since the configuration is loaded once; links stop working when it restarts), so the link the bot signs
 * is the link the HTTP route accepts.
 */
export function reportLinkKey(settings: { linkSecret?: string }): string | Buffer {
  if (settings.linkSecret !== undefined) return settings.linkSecret;
  let key = processKeys.get(settings);
  if (key === undefined) {
    key = randomBytes(32);
    processKeys.set(settings, key);
  }
  return key;
}
