import { CopilotError } from '../../errors';
import type { Alert } from '../../sources/model';
import type { NormalizeOptions } from '../../sources/normalize';
import {
  detectAlertFormat,
  detectIncidentFormat,
  mapGraphIncidentAlerts,
  normalizeAlert,
  normalizeIncident,
} from '../../sources/normalize';
import { incidentFromAlerts } from './evidence';
import type { IncidentInput } from './types';

/** Alerts taken from one pasted document; more would make one prompt and one card too large to be useful. */
const maximumPastedAlerts = 200;

/**
 * What an analyst pastes or a file holds, as something to investigate: a Graph Security incident (with its
 * alerts when it was fetched with `$expand=alerts`), a Sentinel SecurityIncident row (its alerts are read from
 * the data source), a single alert, or an array of alerts (assembled into one incident).
 */
export function incidentInputFromJson(json: unknown, options?: NormalizeOptions): IncidentInput {
  if (Array.isArray(json)) {
    if (json.length === 0) {
      throw new CopilotError('bad_input', 'empty alert array', { userMessage: 'That list holds no alerts.' });
    }
    const alerts = json.slice(0, maximumPastedAlerts).map((item) => normalizeAlert(item, options));
    return { incident: incidentFromAlerts(alerts, { id: sharedIncidentId(alerts) }), alerts };
  }
  const incidentFormat = detectIncidentFormat(json);
  if (incidentFormat !== undefined) {
    const incident = normalizeIncident(json, options);
    if (incidentFormat === 'graph') {
      const alerts = mapGraphIncidentAlerts(json, options);
      if (alerts.length > 0) return { incident, alerts };
    }
    return incident;
  }
  if (detectAlertFormat(json) !== undefined) {
    const alert = normalizeAlert(json, options);
    return { incident: incidentFromAlerts([alert], { id: alert.incidentId }), alerts: [alert] };
  }
  throw new CopilotError('unsupported_format', 'input is neither an incident nor an alert', {
    userMessage:
      'I can investigate a Microsoft Graph Security incident, a Microsoft Sentinel SecurityIncident row, an alert ' +
      '(Graph, Sentinel or Defender) or an array of alerts. That input is none of these.',
  });
}

/** The incident id all the alerts carry, when they agree on one. */
function sharedIncidentId(alerts: readonly Alert[]): string | undefined {
  const ids = new Set(alerts.map((alert) => alert.incidentId));
  const [only] = [...ids];
  return ids.size === 1 && only !== undefined ? only : undefined;
}
