import { createHash, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/port';
import { feedKeys } from '../feed/model';

/** Counting stops here: a backlog this deep already pages someone, and a scrape must stay cheap. */
const outboxDepthCap = 10_000;

/** Pending outbox jobs (one key per channel and alert), read from the store at scrape time. */
export async function outboxDepth(store: Pick<Store, 'list'>): Promise<number> {
  return (await store.list(feedKeys.outboxPrefix, outboxDepthCap)).length;
}

/**
 * Whether a scrape may read /metrics: always when no token is configured, otherwise only with
 * `Authorization: Bearer <token>`, compared in constant time (digests of equal length, whatever was sent).
 */
export function scrapeAllowed(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  const sent = digest(match?.[1] ?? '');
  return timingSafeEqual(sent, digest(token)) && match !== null;
}
