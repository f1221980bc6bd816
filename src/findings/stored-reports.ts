import { randomBytes } from 'node:crypto';
import type { IncidentReport } from '../copilot/report/schema';
import type { CapabilityResult } from '../copilot/result';
import type { Store } from '../store/port';

/**
 * Reports kept for download (`reports/<id>`): the whole report result, until its links expire. The id is random
 * (not guessable, not the incident id) and the link is signed as well (report-links.ts).
 */

export const reportsPrefix = 'reports/';

export interface StoredReport {
  report: CapabilityResult<IncidentReport>;
  storedAt: string;
  expiresAt: string;
}

const reportIdPattern = /^[0-9a-f]{32}$/;

export function isReportId(id: string): boolean {
  return reportIdPattern.test(id);
}

export async function storeReport(
  store: Store,
  report: CapabilityResult<IncidentReport>,
  options: { now: Date; ttlMinutes: number },
): Promise<{ id: string; expiresAt: Date }> {
  const id = randomBytes(16).toString('hex');
  const expiresAt = new Date(options.now.getTime() + options.ttlMinutes * 60_000);
  const value: StoredReport = { report, storedAt: options.now.toISOString(), expiresAt: expiresAt.toISOString() };
  await store.put(reportsPrefix + id, value, { ifNoneMatch: '*' });
  return { id, expiresAt };
}

/** The stored report, or undefined when the id is malformed, unknown or the report has expired. */
export async function loadReport(store: Store, id: string, now: Date): Promise<StoredReport | undefined> {
  if (!isReportId(id)) return undefined;
  const item = await store.get<StoredReport>(reportsPrefix + id);
  if (!item || item.value.expiresAt <= now.toISOString()) return undefined;
  return item.value;
}

/** Removes stored reports whose links have expired. Returns how many went. */
export async function cleanupReports(store: Store, now: Date): Promise<number> {
  let removed = 0;
  const cutoff = now.toISOString();
  for (const key of await store.list(reportsPrefix)) {
    const item = await store.get<StoredReport>(key);
    if (item && item.value.expiresAt <= cutoff && (await store.delete(key, { ifMatch: item.etag }))) removed += 1;
  }
  return removed;
}
