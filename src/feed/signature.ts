import { createHmac, timingSafeEqual } from 'node:crypto';
import { isCopilotError } from '../errors';
import type { Store } from '../store/port';
import { feedKeys } from './model';

/**
 * The alert webhook's authentication: `x-soc-signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`
 * with `x-soc-timestamp` in Unix seconds. Binding the timestamp into the MAC lets us refuse old requests; the
 * replay guard refuses a captured request sent again inside the window.
 */
export const signatureHeader = 'x-soc-signature';
export const timestampHeader = 'x-soc-timestamp';
const signatureToleranceSeconds = 300;

export function signAlertWebhook(secret: string, timestampSeconds: number | string, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestampSeconds}.`);
  mac.update(rawBody);
  return `sha256=${mac.digest('hex')}`;
}

export type SignatureCheck =
  | { ok: true; timestampSeconds: number; digest: string }
  | { ok: false; reason: 'missing_signature' | 'malformed_signature' | 'stale_timestamp' | 'bad_signature' };

export interface SignatureInput {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowMs: number;
  toleranceSeconds?: number;
}

const signatureFormat = /^sha256=([0-9a-f]{64})$/i;

export function verifyAlertWebhookSignature(input: SignatureInput): SignatureCheck {
  if (input.signature === undefined || input.timestamp === undefined) return { ok: false, reason: 'missing_signature' };
  const match = signatureFormat.exec(input.signature.trim());
  if (!match || !/^\d{1,12}$/.test(input.timestamp.trim())) return { ok: false, reason: 'malformed_signature' };
  const timestampSeconds = Number(input.timestamp.trim());
  const tolerance = input.toleranceSeconds ?? signatureToleranceSeconds;
  if (Math.abs(input.nowMs / 1000 - timestampSeconds) > tolerance) return { ok: false, reason: 'stale_timestamp' };
  const expected = createHmac('sha256', input.secret)
    .update(`${input.timestamp.trim()}.`)
    .update(input.rawBody)
    .digest();
  const given = Buffer.from(match[1], 'hex');
  // Both are 32 bytes (the format check fixed the length), so the comparison time says nothing about the secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  return { ok: true, timestampSeconds, digest: match[1].toLowerCase() };
}

/**
 * Remembers the signatures accepted inside the tolerance window, in the Store, so a captured request cannot
 * be replayed against this or another instance. A signature binds its timestamp, so it always lands in the
 * same minute bucket; buckets older than the window are purged as new requests arrive.
 */
export class ReplayGuard {
  private lastPurgeMs = 0;

  constructor(
    private readonly store: Store,
    private readonly toleranceSeconds = signatureToleranceSeconds,
  ) {}

  /** True the first time a signature is seen; false for a replay. */
  async remember(digest: string, timestampSeconds: number, nowMs: number): Promise<boolean> {
    await this.purge(nowMs);
    try {
      await this.store.put(this.key(digest, timestampSeconds), { seenAt: nowMs }, { ifNoneMatch: '*' });
      return true;
    } catch (error) {
      if (isCopilotError(error) && error.code === 'store_conflict') return false;
      throw error;
    }
  }

  /** Forgets a signature whose request failed before it was stored, so the sender's retry is not a "replay". */
  async forget(digest: string, timestampSeconds: number): Promise<void> {
    await this.store.delete(this.key(digest, timestampSeconds));
  }

  private key(digest: string, timestampSeconds: number): string {
    return `${feedKeys.replayPrefix}${bucketOf(timestampSeconds)}/${digest}`;
  }

  private async purge(nowMs: number): Promise<void> {
    if (nowMs - this.lastPurgeMs < 30_000) return;
    this.lastPurgeMs = nowMs;
    const oldest = bucketOf(Math.floor(nowMs / 1000) - this.toleranceSeconds - 60);
    for (;;) {
      const keys = await this.store.list(feedKeys.replayPrefix, 500);
      const expired = keys.filter((key) => key.slice(feedKeys.replayPrefix.length, key.lastIndexOf('/')) < oldest);
      for (const key of expired) await this.store.delete(key);
      if (expired.length < keys.length || keys.length < 500) return;
    }
  }
}

/** Minute buckets as fixed-width text, so key order is time order. */
function bucketOf(timestampSeconds: number): string {
  return String(Math.floor(Math.max(0, timestampSeconds) / 60)).padStart(10, '0');
}
