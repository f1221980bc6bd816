import { createHash } from 'node:crypto';

/**
 * Deterministic stand-ins for the identifiers real alerts carry (hashes, GUIDs, device ids). They are digests
 * of a descriptive label, so they look real, never change between runs and belong to no real file or object.
 */

function digest(algorithm: 'sha256' | 'sha1', label: string): string {
  return createHash(algorithm).update(`soc-copilot-demo:${label}`).digest('hex');
}

export function fakeSha256(label: string): string {
  return digest('sha256', label);
}

export function fakeSha1(label: string): string {
  return digest('sha1', label);
}

/** A version-4-shaped GUID. */
export function fakeGuid(label: string): string {
  const hex = digest('sha256', `guid:${label}`);
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Defender for Endpoint device ids are 40 hex characters. */
export function fakeMdeDeviceId(label: string): string {
  return digest('sha1', `device:${label}`);
}

/** The demo tenant's id, shown where Graph would show the customer's tenant. */
export const demoTenantId = fakeGuid('tenant:contoso');

/** Points in time relative to the clock's "now", so the demo always looks like the last few days. */
export class DemoTimeline {
  constructor(readonly now: Date) {}

  minutesAgo(minutes: number): string {
    return new Date(this.now.getTime() - minutes * 60_000).toISOString();
  }
}
