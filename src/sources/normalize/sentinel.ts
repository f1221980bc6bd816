import { AlertSchema, IncidentSchema } from '../model';
import type { Alert, Incident } from '../model';
import type { NormalizeOptions } from './common';
import { contentDerivedId, currentProductName, fallbackTimestamp } from './common';
import { entityHasValue } from './entities';
import type { EntityCollector } from './entities';
import type { JsonRecord } from './fields';
import {
  asRecord,
  lookup,
  parseMaybeJson,
  readFirstString,
  readFlexibleList,
  readString,
  toStringArray,
  toText,
  uniqueStrings,
} from './fields';
import { mapSentinelEntities } from './sentinel-entities';
import { toAlertStatus, toSentinelIncidentStatus, toSeverity } from './severity-status';
import { normalizeTechniqueIds } from './techniques';
import { firstIsoTimestamp } from './time';

/**
 * Column names differ between the Log Analytics table (AlertSeverity, DisplayName, StartTime, VendorOriginalId)
 * and older exports and the Sentinel alert API (Severity, AlertDisplayName, StartTimeUtc, ProviderAlertId);
 * each fact is read from whichever is present.
 */
const columns = {
  title: ['DisplayName', 'AlertDisplayName', 'AlertName'],
  severity: ['AlertSeverity', 'Severity'],
  start: ['StartTime', 'StartTimeUtc'],
  end: ['EndTime', 'EndTimeUtc'],
} as const;

/** Sentinel's provider names mean a product; the rule-based ones are Sentinel's own analytics. */
const productNameByProvider: Record<string, string> = {
  customalertrule: 'Microsoft Sentinel',
  'asi scheduled alerts': 'Microsoft Sentinel',
  'asi nrt alerts': 'Microsoft Sentinel',
  detection: 'Microsoft Defender for Cloud',
  'azure security center': 'Microsoft Defender for Cloud',
  mdatp: 'Microsoft Defender for Endpoint',
  oatp: 'Microsoft Defender for Office 365',
  mcas: 'Microsoft Defender for Cloud Apps',
  ipc: 'Microsoft Entra ID Protection',
  'azure advanced threat protection': 'Microsoft Defender for Identity',
};

/** A Microsoft Sentinel SecurityAlert row (Log Analytics query result or export) as our Alert. */
export function mapSentinelAlert(payload: unknown, options?: NormalizeOptions): Alert {
  const row = asRecord(payload) ?? {};
  const extendedProperties = asRecord(parseMaybeJson(row.ExtendedProperties)) ?? {};
  const providerName = readString(row, 'ProviderName');
  const productName = currentProductName(
    readString(row, 'ProductName') ??
      (providerName === undefined ? undefined : lookup(productNameByProvider, providerName.toLowerCase())) ??
      'Microsoft Sentinel',
  );
  const startTime = firstIsoTimestamp(...columns.start.map((column) => row[column]));
  const timeGenerated = firstIsoTimestamp(row.TimeGenerated);

  const collector = mapSentinelEntities(row.Entities);
  markCompromised(collector, row, extendedProperties);

  const techniqueCandidates = [
    ...readFlexibleList(row.Techniques),
    ...readFlexibleList(row.SubTechniques),
    ...readFlexibleList(extendedProperties.Techniques),
  ];
  const title = readFirstString(row, columns.title) ?? readString(row, 'AlertType') ?? 'Untitled Sentinel alert';

  return AlertSchema.parse({
    id:
      readFirstString(row, ['SystemAlertId', 'VendorOriginalId', 'ProviderAlertId']) ??
      contentDerivedId('sentinel', payload),
    sourceFormat: 'sentinel',
    title,
    description: readString(row, 'Description') ?? '',
    severity: toSeverity(readFirstString(row, columns.severity)),
    status: toAlertStatus(readString(row, 'Status')),
    category: readString(extendedProperties, 'Category'),
    productName,
    detectionSource: providerName,
    createdAt: timeGenerated ?? startTime ?? fallbackTimestamp(options),
    firstActivityAt: startTime,
    lastActivityAt: firstIsoTimestamp(...columns.end.map((column) => row[column])),
    lastUpdatedAt: firstIsoTimestamp(row.ProcessingEndTime) ?? timeGenerated,
    techniques: normalizeTechniqueIds(techniqueCandidates),
    tactics: uniqueStrings(readFlexibleList(row.Tactics).filter((tactic) => tactic.toLowerCase() !== 'unknown')),
    entities: collector.toArray(),
    recommendedActions: remediationText(row.RemediationSteps),
    portalUrl: readString(row, 'AlertLink'),
    tenantId: readString(row, 'TenantId'),
    alertType: readString(row, 'AlertType'),
  });
}

/**
 * CompromisedEntity names the host or account the provider believes is compromised. It is usually also an
 * entity; when it is not (rows without Entities) it becomes one, so the fact is not lost.
 */
function markCompromised(collector: EntityCollector, row: JsonRecord, extendedProperties: JsonRecord) {
  const compromised = uniqueStrings(
    [readString(row, 'CompromisedEntity'), readString(extendedProperties, 'Compromised Host')].filter(
      (value): value is string => value !== undefined,
    ),
  );
  for (const value of compromised) {
    const marked = collector
      .toArray()
      .filter((entity) => entityHasValue(entity, value))
      .map((entity) => collector.addRole(entity.type, entity.value, 'compromised'))
      .some(Boolean);
    if (!marked) collector.add(value.includes('@') ? 'account' : 'host', value, {}, ['compromised']);
  }
}

/** RemediationSteps is a JSON array of steps (as text); one step per line reads well in a card. */
function remediationText(value: unknown): string | undefined {
  const parsed = parseMaybeJson(value);
  const steps = Array.isArray(parsed) ? toStringArray(parsed) : [toText(parsed)].filter((step) => step !== undefined);
  return steps.length === 0 ? undefined : steps.join('\n');
}

/** A Microsoft Sentinel SecurityIncident row as our Incident. The number is the id analysts know. */
export function mapSentinelIncident(payload: unknown, options?: NormalizeOptions): Incident {
  const row = asRecord(payload) ?? {};
  const owner = asRecord(parseMaybeJson(row.Owner));
  const labels = parseMaybeJson(row.Labels);
  const alertIds = parseMaybeJson(row.AlertIds);

  return IncidentSchema.parse({
    id: readFirstString(row, ['IncidentNumber', 'IncidentName']) ?? contentDerivedId('sentinel-incident', payload),
    sourceFormat: 'sentinel',
    title: readString(row, 'Title') ?? 'Untitled incident',
    description: readString(row, 'Description') ?? '',
    severity: toSeverity(readString(row, 'Severity')),
    status: toSentinelIncidentStatus(readString(row, 'Status')),
    createdAt:
      firstIsoTimestamp(row.CreatedTime, row.FirstActivityTime, row.TimeGenerated) ?? fallbackTimestamp(options),
    lastUpdatedAt: firstIsoTimestamp(row.LastModifiedTime, row.TimeGenerated),
    alertIds: uniqueStrings(Array.isArray(alertIds) ? toStringArray(alertIds) : readFlexibleList(alertIds)),
    assignedTo: readFirstString(owner, ['userPrincipalName', 'email', 'assignedTo']),
    classification: readString(row, 'Classification'),
    determination: readString(row, 'ClassificationReason'),
    tags: uniqueStrings(labelNames(labels)),
    portalUrl: readString(row, 'IncidentUrl'),
  });
}

/** Labels are `[{"labelName": "…", "labelType": "User"}]`; plain strings are accepted too. */
function labelNames(labels: unknown): string[] {
  if (!Array.isArray(labels)) return readFlexibleList(labels);
  return labels
    .map((label) => (typeof label === 'string' ? toText(label) : readString(asRecord(label), 'labelName')))
    .filter((name): name is string => name !== undefined);
}
