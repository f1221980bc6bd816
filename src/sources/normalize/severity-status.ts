import type { AlertStatus, Incident, Severity } from '../model';
import { lookup } from './fields';

/**
 * Vendor severities and statuses onto our enums. Matching ignores case, spaces, dashes and underscores
 * because the same value is spelled "inProgress" (Graph), "InProgress" (Defender) and "In Progress" (exports).
 */

function canonical(value: string | undefined): string {
  return (value ?? '').toLowerCase().replace(/[\s_-]/g, '');
}

const severityByName: Record<string, Severity> = {
  informational: 'informational',
  information: 'informational',
  info: 'informational',
  low: 'low',
  medium: 'medium',
  moderate: 'medium',
  high: 'high',
  critical: 'high',
};

/**
 * Graph's "unknown", Defender's "UnSpecified" and anything unrecognised become `informational`:
 * the source did not grade the alert, and inventing urgency it never claimed would push noise above
 * graded alerts in every queue sorted by severity. Graph itself orders `unknown` below `informational`.
 */
export function toSeverity(value: string | undefined): Severity {
  return lookup(severityByName, canonical(value)) ?? 'informational';
}

const severityRank: Record<Severity, number> = { informational: 0, low: 1, medium: 2, high: 3 };

export function severityAtLeast(severity: Severity, minimum: Severity): boolean {
  return severityRank[severity] >= severityRank[minimum];
}

export function compareSeverity(left: Severity, right: Severity): number {
  return severityRank[left] - severityRank[right];
}

const alertStatusByName: Record<string, AlertStatus> = {
  new: 'new',
  open: 'new',
  inprogress: 'inProgress',
  active: 'inProgress',
  resolved: 'resolved',
  // Sentinel's "Dismissed" and a closed alert are done from the analyst's point of view.
  dismissed: 'resolved',
  closed: 'resolved',
};

/** A missing or unrecognised status is `unknown`: we do not claim an alert is new when the source did not say. */
export function toAlertStatus(value: string | undefined): AlertStatus {
  return lookup(alertStatusByName, canonical(value)) ?? 'unknown';
}

type IncidentStatus = Incident['status'];

const graphIncidentStatusByName: Record<string, IncidentStatus> = {
  active: 'active',
  new: 'active',
  inprogress: 'inProgress',
  // Graph's awaitingAction: someone is working it and waits on a response, which is in progress for a SOC queue.
  awaitingaction: 'inProgress',
  resolved: 'resolved',
  closed: 'resolved',
  redirected: 'redirected',
};

export function toGraphIncidentStatus(value: string | undefined): IncidentStatus {
  return lookup(graphIncidentStatusByName, canonical(value)) ?? 'unknown';
}

/** Sentinel's incident lifecycle is New → Active (someone owns it) → Closed. */
const sentinelIncidentStatusByName: Record<string, IncidentStatus> = {
  new: 'active',
  active: 'inProgress',
  inprogress: 'inProgress',
  closed: 'resolved',
  resolved: 'resolved',
};

export function toSentinelIncidentStatus(value: string | undefined): IncidentStatus {
  return lookup(sentinelIncidentStatusByName, canonical(value)) ?? 'unknown';
}
