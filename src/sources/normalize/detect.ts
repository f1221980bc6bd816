import { CopilotError } from '../../errors';
import type { Alert, Incident } from '../model';
import type { NormalizeOptions } from './common';
import { mapDefenderAlert } from './defender';
import type { JsonRecord } from './fields';
import { isRecord, readString } from './fields';
import { graphAlertODataType, graphIncidentODataType, mapGraphAlert, mapGraphIncident } from './graph';
import { mapSentinelAlert, mapSentinelIncident } from './sentinel';

export type AlertFormat = 'graph' | 'sentinel' | 'defender';
export type IncidentFormat = 'graph' | 'sentinel';

const acceptedAlertShapes =
  'a Microsoft Graph Security alert (alerts_v2, "@odata.type": "#microsoft.graph.security.alert"), ' +
  'a Microsoft Sentinel SecurityAlert row (SystemAlertId, AlertName/DisplayName, Entities…) ' +
  'or a Microsoft Defender for Endpoint API alert (/api/alerts: alertCreationTime, machineId…)';

const acceptedIncidentShapes =
  'a Microsoft Graph Security incident ("@odata.type": "#microsoft.graph.security.incident", displayName, incidentWebUrl…) ' +
  'or a Microsoft Sentinel SecurityIncident row (IncidentNumber, Title, AlertIds…)';

function has(record: JsonRecord, ...keys: string[]): boolean {
  return keys.every((key) => key in record && record[key] !== null && record[key] !== undefined);
}

function hasAny(record: JsonRecord, ...keys: string[]): boolean {
  return keys.some((key) => has(record, key));
}

function odataType(record: JsonRecord): string | undefined {
  const value = readString(record, '@odata.type');
  return value === undefined ? undefined : `#${value.replace(/^#/, '')}`.toLowerCase();
}

/**
 * Which alert shape a parsed JSON value is, or `undefined`. The @odata.type wins when present; without it
 * (exports, trimmed payloads) the fields that only one shape has decide.
 */
export function detectAlertFormat(json: unknown): AlertFormat | undefined {
  if (!isRecord(json)) return undefined;
  const type = odataType(json);
  if (type !== undefined) return type === graphAlertODataType.toLowerCase() ? 'graph' : undefined;
  if (detectIncidentFormat(json) !== undefined) return undefined;
  if (has(json, 'SystemAlertId') || readString(json, 'Type') === 'SecurityAlert') return 'sentinel';
  if (hasAny(json, 'AlertName', 'AlertDisplayName', 'DisplayName') && hasAny(json, 'ProviderName', 'VendorName')) {
    return 'sentinel';
  }
  if (has(json, 'alertCreationTime') || (has(json, 'title') && hasAny(json, 'machineId', 'computerDnsName'))) {
    return 'defender';
  }
  if (has(json, 'title', 'createdDateTime') && hasAny(json, 'serviceSource', 'alertWebUrl', 'providerAlertId')) {
    return 'graph';
  }
  return undefined;
}

export function detectIncidentFormat(json: unknown): IncidentFormat | undefined {
  if (!isRecord(json)) return undefined;
  const type = odataType(json);
  if (type !== undefined) return type === graphIncidentODataType.toLowerCase() ? 'graph' : undefined;
  if (hasAny(json, 'IncidentNumber', 'IncidentName') || readString(json, 'Type') === 'SecurityIncident') {
    return 'sentinel';
  }
  if (has(json, 'displayName') && hasAny(json, 'incidentWebUrl', 'customTags', 'systemTags', 'redirectIncidentId')) {
    return 'graph';
  }
  return undefined;
}

const alertMappers: Record<AlertFormat, (payload: unknown, options?: NormalizeOptions) => Alert> = {
  graph: mapGraphAlert,
  sentinel: mapSentinelAlert,
  defender: mapDefenderAlert,
};

const incidentMappers: Record<IncidentFormat, (payload: unknown, options?: NormalizeOptions) => Incident> = {
  graph: mapGraphIncident,
  sentinel: mapSentinelIncident,
};

/** Any supported alert shape as our Alert; anything else is an `unsupported_format` error naming what we accept. */
export function normalizeAlert(json: unknown, options?: NormalizeOptions): Alert {
  const format = detectAlertFormat(json);
  if (format !== undefined) return alertMappers[format](json, options);
  if (detectIncidentFormat(json) !== undefined) {
    throw new CopilotError(
      'unsupported_format',
      `Expected an alert but got an incident. Accepted: ${acceptedAlertShapes}.`,
      {
        userMessage:
          'That looks like an incident, not an alert. Paste a single alert, or ask me to investigate the incident.',
      },
    );
  }
  throw new CopilotError(
    'unsupported_format',
    `Unsupported alert format (${describe(json)}). Accepted: ${acceptedAlertShapes}.`,
    {
      userMessage:
        'I can read a Microsoft Graph Security alert (alerts_v2), a Microsoft Sentinel SecurityAlert row or a ' +
        'Microsoft Defender for Endpoint API alert, one alert at a time. That input is none of these.',
    },
  );
}

export function normalizeIncident(json: unknown, options?: NormalizeOptions): Incident {
  const format = detectIncidentFormat(json);
  if (format !== undefined) return incidentMappers[format](json, options);
  throw new CopilotError(
    'unsupported_format',
    `Unsupported incident format (${describe(json)}). Accepted: ${acceptedIncidentShapes}.`,
    {
      userMessage:
        'I can read a Microsoft Graph Security incident or a Microsoft Sentinel SecurityIncident row, one at a time. ' +
        'That input is neither.',
    },
  );
}

/** What we were given, for the log line; values are left out because they may be sensitive. */
function describe(json: unknown): string {
  if (json === null) return 'got null';
  if (Array.isArray(json)) return `got an array of ${json.length} items; pass one object at a time`;
  if (!isRecord(json)) return `got a ${typeof json}`;
  if (Array.isArray(json.value)) return 'got a list response; pass one item of its "value" array at a time';
  const keys = Object.keys(json);
  if (keys.length === 0) return 'got an empty object';
  const shown = keys.slice(0, 8).join(', ');
  return `got an object with keys ${shown}${keys.length > 8 ? ', …' : ''}`;
}
