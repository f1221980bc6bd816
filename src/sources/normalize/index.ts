export type { NormalizeOptions } from './common';
export type { AlertFormat, IncidentFormat } from './detect';
export { detectAlertFormat, detectIncidentFormat, normalizeAlert, normalizeIncident } from './detect';
export { mapDefenderAlert } from './defender';
export { mapGraphAlert, mapGraphIncident, mapGraphIncidentAlerts } from './graph';
export { mapSentinelAlert, mapSentinelIncident } from './sentinel';
export { compareSeverity, severityAtLeast } from './severity-status';
export { normalizeTechniqueIds } from './techniques';
export { toIsoTimestamp } from './time';
