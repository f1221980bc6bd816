import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { JsonHttpClient } from '../../http';
import type { Incident } from '../model';
import { mapSentinelIncident } from '../normalize/sentinel';
import type { IncidentUpdate } from '../port';

/**
 * Sentinel incident write-back through Azure Resource Manager
 * (https://learn.microsoft.com/rest/api/securityinsights/incidents): the incident is read (for its etag and the
 * required properties), changed, and written back with PUT carrying the etag, so a concurrent change answers
 * 409/412 (source_conflict) instead of being overwritten. Comments are PUT under a new GUID.
 * Needs the Microsoft Sentinel Responder role on the workspace.
 */

export const ARM_BASE_URL = 'https://management.azure.com';
export const SENTINEL_API_VERSION = '2024-03-01';

export interface SentinelWorkspace {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
}

const ArmIncidentSchema = z.object({
  name: z.string(),
  etag: z.string().optional(),
  properties: z
    .object({
      title: z.string(),
      severity: z.string(),
      status: z.string(),
    })
    .passthrough(),
});
export type ArmIncident = z.output<typeof ArmIncidentSchema>;

const Accepted = z.unknown().transform(() => true as const);

/** Graph-style classifications (what the port speaks) as Sentinel's; Sentinel's own values pass through. */
const classificationBySource: Record<string, string> = {
  truepositive: 'TruePositive',
  falsepositive: 'FalsePositive',
  informationalexpectedactivity: 'BenignPositive',
  benignpositive: 'BenignPositive',
  undetermined: 'Undetermined',
};

/** Graph determinations onto Sentinel's classification reasons, where one fits. */
const reasonByDetermination: Record<string, string> = {
  malware: 'SuspiciousActivity',
  phishing: 'SuspiciousActivity',
  compromisedaccount: 'SuspiciousActivity',
  malicioususeractivity: 'SuspiciousActivity',
  multistagedattack: 'SuspiciousActivity',
  apt: 'SuspiciousActivity',
  securitytesting: 'SuspiciousButExpected',
  securitypersonnel: 'SuspiciousButExpected',
  confirmeduseractivity: 'SuspiciousButExpected',
  lineofbusinessapplication: 'SuspiciousButExpected',
  notmalicious: 'IncorrectAlertLogic',
  notenoughdatatovalidate: 'InaccurateData',
  suspiciousactivity: 'SuspiciousActivity',
  suspiciousbutexpected: 'SuspiciousButExpected',
  incorrectalertlogic: 'IncorrectAlertLogic',
  inaccuratedata: 'InaccurateData',
};

const statusByUpdate: Record<NonNullable<IncidentUpdate['status']>, string> = {
  active: 'New',
  inProgress: 'Active',
  resolved: 'Closed',
};

export class SentinelIncidentWriter {
  constructor(
    private readonly http: JsonHttpClient,
    private readonly workspace: SentinelWorkspace,
  ) {}

  private incidentPath(incidentName: string): string {
    const { subscriptionId, resourceGroup, workspaceName } = this.workspace;
    return [
      'subscriptions',
      encodeURIComponent(subscriptionId),
      'resourceGroups',
      encodeURIComponent(resourceGroup),
      'providers/Microsoft.OperationalInsights/workspaces',
      encodeURIComponent(workspaceName),
      'providers/Microsoft.SecurityInsights/incidents',
      encodeURIComponent(incidentName),
    ].join('/');
  }

  async get(incidentName: string): Promise<ArmIncident | undefined> {
    return this.http.sendOrUndefined({
      operation: 'get Sentinel incident',
      method: 'GET',
      path: this.incidentPath(incidentName),
      query: { 'api-version': SENTINEL_API_VERSION },
      schema: ArmIncidentSchema,
    });
  }

  async update(incidentName: string, update: IncidentUpdate): Promise<Incident | undefined> {
    const current = await this.get(incidentName);
    if (current === undefined) return undefined;
    const properties: Record<string, unknown> = { ...current.properties };
    // Read-only and server-computed properties are not sent back.
    for (const key of [
      'incidentNumber',
      'createdTimeUtc',
      'lastModifiedTimeUtc',
      'incidentUrl',
      'additionalData',
      'providerIncidentId',
      'providerName',
    ]) {
      delete properties[key];
    }
    if (update.status !== undefined) properties.status = statusByUpdate[update.status];
    if (update.assignedTo !== undefined) {
      properties.owner =
        update.assignedTo === '' ? {} : { userPrincipalName: update.assignedTo, email: update.assignedTo };
    }
    if (update.classification !== undefined && update.classification !== '') {
      properties.classification = classificationBySource[canonical(update.classification)] ?? update.classification;
    }
    if (update.determination !== undefined && update.determination !== '') {
      const reason = reasonByDetermination[canonical(update.determination)];
      if (reason !== undefined) properties.classificationReason = reason;
      else properties.classificationComment = update.determination;
    }
    if (update.tags !== undefined)
      properties.labels = update.tags.map((labelName) => ({ labelName, labelType: 'User' }));
    // Sentinel refuses to close an incident without a classification.
    if (
      properties.status === 'Closed' &&
      (properties.classification === undefined || properties.classification === '')
    ) {
      properties.classification = 'Undetermined';
    }
    const written = await this.http.send({
      operation: 'update Sentinel incident',
      method: 'PUT',
      path: this.incidentPath(incidentName),
      query: { 'api-version': SENTINEL_API_VERSION },
      body: { etag: current.etag, properties },
      schema: ArmIncidentSchema,
    });
    return mapArmIncident(written);
  }

  async addComment(incidentName: string, message: string): Promise<boolean> {
    const answer = await this.http.sendOrUndefined({
      operation: 'comment on Sentinel incident',
      method: 'PUT',
      path: `${this.incidentPath(incidentName)}/comments/${randomUUID()}`,
      query: { 'api-version': SENTINEL_API_VERSION },
      body: { properties: { message } },
      schema: Accepted,
    });
    return answer === true;
  }

  async probe(signal?: AbortSignal): Promise<void> {
    await this.http.send({
      operation: 'probe Sentinel incidents',
      method: 'GET',
      path: this.incidentPath('').replace(/\/$/, ''),
      query: { 'api-version': SENTINEL_API_VERSION, $top: 1 },
      schema: z.object({ value: z.array(z.unknown()) }),
      signal,
    });
  }

  health() {
    return this.http.health();
  }
}

/** An ARM incident resource in the shape of a SecurityIncident row, so one mapper serves both. */
export function mapArmIncident(incident: ArmIncident): Incident {
  const properties = incident.properties as Record<string, unknown>;
  return mapSentinelIncident({
    IncidentName: incident.name,
    IncidentNumber: properties.incidentNumber,
    Title: properties.title,
    Description: properties.description,
    Severity: properties.severity,
    Status: properties.status,
    Classification: properties.classification,
    ClassificationReason: properties.classificationReason,
    Owner: properties.owner,
    Labels: properties.labels,
    CreatedTime: properties.createdTimeUtc,
    LastModifiedTime: properties.lastModifiedTimeUtc,
    IncidentUrl: properties.incidentUrl,
  });
}

function canonical(value: string): string {
  return value.toLowerCase().replace(/[\s_-]/g, '');
}
