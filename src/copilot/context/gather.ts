import { CopilotError } from '../../errors';
import type { IndicatorEnrichment } from '../../intel/enrichment/types';
import type { Alert, Incident, UserContext } from '../../sources/model';
import { GatherAbortedError, failureReason, mapSettledBounded, withTimeout } from './concurrency';
import {
  affectedUserPrincipalNames,
  buildEvidence,
  correlationValues,
  publicIndicators,
  sortAlertsByActivity,
} from './evidence';
import { techniquesForAlerts, threatsForIncident } from './threats';
import type {
  AlertContext,
  ContextDependencies,
  ContextGap,
  GatherOptions,
  GatheredContext,
  IncidentContext,
  IncidentInput,
  RelatedAlert,
} from './types';

const defaults = {
  timeoutMs: 8000,
  concurrency: 4,
  recentWindowHours: 24,
  maxUsers: 10,
  maxIndicators: 25,
  maxRelatedAlerts: 25,
  maxRecentAlerts: 25,
  maxAlerts: 40,
  correlationValues: 30,
};

type Settings = Required<Omit<GatherOptions, 'signal'>> & { signal: AbortSignal | undefined };

function settingsFor(options: GatherOptions): Settings {
  return {
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
    concurrency: Math.max(1, options.concurrency ?? defaults.concurrency),
    recentWindowHours: options.recentWindowHours ?? defaults.recentWindowHours,
    maxUsers: options.maxUsers ?? defaults.maxUsers,
    maxIndicators: options.maxIndicators ?? defaults.maxIndicators,
    maxRelatedAlerts: options.maxRelatedAlerts ?? defaults.maxRelatedAlerts,
    maxRecentAlerts: options.maxRecentAlerts ?? defaults.maxRecentAlerts,
    maxAlerts: options.maxAlerts ?? defaults.maxAlerts,
  };
}

/**
 * Everything known about an incident: its alerts and evidence, the affected users, recent and related alerts,
 * threat intelligence for public indicators and ATT&CK facts. Sources are asked concurrently, each with a
 * time-out and a bound on parallel calls; a source that fails becomes an entry in `gaps`. Only a missing
 * incident is an error (there is nothing to investigate), and a cancelled gathering rejects.
 */
export async function gatherIncidentContext(
  input: IncidentInput,
  dependencies: ContextDependencies,
  options: GatherOptions = {},
): Promise<IncidentContext> {
  const settings = settingsFor(options);
  const gaps: ContextGap[] = [];
  const incident = await resolveIncident(input, dependencies, settings);
  const given = typeof input === 'object' && 'alerts' in input ? input.alerts : undefined;
  const alerts = given ? given.slice(0, settings.maxAlerts) : await fetchAlerts(incident, dependencies, settings, gaps);
  if (given && given.length > settings.maxAlerts) {
    gaps.push({ source: 'alerts', reason: `only the first ${settings.maxAlerts} of ${given.length} alerts were used` });
  }
  const gathered = await gatherAround(incident, sortAlertsByActivity(alerts), dependencies, settings, gaps);
  return { incident, ...gathered };
}

/**
 * The same for one alert: its incident's facts when the source knows them (not its sibling alerts, which show up
 * as related alerts when they share entities), the users, recent and related alerts, intelligence and ATT&CK.
 */
export async function gatherAlertContext(
  alert: Alert,
  dependencies: ContextDependencies,
  options: GatherOptions = {},
): Promise<AlertContext> {
  const settings = settingsFor(options);
  const gaps: ContextGap[] = [];
  let incident: Incident | undefined;
  if (alert.incidentId !== undefined) {
    try {
      incident = await withTimeout(
        () => dependencies.dataSource.getIncident(alert.incidentId as string),
        settings.timeoutMs,
        settings.signal,
      );
    } catch (error) {
      if (error instanceof GatherAbortedError) throw error;
      gaps.push({ source: 'incident', reason: `incident ${alert.incidentId}: ${failureReason(error)}` });
    }
  }
  const gathered = await gatherAround(incident, [alert], dependencies, settings, gaps);
  return incident === undefined ? { alert, ...gathered } : { alert, incident, ...gathered };
}

async function resolveIncident(
  input: IncidentInput,
  dependencies: ContextDependencies,
  settings: Settings,
): Promise<Incident> {
  if (typeof input !== 'string') return 'incident' in input ? input.incident : input;
  const id = input.trim();
  let incident: Incident | undefined;
  try {
    incident = await withTimeout(() => dependencies.dataSource.getIncident(id), settings.timeoutMs, settings.signal);
  } catch (error) {
    if (error instanceof GatherAbortedError) throw error;
    throw new CopilotError('source_unavailable', `incident ${id.slice(0, 80)} could not be read`, {
      retryable: true,
      cause: error,
      userMessage: `I could not read incident ${id.slice(0, 80)} from the ${dependencies.dataSource.name} data source (${failureReason(error)}). Try again in a moment.`,
    });
  }
  if (incident === undefined) {
    throw new CopilotError('not_found', `incident ${id.slice(0, 80)} not found`, {
      userMessage: `I could not find incident "${id.slice(0, 80)}" in the ${dependencies.dataSource.name} data source. Check the number, or paste the incident JSON.`,
    });
  }
  return incident;
}

async function fetchAlerts(
  incident: Incident,
  dependencies: ContextDependencies,
  settings: Settings,
  gaps: ContextGap[],
): Promise<Alert[]> {
  const ids = incident.alertIds.slice(0, settings.maxAlerts);
  if (incident.alertIds.length > ids.length) {
    gaps.push({
      source: 'alerts',
      reason: `only the first ${ids.length} of ${incident.alertIds.length} alerts were read`,
    });
  }
  const outcomes = await mapSettledBounded(ids, settings.concurrency, (id) =>
    withTimeout(() => dependencies.dataSource.getAlert(id), settings.timeoutMs, settings.signal),
  );
  throwIfAborted(outcomes);
  const alerts: Alert[] = [];
  const missing: string[] = [];
  const failed: string[] = [];
  outcomes.forEach((outcome, index) => {
    if (outcome.status === 'rejected') failed.push(`${ids[index]} (${failureReason(outcome.reason)})`);
    else if (outcome.value === undefined) missing.push(ids[index]);
    else alerts.push(outcome.value);
  });
  if (failed.length > 0) gaps.push({ source: 'alerts', reason: `could not read alerts ${shortList(failed)}` });
  if (missing.length > 0) {
    gaps.push({ source: 'alerts', reason: `alerts ${shortList(missing)} are not in the data source` });
  }
  return alerts;
}

async function gatherAround(
  incident: Incident | undefined,
  alerts: Alert[],
  dependencies: ContextDependencies,
  settings: Settings,
  gaps: ContextGap[],
): Promise<GatheredContext> {
  const clock = dependencies.clock ?? (() => new Date());
  const now = clock();
  const subjectIds = new Set(alerts.map((alert) => alert.id.toLowerCase()));
  const upns = affectedUserPrincipalNames(alerts);
  const indicators = publicIndicators(alerts, settings.maxIndicators);
  const values = correlationValues(alerts, defaults.correlationValues);

  const [users, recentAlerts, relatedAlerts, enrichment] = await Promise.all([
    fetchUsers(upns, dependencies, settings, gaps),
    fetchRecentAlerts(now, subjectIds, dependencies, settings, gaps),
    fetchRelatedAlerts(values, subjectIds, dependencies, settings, gaps),
    enrichIndicators(indicators, dependencies, settings, gaps),
  ]);
  if (settings.signal?.aborted) throw new GatherAbortedError();

  let techniques: GatheredContext['techniques'] = [];
  let threats: GatheredContext['threats'] = [];
  try {
    techniques = techniquesForAlerts(alerts, dependencies.attack);
    threats = threatsForIncident(incident, alerts, enrichment.indicators, dependencies.attackKnowledge);
  } catch (error) {
    gaps.push({ source: 'attack', reason: `ATT&CK lookups ${failureReason(error)}` });
  }

  const sources = [
    `${dependencies.dataSource.name} data source: ${incident ? 'incident, ' : ''}${plural(alerts.length, 'alert')}, ` +
      `${plural(users.length, 'user profile')}, ${plural(recentAlerts.length, 'recent alert')}, ` +
      `${plural(relatedAlerts.length, 'related alert')}`,
    enrichment.summary,
    `MITRE ATT&CK: ${plural(techniques.length, 'technique')}${threats.length > 0 ? `, ${plural(threats.length, 'group or software', 'groups or software')}` : ''}`,
  ];
  return {
    alerts,
    evidence: buildEvidence(alerts),
    users,
    recentAlerts,
    relatedAlerts,
    indicators: enrichment.indicators,
    techniques,
    threats,
    gaps,
    sources,
    gatheredAt: now.toISOString(),
    recentWindowHours: settings.recentWindowHours,
  };
}

async function fetchUsers(
  upns: string[],
  dependencies: ContextDependencies,
  settings: Settings,
  gaps: ContextGap[],
): Promise<UserContext[]> {
  const wanted = upns.slice(0, settings.maxUsers);
  if (upns.length > wanted.length) {
    gaps.push({ source: 'users', reason: `only the first ${wanted.length} of ${upns.length} accounts were looked up` });
  }
  const outcomes = await mapSettledBounded(wanted, settings.concurrency, (upn) =>
    withTimeout(() => dependencies.dataSource.getUserContext(upn), settings.timeoutMs, settings.signal),
  );
  throwIfAborted(outcomes);
  const users: UserContext[] = [];
  const failed: string[] = [];
  outcomes.forEach((outcome, index) => {
    if (outcome.status === 'rejected') failed.push(`${wanted[index]} (${failureReason(outcome.reason)})`);
    // An account the directory does not know (a guest, an external sender) simply has no profile.
    else if (outcome.value !== undefined) users.push(outcome.value);
  });
  if (failed.length > 0) gaps.push({ source: 'users', reason: `could not read user context for ${shortList(failed)}` });
  return users;
}

async function fetchRecentAlerts(
  now: Date,
  subjectIds: Set<string>,
  dependencies: ContextDependencies,
  settings: Settings,
  gaps: ContextGap[],
): Promise<Alert[]> {
  const since = new Date(now.getTime() - settings.recentWindowHours * 3_600_000);
  try {
    const alerts = await withTimeout(
      // One more than we keep per subject alert, so the subject's own alerts do not push others out.
      () => dependencies.dataSource.listAlerts({ since, limit: settings.maxRecentAlerts + subjectIds.size }),
      settings.timeoutMs,
      settings.signal,
    );
    return alerts.filter((alert) => !subjectIds.has(alert.id.toLowerCase())).slice(0, settings.maxRecentAlerts);
  } catch (error) {
    if (error instanceof GatherAbortedError) throw error;
    gaps.push({
      source: 'recentAlerts',
      reason: `alerts of the last ${settings.recentWindowHours} h ${failureReason(error)}`,
    });
    return [];
  }
}

async function fetchRelatedAlerts(
  values: string[],
  subjectIds: Set<string>,
  dependencies: ContextDependencies,
  settings: Settings,
  gaps: ContextGap[],
): Promise<RelatedAlert[]> {
  if (values.length === 0) return [];
  try {
    const alerts = await withTimeout(
      () =>
        dependencies.dataSource.listAlerts({
          entityValues: values,
          limit: settings.maxRelatedAlerts + subjectIds.size,
        }),
      settings.timeoutMs,
      settings.signal,
    );
    const wanted = values.map((value) => value.toLowerCase());
    return alerts
      .filter((alert) => !subjectIds.has(alert.id.toLowerCase()))
      .slice(0, settings.maxRelatedAlerts)
      .map((alert) => ({
        alert,
        sharedValues: [
          ...new Set(
            alert.entities.map((entity) => entity.value).filter((value) => wanted.includes(value.trim().toLowerCase())),
          ),
        ].slice(0, 10),
      }));
  } catch (error) {
    if (error instanceof GatherAbortedError) throw error;
    gaps.push({ source: 'relatedAlerts', reason: `alerts sharing entities ${failureReason(error)}` });
    return [];
  }
}

async function enrichIndicators(
  indicators: ReturnType<typeof publicIndicators>,
  dependencies: ContextDependencies,
  settings: Settings,
  gaps: ContextGap[],
): Promise<{ indicators: IndicatorEnrichment[]; summary: string }> {
  if (indicators.length === 0) {
    return { indicators: [], summary: 'threat intelligence: no public indicators to look up' };
  }
  if (dependencies.enrichment === undefined) {
    gaps.push({ source: 'enrichment', reason: 'threat intelligence is not available here' });
    return { indicators: [], summary: 'threat intelligence: not available' };
  }
  const enrichment = dependencies.enrichment;
  try {
    const result = await withTimeout(
      (signal) => enrichment.enrich(indicators, { signal }),
      settings.timeoutMs,
      settings.signal,
    );
    if (result.providers.length === 0) {
      gaps.push({
        source: 'enrichment',
        reason: `no threat-intelligence provider is configured, so ${plural(indicators.length, 'public indicator')} ${indicators.length === 1 ? 'was' : 'were'} not looked up`,
      });
      return { indicators: result.indicators, summary: 'threat intelligence: no provider configured' };
    }
    const failures = result.indicators.filter((entry) => entry.evidence.length === 0 && entry.failures.length > 0);
    if (failures.length > 0) {
      gaps.push({
        source: 'enrichment',
        reason: `no provider answered for ${shortList(failures.map((entry) => entry.indicator.value))}`,
      });
    }
    return {
      indicators: result.indicators,
      summary: `threat intelligence: ${plural(indicators.length, 'indicator')} via ${result.providers.join(', ')}`,
    };
  } catch (error) {
    if (error instanceof GatherAbortedError) throw error;
    gaps.push({ source: 'enrichment', reason: `threat-intelligence lookups ${failureReason(error)}` });
    return { indicators: [], summary: 'threat intelligence: failed' };
  }
}

function throwIfAborted(outcomes: Array<PromiseSettledResult<unknown>>): void {
  if (outcomes.some((outcome) => outcome.status === 'rejected' && outcome.reason instanceof GatherAbortedError)) {
    throw new GatherAbortedError();
  }
}

function shortList(items: string[], maximum = 4): string {
  const shown = items.slice(0, maximum).map((item) => (item.length > 80 ? `${item.slice(0, 79)}…` : item));
  return items.length > maximum ? `${shown.join(', ')} and ${items.length - maximum} more` : shown.join(', ');
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
