import { parseIndicator } from '../../intel/enrichment/indicator';
import { lookupRestriction } from '../../intel/enrichment/address-scope';
import type { Indicator } from '../../intel/enrichment/types';
import type { Alert, Entity, EntityType, Incident } from '../../sources/model';
import type { EvidenceItem } from './types';

/** Evidence ids, entity selection and indicator selection: pure functions over alerts. */

/** `<alert id>#<n>`: the n-th (1-based) entity of an alert. */
export function entityEvidenceId(alertId: string, index: number): string {
  return `${alertId}#${index + 1}`;
}

export function userEvidenceId(userPrincipalName: string): string {
  return `user:${userPrincipalName.toLowerCase()}`;
}

export function buildEvidence(alerts: readonly Alert[]): EvidenceItem[] {
  return alerts.flatMap((alert) =>
    alert.entities.map((entity, index) => ({ id: entityEvidenceId(alert.id, index), alertId: alert.id, entity })),
  );
}

/** Oldest activity first; ties by id, so every run orders the same. */
export function sortAlertsByActivity(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort(
    (left, right) =>
      Date.parse(left.firstActivityAt ?? left.createdAt) - Date.parse(right.firstActivityAt ?? right.createdAt) ||
      left.id.localeCompare(right.id),
  );
}

/** Roles that name someone outside the organisation: their mailbox is not a user to look up. */
const externalRoles = new Set(['attacker', 'destination', 'commandandcontrol']);

/**
 * The user principal names of the accounts and mailboxes the alerts involve, most often seen first. A value
 * counts only when it looks like a UPN (name@domain); mailboxes in an attacker or destination role are left out.
 */
export function affectedUserPrincipalNames(alerts: readonly Alert[]): string[] {
  const counts = new Map<string, { upn: string; count: number; first: number }>();
  let order = 0;
  for (const alert of alerts) {
    for (const entity of alert.entities) {
      if (entity.type !== 'account' && entity.type !== 'mailbox') continue;
      if (entity.roles.some((role) => externalRoles.has(role.toLowerCase()))) continue;
      const candidate = (entity.properties.userPrincipalName ?? entity.value).trim();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(candidate)) continue;
      const key = candidate.toLowerCase();
      const known = counts.get(key);
      if (known) known.count += 1;
      else counts.set(key, { upn: candidate, count: 1, first: order++ });
    }
  }
  return [...counts.values()]
    .sort((left, right) => right.count - left.count || left.first - right.first)
    .map((entry) => entry.upn);
}

/** Entity types whose values identify the same thing across alerts (a cloud app such as "Office 365" does not). */
const correlatingTypes = new Set<EntityType>([
  'account',
  'host',
  'ip',
  'url',
  'domain',
  'mailbox',
  'file',
  'azureResource',
]);

/** Entity values to look for in other alerts, most specific types first, at most `limit`. */
export function correlationValues(alerts: readonly Alert[], limit: number): string[] {
  const order: EntityType[] = ['account', 'host', 'ip', 'domain', 'url', 'mailbox', 'file', 'azureResource'];
  const seen = new Set<string>();
  const values: Array<{ value: string; rank: number }> = [];
  for (const alert of alerts) {
    for (const entity of alert.entities) {
      if (!correlatingTypes.has(entity.type)) continue;
      const value = entity.value.trim();
      const key = value.toLowerCase();
      if (value === '' || value.length > 512 || seen.has(key)) continue;
      seen.add(key);
      values.push({ value, rank: order.indexOf(entity.type) });
    }
  }
  return values
    .sort((left, right) => left.rank - right.rank)
    .slice(0, limit)
    .map((entry) => entry.value);
}

/** The values of an entity that can be indicators: its own value and the hashes it carries. */
function indicatorCandidates(entity: Entity): string[] {
  switch (entity.type) {
    case 'ip':
    case 'url':
    case 'domain':
      return [entity.value];
    case 'file':
    case 'process':
      return [entity.properties.sha256, entity.properties.sha1, entity.properties.md5].filter(
        (hash): hash is string => hash !== undefined && hash.trim() !== '',
      );
    default:
      return [];
  }
}

/**
 * Indicators worth a threat-intelligence lookup: public addresses, names, URLs and file hashes from the evidence.
 * Private and documentation addresses and reserved names are never sent out (the enrichment service refuses them
 * too; filtering here keeps them out of the count and the card).
 */
export function publicIndicators(alerts: readonly Alert[], limit: number): Indicator[] {
  const seen = new Set<string>();
  const indicators: Indicator[] = [];
  for (const alert of alerts) {
    for (const entity of alert.entities) {
      for (const candidate of indicatorCandidates(entity)) {
        const indicator = parseIndicator(candidate);
        if (indicator === undefined || lookupRestriction(indicator) !== undefined) continue;
        const key = `${indicator.type}:${indicator.value.toLowerCase()}`;
        if (seen.has(key)) continue;
        seen.add(key);
        indicators.push(indicator);
        if (indicators.length >= limit) return indicators;
      }
    }
  }
  return indicators;
}

/**
 * An incident made from alerts that came without one (a pasted alert, an export of alerts): the highest
 * severity, the earliest creation time, the first alert's title. The id says it was assembled.
 */
export function incidentFromAlerts(alerts: readonly Alert[], options: { id?: string; title?: string } = {}): Incident {
  if (alerts.length === 0) throw new Error('incidentFromAlerts needs at least one alert');
  const ordered = sortAlertsByActivity(alerts);
  const severityRank = ['informational', 'low', 'medium', 'high'] as const;
  const severity = alerts.reduce<Incident['severity']>(
    (highest, alert) =>
      severityRank.indexOf(alert.severity) > severityRank.indexOf(highest) ? alert.severity : highest,
    'informational',
  );
  const createdAt = ordered.reduce(
    (earliest, alert) => (Date.parse(alert.createdAt) < Date.parse(earliest) ? alert.createdAt : earliest),
    ordered[0].createdAt,
  );
  const open = alerts.some((alert) => alert.status !== 'resolved');
  return {
    id: options.id ?? `alerts-${ordered[0].id}`.slice(0, 120),
    sourceFormat: ordered[0].sourceFormat,
    title:
      options.title ?? (alerts.length === 1 ? ordered[0].title : `${ordered[0].title} (+${alerts.length - 1} alerts)`),
    description: '',
    severity,
    status: open ? 'active' : 'resolved',
    createdAt,
    alertIds: ordered.map((alert) => alert.id),
    tags: [],
  };
}
