import { z } from 'zod';
import { CopilotError, toCopilotError } from '../errors';
import type { Alert, Incident } from '../sources/model';
import {
  detectAlertFormat,
  detectIncidentFormat,
  mapGraphIncidentAlerts,
  normalizeAlert,
  normalizeIncident,
} from '../sources/normalize';

/** Most alerts a single webhook call may carry; Logic Apps and SIEM forwarders batch far fewer. */
export const maxAlertsPerRequest = 500;

const JsonObjectSchema = z.record(z.unknown());
const AlertWebhookBodySchema = z.union([
  JsonObjectSchema,
  z
    .array(JsonObjectSchema, { invalid_type_error: 'each item must be a JSON object' })
    .min(1, 'the batch is empty')
    .max(maxAlertsPerRequest, `a batch holds at most ${maxAlertsPerRequest} alerts`),
]);

/**
 * The alerts in a webhook body: a Graph alerts_v2 alert, a Sentinel SecurityAlert row, a Defender alert, a
 * Graph or Sentinel incident, or a JSON array of them. A Graph incident with its `alerts` expanded becomes
 * those alerts; any other incident becomes one feed item of its own (`incident-<id>`), so an incident-only
 * automation still reaches the channel. Throws `bad_input` naming the first item that is none of these.
 */
export function alertsFromWebhookBody(json: unknown, receivedAt: Date): Alert[] {
  const parsed = AlertWebhookBodySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CopilotError('bad_input', `The body must be an alert object or a JSON array of them: ${issue?.message}`);
  }
  const items = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  return items.flatMap((item, index) => {
    try {
      return alertsFromItem(item, receivedAt);
    } catch (error) {
      const where = Array.isArray(parsed.data) ? `item ${index}: ` : '';
      throw new CopilotError('bad_input', `${where}${toCopilotError(error).message}`.slice(0, 600), { cause: error });
    }
  });
}

function alertsFromItem(item: Record<string, unknown>, receivedAt: Date): Alert[] {
  if (detectAlertFormat(item) !== undefined) return [normalizeAlert(item, { receivedAt })];
  const incidentFormat = detectIncidentFormat(item);
  if (incidentFormat === undefined) return [normalizeAlert(item, { receivedAt })]; // throws, naming what we accept
  if (incidentFormat === 'graph' && Array.isArray(item.alerts) && item.alerts.length > 0) {
    return mapGraphIncidentAlerts(item, { receivedAt });
  }
  return [incidentAsAlert(normalizeIncident(item, { receivedAt }))];
}

const incidentStatus: Record<Incident['status'], Alert['status']> = {
  active: 'new',
  inProgress: 'inProgress',
  resolved: 'resolved',
  redirected: 'resolved',
  unknown: 'unknown',
};

function incidentAsAlert(incident: Incident): Alert {
  return {
    id: `incident-${incident.id}`,
    sourceFormat: incident.sourceFormat,
    title: incident.title,
    description: incident.description,
    severity: incident.severity,
    status: incidentStatus[incident.status] ?? 'unknown',
    category: 'Incident',
    productName: incident.sourceFormat === 'sentinel' ? 'Microsoft Sentinel' : 'Microsoft Defender XDR',
    createdAt: incident.createdAt,
    lastUpdatedAt: incident.lastUpdatedAt,
    incidentId: incident.id,
    techniques: [],
    tactics: [],
    entities: [],
    portalUrl: incident.portalUrl,
    assignedTo: incident.assignedTo,
    classification: incident.classification,
    determination: incident.determination,
  };
}
