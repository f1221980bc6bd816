import type { Store } from '../store/port';
import { startPeriodicJob } from '../jobs/periodic';
import { cleanupFindings } from './findings';
import { cleanupReports } from './stored-reports';

/** Findings older than the retention and stored reports past their link expiry; returns how many went. */
export async function applyFindingsRetention(
  store: Store,
  options: { retentionDays: number; now: Date },
): Promise<number> {
  return (
    (await cleanupFindings(store, options.retentionDays, options.now)) + (await cleanupReports(store, options.now))
  );
}

/** A timer (unref'd) that applies the retention a minute after start and then every `intervalMs`; returns stop. */
export function startFindingsRetention(
  store: Store,
  options: { retentionDays: number; clock: () => Date },
  onResult: (result: { removed: number } | { error: unknown }) => void,
  intervalMs = 60 * 60 * 1000,
): () => void {
  return startPeriodicJob(
    () => applyFindingsRetention(store, { retentionDays: options.retentionDays, now: options.clock() }),
    onResult,
    intervalMs,
  );
}
