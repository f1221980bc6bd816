import type { AlertStatus, Severity } from '../model';
import { severities } from '../model';

/**
 * The KQL the Sentinel adapter sends. Values from outside (an alert id, a UPN) only ever enter a query as
 * string literals built by `kqlString`, after a character check; dates and numbers are formatted by us.
 */

/** A KQL double-quoted string literal; control characters are refused rather than escaped. */
export function kqlString(value: string): string {
  if ([...value].some((character) => character.charCodeAt(0) < 32)) {
    throw new RangeError('control characters cannot go into a KQL literal');
  }
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function kqlDatetime(date: Date): string {
  return `datetime(${date.toISOString()})`;
}

/** Sentinel spells severities with a capital: High, Medium, Low, Informational. */
function sentinelSeverities(minimum: Severity | undefined): string[] | undefined {
  if (minimum === undefined || minimum === 'informational') return undefined;
  return severities.slice(severities.indexOf(minimum)).map((severity) => severity[0].toUpperCase() + severity.slice(1));
}

/** SecurityAlert.Status: New, InProgress, Resolved, Dismissed. */
const alertStatusValues: Record<Exclude<AlertStatus, 'unknown'>, string[]> = {
  new: ['New'],
  inProgress: ['InProgress'],
  resolved: ['Resolved', 'Dismissed'],
};

function inList(values: string[]): string {
  return `(${values.map(kqlString).join(', ')})`;
}

/**
 * SecurityAlert keeps one row per alert update; `arg_max(TimeGenerated, *) by SystemAlertId` keeps the latest
 * state of each. Filters on the latest state come after the summarize, or an old row would match.
 */
export function alertsQuery(input: {
  since: Date;
  minimumSeverity?: Severity;
  status?: AlertStatus;
  take: number;
}): string {
  const wantedSeverities = sentinelSeverities(input.minimumSeverity);
  const statuses =
    input.status === undefined || input.status === 'unknown' ? undefined : alertStatusValues[input.status];
  return [
    'SecurityAlert',
    `| where TimeGenerated >= ${kqlDatetime(input.since)}`,
    '| summarize arg_max(TimeGenerated, *) by SystemAlertId',
    wantedSeverities === undefined ? undefined : `| where AlertSeverity in~ ${inList(wantedSeverities)}`,
    statuses === undefined ? undefined : `| where Status in~ ${inList(statuses)}`,
    '| order by TimeGenerated desc',
    `| take ${Math.max(0, Math.floor(input.take))}`,
  ]
    .filter((line) => line !== undefined)
    .join('\n');
}

export function alertByIdQuery(id: string, since: Date): string {
  return [
    'SecurityAlert',
    `| where TimeGenerated >= ${kqlDatetime(since)}`,
    `| where SystemAlertId == ${kqlString(id)}`,
    '| summarize arg_max(TimeGenerated, *) by SystemAlertId',
  ].join('\n');
}

export function incidentsQuery(input: { since: Date; minimumSeverity?: Severity; take: number }): string {
  const wantedSeverities = sentinelSeverities(input.minimumSeverity);
  return [
    'SecurityIncident',
    `| where TimeGenerated >= ${kqlDatetime(input.since)}`,
    '| summarize arg_max(TimeGenerated, *) by IncidentNumber',
    wantedSeverities === undefined ? undefined : `| where Severity in~ ${inList(wantedSeverities)}`,
    '| order by CreatedTime desc',
    `| take ${Math.max(0, Math.floor(input.take))}`,
  ]
    .filter((line) => line !== undefined)
    .join('\n');
}

/** An incident by its number (what analysts type) or its name (the GUID in ARM ids). */
export function incidentByIdQuery(id: string, since: Date): string {
  const clause = /^\d{1,12}$/.test(id) ? `IncidentNumber == ${id}` : `IncidentName == ${kqlString(id)}`;
  return [
    'SecurityIncident',
    `| where TimeGenerated >= ${kqlDatetime(since)}`,
    `| where ${clause}`,
    '| summarize arg_max(TimeGenerated, *) by IncidentNumber',
  ].join('\n');
}

export function identityInfoQuery(userPrincipalName: string): string {
  return [
    'IdentityInfo',
    '| where TimeGenerated > ago(14d)',
    `| where AccountUPN =~ ${kqlString(userPrincipalName)}`,
    '| summarize arg_max(TimeGenerated, *) by AccountUPN',
    '| project AccountUPN, AccountDisplayName, Department, JobTitle, Manager, RiskLevel, AssignedRoles',
  ].join('\n');
}

export function signInsQuery(userPrincipalName: string, take: number): string {
  return [
    'SigninLogs',
    '| where TimeGenerated > ago(7d)',
    `| where UserPrincipalName =~ ${kqlString(userPrincipalName)}`,
    `| top ${take} by TimeGenerated desc`,
    '| project TimeGenerated, IPAddress, Location, AppDisplayName, ResultType, ResultDescription',
  ].join('\n');
}
