import type { Alert, Severity, UserContext } from '../../sources/model';
import { entityHasValue } from '../../sources/normalize/entities';
import type { SecurityDataSource } from '../../sources/port';
import {
  affectedUserPrincipalNames,
  correlationValues,
  gatherAlertContext,
  type AttackCatalog,
  type EnrichmentLookup,
} from '../context';
import type { AttackFacts } from '../knowledge';

/**
 * What the analysis needs around one alert, taken from the shared context gatherer (src/copilot/context):
 * alerts that share its entities or incident, the user context of its accounts, threat-intelligence verdicts
 * for its public indicators, and the gaps where a source failed or timed out. Triage and remediation use the
 * small look-up helpers below for the list-shaped reads the gatherer does not do.
 */

export const defaultSourceTimeoutMs = 5000;
const maximumRelated = 8;
const maximumUsers = 6;

export interface RelatedAlert {
  id: string;
  title: string;
  severity: Severity;
  status: Alert['status'];
  incidentId?: string;
  createdAt: string;
  /** Entity values this alert shares with the analysed one. */
  sharedEntities: string[];
  sameIncident: boolean;
}

export interface AlertSurroundings {
  relatedAlerts: RelatedAlert[];
  /** User context by lower-cased user principal name. */
  users: Map<string, UserContext>;
  /** Threat-intelligence verdicts by lower-cased indicator value (only those a provider answered). */
  intelligence: Map<string, { verdict: string; summary: string }>;
  gaps: string[];
  /** What was consulted, for the card footer. */
  sources: string[];
}

export interface SourceLookupOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Resolves to the work's value, or to a gap naming what failed (a time-out, an error) — never rejects. */
export async function lookup<T>(
  what: string,
  work: () => Promise<T>,
  options: SourceLookupOptions = {},
): Promise<{ ok: true; value: T } | { ok: false; gap: string }> {
  const timeoutMs = options.timeoutMs ?? defaultSourceTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref?.();
  });
  try {
    const outcome = await Promise.race([work(), timeout]);
    if (outcome === 'timeout')
      return { ok: false, gap: `${what}: no answer within ${Math.round(timeoutMs / 1000)} s.` };
    return { ok: true, value: outcome };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const reason =
      error !== null && typeof error === 'object' && 'userMessage' in error && typeof error.userMessage === 'string'
        ? error.userMessage
        : 'the data source failed';
    return { ok: false, gap: `${what}: ${reason}` };
  } finally {
    clearTimeout(timer);
  }
}

const maximumCorrelationValues = 30;

/** The analysed alert's entity values that `other` also carries (host names match on their first label). */
export function sharedEntityValues(alert: Alert, other: Alert): string[] {
  return correlationValues([alert], maximumCorrelationValues).filter((value) =>
    other.entities.some((entity) => entity.type !== 'process' && entityHasValue(entity, value)),
  );
}

/** User principal names of the alerts' own accounts and mailboxes (not attacker or destination mailboxes), lower-cased. */
export function accountNames(alerts: readonly Alert[]): string[] {
  return affectedUserPrincipalNames(alerts).map((name) => name.toLowerCase());
}

/** User context for each name, in parallel, each with its own time-out; failures become gaps. */
export async function userContexts(
  dataSource: SecurityDataSource,
  names: readonly string[],
  options: SourceLookupOptions & { maximum?: number } = {},
): Promise<{ users: Map<string, UserContext>; gaps: string[] }> {
  const users = new Map<string, UserContext>();
  const gaps: string[] = [];
  const wanted = names.slice(0, options.maximum ?? maximumUsers);
  const answers = await Promise.all(
    wanted.map((name) => lookup(`User context for ${name}`, () => dataSource.getUserContext(name), options)),
  );
  answers.forEach((answer, index) => {
    if (!answer.ok) gaps.push(answer.gap);
    else if (answer.value !== undefined) users.set(wanted[index], answer.value);
  });
  return { users, gaps };
}

export interface SurroundingsDependencies {
  dataSource: SecurityDataSource;
  attack: AttackFacts;
  attackKnowledge?: AttackCatalog;
  enrichment?: EnrichmentLookup;
}

export async function gatherAlertSurroundings(
  alert: Alert,
  dependencies: SurroundingsDependencies,
  options: SourceLookupOptions = {},
): Promise<AlertSurroundings> {
  const context = await gatherAlertContext(alert, dependencies, {
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? defaultSourceTimeoutMs,
    maxRelatedAlerts: 20,
    maxRecentAlerts: 40,
  });
  const incidentAlertIds = new Set(context.incident?.alertIds ?? []);
  const sameIncident = (other: Alert) =>
    incidentAlertIds.has(other.id) || (alert.incidentId !== undefined && other.incidentId === alert.incidentId);
  const candidates = new Map<string, Alert>();
  for (const related of context.relatedAlerts) candidates.set(related.alert.id, related.alert);
  // Recent alerts of the same incident count too, even when they share no entity value.
  for (const recent of context.recentAlerts) if (sameIncident(recent)) candidates.set(recent.id, recent);

  const relatedAlerts = [...candidates.values()]
    .filter((other) => other.id !== alert.id)
    .map((other) => ({ other, shared: sharedEntityValues(alert, other), sameIncident: sameIncident(other) }))
    .filter((entry) => entry.shared.length > 0 || entry.sameIncident)
    .sort(
      (left, right) =>
        right.shared.length - left.shared.length ||
        Number(right.sameIncident) - Number(left.sameIncident) ||
        right.other.createdAt.localeCompare(left.other.createdAt),
    )
    .slice(0, maximumRelated)
    .map(({ other, shared, sameIncident: inIncident }) => {
      const related: RelatedAlert = {
        id: other.id,
        title: other.title,
        severity: other.severity,
        status: other.status,
        createdAt: other.createdAt,
        sharedEntities: shared,
        sameIncident: inIncident,
      };
      if (other.incidentId !== undefined) related.incidentId = other.incidentId;
      return related;
    });

  const intelligence = new Map<string, { verdict: string; summary: string }>();
  for (const entry of context.indicators) {
    if (entry.evidence.length > 0)
      intelligence.set(entry.indicator.value.toLowerCase(), { verdict: entry.verdict, summary: entry.summary });
  }
  return {
    relatedAlerts,
    users: new Map(context.users.map((user) => [user.userPrincipalName.toLowerCase(), user])),
    intelligence,
    gaps: context.gaps.map((gap) => `${gap.source}: ${gap.reason}`),
    sources: context.sources,
  };
}
