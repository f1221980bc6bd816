import { AlertSchema, IncidentSchema } from '../model';
import type { Alert, Incident } from '../model';
import type { NormalizeOptions } from './common';
import { contentDerivedId, currentProductName, fallbackTimestamp, productNameForServiceSource } from './common';
import { EntityCollector } from './entities';
import type { JsonRecord } from './fields';
import { asRecord, readArray, readFirstString, readString, readStringArray, uniqueStrings } from './fields';
import { addGraphEvidence } from './graph-evidence';
import { toAlertStatus, toGraphIncidentStatus, toSeverity } from './severity-status';
import { normalizeTechniqueIds } from './techniques';
import { firstIsoTimestamp } from './time';

export const graphAlertODataType = '#microsoft.graph.security.alert';
export const graphIncidentODataType = '#microsoft.graph.security.incident';

/**
 * A Microsoft Graph Security alerts_v2 alert (GET /security/alerts_v2/{id}) as our Alert.
 * Graph's "unknown"/"unknownFutureValue" classification and determination are dropped: they say nothing.
 */
export function mapGraphAlert(payload: unknown, options?: NormalizeOptions): Alert {
  const alert = asRecord(payload) ?? {};
  const serviceSource = readString(alert, 'serviceSource');
  const productName = currentProductName(
    readString(alert, 'productName') ?? productNameForServiceSource(serviceSource) ?? 'Microsoft Defender XDR',
  );
  const createdAt =
    firstIsoTimestamp(alert.createdDateTime, alert.firstActivityDateTime, alert.lastUpdateDateTime) ??
    fallbackTimestamp(options);

  const entities = new EntityCollector();
  for (const evidence of readArray(alert, 'evidence')) addGraphEvidence(entities, evidence);
  addThreatNames(entities, alert);

  return AlertSchema.parse({
    id: readFirstString(alert, ['id', 'providerAlertId']) ?? contentDerivedId('graph', payload),
    sourceFormat: 'graph',
    title: readString(alert, 'title') ?? `Untitled alert from ${productName}`,
    description: readString(alert, 'description') ?? '',
    severity: toSeverity(readString(alert, 'severity')),
    status: toAlertStatus(readString(alert, 'status')),
    category: readString(alert, 'category'),
    productName,
    serviceSource,
    detectionSource: readString(alert, 'detectionSource'),
    createdAt,
    firstActivityAt: firstIsoTimestamp(alert.firstActivityDateTime),
    lastActivityAt: firstIsoTimestamp(alert.lastActivityDateTime),
    lastUpdatedAt: firstIsoTimestamp(alert.lastUpdateDateTime),
    incidentId: readString(alert, 'incidentId'),
    techniques: normalizeTechniqueIds(readStringArray(alert, 'mitreTechniques')),
    tactics: [],
    entities: entities.toArray(),
    recommendedActions: readString(alert, 'recommendedActions'),
    portalUrl: readString(alert, 'alertWebUrl'),
    assignedTo: readString(alert, 'assignedTo'),
    classification: meaningful(readString(alert, 'classification')),
    determination: meaningful(readString(alert, 'determination')),
    tenantId: readString(alert, 'tenantId'),
    alertType: readString(alert, 'detectorId'),
  });
}

/** Threat family, threat and actor names are facts an analyst searches for, so they travel as entities. */
function addThreatNames(entities: EntityCollector, alert: JsonRecord) {
  entities.add('other', readString(alert, 'threatFamilyName'), { kind: 'malwareFamily' });
  entities.add('other', readString(alert, 'threatDisplayName'), { kind: 'threat' });
  entities.add('other', readString(alert, 'actorDisplayName'), { kind: 'threatActor' });
}

function meaningful(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value === 'unknown' || value === 'unknownFutureValue' ? undefined : value;
}

/** A Microsoft Graph Security incident (GET /security/incidents/{id}, optionally with $expand=alerts). */
export function mapGraphIncident(payload: unknown, options?: NormalizeOptions): Incident {
  const incident = asRecord(payload) ?? {};
  const expandedAlertIds = readArray(incident, 'alerts')
    .map((alert) => readString(asRecord(alert), 'id'))
    .filter((id): id is string => id !== undefined);
  const tags = uniqueStrings([...readStringArray(incident, 'customTags'), ...readStringArray(incident, 'systemTags')]);

  return IncidentSchema.parse({
    id: readString(incident, 'id') ?? contentDerivedId('graph-incident', payload),
    sourceFormat: 'graph',
    title: readFirstString(incident, ['displayName', 'title']) ?? 'Untitled incident',
    description: readFirstString(incident, ['description', 'summary']) ?? '',
    severity: toSeverity(readString(incident, 'severity')),
    status: toGraphIncidentStatus(readString(incident, 'status')),
    createdAt: firstIsoTimestamp(incident.createdDateTime, incident.lastUpdateDateTime) ?? fallbackTimestamp(options),
    lastUpdatedAt: firstIsoTimestamp(incident.lastUpdateDateTime),
    alertIds: uniqueStrings(expandedAlertIds),
    assignedTo: readString(incident, 'assignedTo'),
    classification: meaningful(readString(incident, 'classification')),
    determination: meaningful(readString(incident, 'determination')),
    tags,
    portalUrl: readString(incident, 'incidentWebUrl'),
  });
}

/** The alerts of an incident fetched with `$expand=alerts`, each mapped like a standalone alert. */
export function mapGraphIncidentAlerts(payload: unknown, options?: NormalizeOptions): Alert[] {
  const incident = asRecord(payload);
  const incidentId = readString(incident, 'id');
  return readArray(incident, 'alerts')
    .filter((alert) => asRecord(alert) !== undefined)
    .map((alert) => {
      const mapped = mapGraphAlert(alert, options);
      return mapped.incidentId === undefined && incidentId !== undefined ? { ...mapped, incidentId } : mapped;
    });
}
