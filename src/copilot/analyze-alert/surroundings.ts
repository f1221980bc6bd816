import type { Alert, Entity, Severity, UserContext } from '../../sources/model';
import { entityHasValue } from '../../sources/normalize/entities';
import type { SecurityDataSource } from '../../sources/port';

/**
 * What the data source knows around one alert: other alerts that share its entities or its incident, and
 * the user context of its accounts. Every look-up has a time-out; one that fails or times out becomes a
 * `gaps` entry the analyst sees, and the answer goes on without it. (This is the narrow set these
 * capabilities need, not a general context module.)
 */

export const defaultSourceTimeoutMs = 5000;
const maximumRelated = 8;
const maximumLookupValues = 20;
const maximumUsers = 6;
const maximumIncidentSiblings = 12;

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
  gaps: string[];
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

/** Entity types whose values identify the same thing across alerts (not processes: a command line rarely repeats). */
const correlatingTypes: ReadonlySet<Entity['type']> = new Set([
  'account',
  'host',
  'ip',
  'url',
  'domain',
  'file',
  'mailbox',
  'azureResource',
]);

/** The values worth looking other alerts up by: people, machines, indicators. */
export function correlatingValues(alert: Alert): string[] {
  const values = new Set<string>();
  for (const entity of alert.entities) {
    if (!correlatingTypes.has(entity.type)) continue;
    const value = entity.value.trim();
    if (value !== '' && value.length <= 512) values.add(value);
  }
  return [...values].slice(0, maximumLookupValues);
}

/** The analysed alert's entity values that `other` also carries. */
export function sharedEntityValues(alert: Alert, other: Alert): string[] {
  const shared: string[] = [];
  for (const value of correlatingValues(alert)) {
    if (other.entities.some((entity) => correlatingTypes.has(entity.type) && entityHasValue(entity, value)))
      shared.push(value);
  }
  return shared;
}

/** User principal names of an alert's accounts (and mailboxes), lower-cased, first seen first. */
export function accountNames(alerts: readonly Alert[]): string[] {
  const names = new Set<string>();
  for (const alert of alerts) {
    for (const entity of alert.entities) {
      if (entity.type !== 'account' && entity.type !== 'mailbox') continue;
      const upn = (entity.properties.userPrincipalName ?? entity.value).trim().toLowerCase();
      if (/^[^@\s]+@[^@\s]+$/.test(upn)) names.add(upn);
    }
  }
  return [...names];
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

export async function gatherAlertSurroundings(
  alert: Alert,
  dataSource: SecurityDataSource,
  options: SourceLookupOptions = {},
): Promise<AlertSurroundings> {
  const gaps: string[] = [];
  const values = correlatingValues(alert);
  const [byEntity, incident, people] = await Promise.all([
    values.length === 0
      ? Promise.resolve({ ok: true as const, value: [] as Alert[] })
      : lookup('Alerts sharing entities', () => dataSource.listAlerts({ entityValues: values, limit: 100 }), options),
    alert.incidentId === undefined
      ? Promise.resolve({ ok: true as const, value: undefined })
      : lookup(`Incident ${alert.incidentId}`, () => dataSource.getIncident(alert.incidentId ?? ''), options),
    userContexts(dataSource, accountNames([alert]), options),
  ]);

  const candidates = new Map<string, Alert>();
  if (byEntity.ok) for (const other of byEntity.value) candidates.set(other.id, other);
  else gaps.push(byEntity.gap);

  const incidentAlertIds = new Set<string>();
  if (!incident.ok) gaps.push(incident.gap);
  else if (incident.value !== undefined) {
    for (const id of incident.value.alertIds) incidentAlertIds.add(id);
    const missing = incident.value.alertIds
      .filter((id) => id !== alert.id && !candidates.has(id))
      .slice(0, maximumIncidentSiblings);
    const siblings = await Promise.all(
      missing.map((id) => lookup(`Alert ${id}`, () => dataSource.getAlert(id), options)),
    );
    for (const sibling of siblings) {
      if (!sibling.ok) gaps.push(sibling.gap);
      else if (sibling.value !== undefined) candidates.set(sibling.value.id, sibling.value);
    }
  }
  gaps.push(...people.gaps);

  const relatedAlerts = [...candidates.values()]
    .filter((other) => other.id !== alert.id)
    .map((other) => ({
      other,
      shared: sharedEntityValues(alert, other),
      sameIncident:
        incidentAlertIds.has(other.id) || (alert.incidentId !== undefined && other.incidentId === alert.incidentId),
    }))
    .filter((entry) => entry.shared.length > 0 || entry.sameIncident)
    .sort(
      (left, right) =>
        right.shared.length - left.shared.length ||
        Number(right.sameIncident) - Number(left.sameIncident) ||
        right.other.createdAt.localeCompare(left.other.createdAt),
    )
    .slice(0, maximumRelated)
    .map(({ other, shared, sameIncident }) => {
      const related: RelatedAlert = {
        id: other.id,
        title: other.title,
        severity: other.severity,
        status: other.status,
        createdAt: other.createdAt,
        sharedEntities: shared,
        sameIncident,
      };
      if (other.incidentId !== undefined) related.incidentId = other.incidentId;
      return related;
    });
  return { relatedAlerts, users: people.users, gaps };
}
