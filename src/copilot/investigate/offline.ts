import type { Alert, Severity } from '../../sources/model';
import { killChainOrder } from '../analyze-alert/kill-chain';
import type { IncidentContext } from '../context';
import { userEvidenceId } from '../context';
import { joinList, tacticConsequences } from '../explain-alert/plain-language';
import {
  containmentSteps,
  evidenceToPreserve,
  isCompromised,
  isHostile,
  mergeEvidence,
  type ScopedEntity,
} from './rules';
import type { Investigation } from './schema';

/**
 * The offline engine: a deterministic investigation from the gathered context. Every statement is built from a
 * field of the incident, its alerts, the directory or ATT&CK; alert descriptions (attacker-writable) never
 * change the verdict, the severity or the findings.
 */
export function investigateOffline(context: IncidentContext): Investigation {
  const entities = mergeEvidence(context.evidence);
  const tactics = new Set(context.techniques.flatMap((technique) => technique.tactics));
  for (const alert of context.alerts) for (const tactic of alert.tactics) tactics.add(tactic);
  const severity = highestSeverity([context.incident.severity, ...context.alerts.map((alert) => alert.severity)]);
  return {
    assessment: assess(context, entities, tactics, severity),
    attackVector: attackVector(context),
    scope: scope(context, entities),
    timeline: timeline(context),
    techniques: context.techniques.map((technique) => ({
      id: technique.id,
      name: technique.fullName,
      tactics: technique.tactics,
      evidenceIds: technique.alertIds.slice(0, 12),
    })),
    relatedThreats: context.threats.map((threat) => ({
      kind: threat.kind,
      attackId: threat.attackId,
      name: threat.name,
      reason: `${capitalise(threat.reason)}; ATT&CK lists it as ${threat.kind === 'group' ? 'a threat group' : 'software'}.`,
      evidenceIds: threat.evidenceIds,
    })),
    containment: containmentSteps(context, entities, tactics),
    evidenceToPreserve: evidenceToPreserve(context, entities),
    findings: findings(context, entities),
    gaps: context.gaps.map((gap) => `${gap.source}: ${gap.reason}`),
    dataSources: context.sources,
  };
}

const severityOrder: Severity[] = ['informational', 'low', 'medium', 'high'];

export function highestSeverity(severities: readonly Severity[]): Severity {
  return severities.reduce<Severity>(
    (highest, severity) => (severityOrder.indexOf(severity) > severityOrder.indexOf(highest) ? severity : highest),
    'informational',
  );
}

function assess(
  context: IncidentContext,
  entities: readonly ScopedEntity[],
  tactics: ReadonlySet<string>,
  severity: Severity,
): Investigation['assessment'] {
  const { incident, alerts } = context;
  const classification = (incident.classification ?? '').toLowerCase();
  const hostile = entities.filter(isHostile);
  const urgent = tacticConsequences
    .filter((entry) => entry.urgent && tactics.has(entry.tactic))
    .map((entry) => entry.tactic);
  let verdict: Investigation['assessment']['verdict'];
  let confidence: Investigation['assessment']['confidence'];
  let rationale: string;
  if (classification === 'truepositive') {
    [verdict, confidence] = ['malicious', 'high'];
    rationale = `An analyst classified the incident as a true positive${incident.determination ? ` (${incident.determination})` : ''}.`;
  } else if (classification === 'falsepositive' || classification === 'informationalexpectedactivity') {
    [verdict, confidence] = ['benign', 'medium'];
    rationale = `An analyst classified the incident as ${incident.classification}; the evidence was not re-examined for that.`;
  } else if (alerts.length === 0) {
    [verdict, confidence] = ['undetermined', 'low'];
    rationale = 'None of the incident alerts could be read, so there is no evidence to assess.';
  } else if (hostile.length > 0 && (severity === 'high' || urgent.length > 0)) {
    [verdict, confidence] = ['malicious', 'medium'];
    rationale = `The security products flagged ${plural(hostile.length, 'entity', 'entities')} as malicious or attacker-controlled${urgent.length > 0 ? `, and the alerts show ${joinList(urgent)} activity` : ''}.`;
  } else {
    [verdict, confidence] = ['suspicious', severity === 'high' ? 'medium' : 'low'];
    rationale = `The alerts are rated up to ${severity} severity; nothing in the evidence confirms or rules out malicious activity yet.`;
  }
  const first = alerts[0];
  const last = alerts[alerts.length - 1];
  const summaryParts = [
    `Incident ${incident.id} ("${incident.title}") holds ${plural(alerts.length, 'alert')} from ${joinList(products(alerts)) || 'no readable product'}.`,
  ];
  if (first && last) {
    summaryParts.push(
      `The activity runs from ${formatTime(activityStart(first))} to ${formatTime(activityEnd(last))}.`,
    );
  }
  const users = entities
    .filter((entity) => entity.type === 'account' && isCompromised(entity))
    .map((entity) => entity.value);
  const hosts = entities.filter((entity) => entity.type === 'host').map((entity) => entity.value);
  const involved = [
    users.length > 0
      ? `${plural(users.length, 'affected account')} (${joinList(users.slice(0, 3))}${users.length > 3 ? ', …' : ''})`
      : '',
    hosts.length > 0
      ? `${plural(hosts.length, 'device')} (${joinList(hosts.slice(0, 3))}${hosts.length > 3 ? ', …' : ''})`
      : '',
  ].filter(Boolean);
  if (involved.length > 0) summaryParts.push(`It involves ${joinList(involved)}.`);
  const stages = killChainOrder.filter((tactic) => tactics.has(tactic));
  if (stages.length > 0) summaryParts.push(`The alerts show these attack stages: ${joinList(stages)}.`);
  return {
    summary: summaryParts.join(' '),
    verdict,
    confidence,
    severity,
    rationale,
    evidenceIds: [
      ...alerts.filter((alert) => alert.severity === severity).map((alert) => alert.id),
      ...hostile.flatMap((entity) => entity.evidenceIds.slice(0, 1)),
    ].slice(0, 12),
  };
}

function attackVector(context: IncidentContext): Investigation['attackVector'] {
  const initial = context.techniques.filter((technique) => technique.tactics.includes('Initial Access'));
  const firstAlert = context.alerts[0];
  if (initial.length > 0) {
    const alertIds = [...new Set(initial.flatMap((technique) => technique.alertIds))];
    const alert = context.alerts.find((candidate) => alertIds.includes(candidate.id)) ?? firstAlert;
    const names = initial.map((technique) => `${technique.id} ${technique.fullName}`);
    const entry = alert
      ? context.evidence.filter(
          (item) =>
            item.alertId === alert.id && ['url', 'mailMessage', 'ip', 'domain', 'file'].includes(item.entity.type),
        )
      : [];
    return {
      description: `Initial access is shown by ${joinList(names)}${alert ? `, first in alert ${alert.id} ("${alert.title}") at ${formatTime(activityStart(alert))}` : ''}.`,
      techniqueIds: initial.map((technique) => technique.id).slice(0, 6),
      evidenceIds: [...alertIds, ...entry.map((item) => item.id)].slice(0, 12),
    };
  }
  if (firstAlert) {
    return {
      description: `The alerts do not show how the attacker got in. The earliest activity is alert ${firstAlert.id} ("${firstAlert.title}") at ${formatTime(activityStart(firstAlert))}; look at what happened just before it.`,
      techniqueIds: [],
      evidenceIds: [firstAlert.id],
    };
  }
  return { description: 'Unknown: no alert of the incident could be read.', techniqueIds: [], evidenceIds: [] };
}

const assetTypes = new Set(['host', 'azureResource', 'cloudApplication', 'ip', 'url', 'domain', 'mailbox']);

function scope(context: IncidentContext, entities: readonly ScopedEntity[]): Investigation['scope'] {
  const users: Investigation['scope']['users'] = [];
  const seenUsers = new Set<string>();
  for (const entity of entities) {
    if (entity.type !== 'account' && entity.type !== 'mailbox') continue;
    if (isHostile(entity)) continue;
    const upn = entity.properties.userPrincipalName ?? entity.value;
    if (!upn.includes('@') || seenUsers.has(upn.toLowerCase())) continue;
    seenUsers.add(upn.toLowerCase());
    const user = context.users.find((candidate) => candidate.userPrincipalName.toLowerCase() === upn.toLowerCase());
    users.push({
      userPrincipalName: upn,
      displayName: user?.displayName,
      department: user?.department,
      riskLevel: user?.riskLevel,
      privileged: user?.isPrivileged ?? false,
      role: entity.roles.length > 0 ? entity.roles.join(', ') : 'involved',
      evidenceIds: [...entity.evidenceIds.slice(0, 6), ...(user ? [userEvidenceId(user.userPrincipalName)] : [])],
    });
  }
  const assets = entities
    .filter((entity) => assetTypes.has(entity.type) && !(entity.type === 'mailbox' && !isHostile(entity)))
    .filter((entity) => entity.type !== 'cloudApplication' || isCompromised(entity))
    .map((entity) => ({
      type: entity.type,
      value: entity.value,
      role: isHostile(entity)
        ? 'attacker infrastructure'
        : entity.roles.length > 0
          ? entity.roles.join(', ')
          : `seen in ${plural(entity.alertIds.length, 'alert')}`,
      evidenceIds: entity.evidenceIds.slice(0, 8),
    }))
    .slice(0, 30);
  const devices = assets.filter((asset) => asset.type === 'host' || asset.type === 'azureResource').length;
  const infrastructure = assets.filter((asset) => asset.role === 'attacker infrastructure').length;
  return {
    summary:
      `${plural(users.length, 'user account')}, ${plural(devices, 'device or resource', 'devices or resources')} and ` +
      `${plural(infrastructure, 'piece of attacker infrastructure', 'pieces of attacker infrastructure')} are named in the evidence` +
      `${context.relatedAlerts.length > 0 ? `; ${plural(context.relatedAlerts.length, 'alert')} outside the incident share entities with it` : ''}.`,
    assets,
    users: users.slice(0, 20),
  };
}

function timeline(context: IncidentContext): Investigation['timeline'] {
  const events: Investigation['timeline'] = [];
  for (const alert of context.alerts) {
    events.push({
      time: toIso(activityStart(alert)),
      source: alert.productName,
      description: `${capitalise(alert.severity)} alert "${alert.title}" (${alert.id}): activity starts.`,
      evidenceIds: [alert.id],
      unverified: false,
    });
    const end = alert.lastActivityAt;
    if (end !== undefined && end !== activityStart(alert)) {
      events.push({
        time: toIso(end),
        source: alert.productName,
        description: `Last activity seen for alert ${alert.id}.`,
        evidenceIds: [alert.id],
        unverified: false,
      });
    }
  }
  for (const item of context.evidence) {
    const started = item.entity.properties.processCreationDateTime;
    if (item.entity.type !== 'process' || started === undefined || Number.isNaN(Date.parse(started))) continue;
    const program = item.entity.properties.imageFile ?? item.entity.value.split(/\s+/)[0];
    const host = context.evidence.find((other) => other.alertId === item.alertId && other.entity.type === 'host');
    events.push({
      time: toIso(started),
      source: 'Process evidence',
      description: `${program} started${host ? ` on ${host.entity.value}` : ''}${item.entity.properties.account ? ` as ${item.entity.properties.account}` : ''}.`,
      evidenceIds: [item.id, ...(host ? [host.id] : [])],
      unverified: false,
    });
  }
  const hostileAddresses = new Set(
    context.evidence
      .filter((item) => item.entity.type === 'ip' && isHostile(item.entity))
      .map((item) => item.entity.value.toLowerCase()),
  );
  for (const user of context.users) {
    for (const signIn of user.recentSignIns) {
      if (signIn.ipAddress === undefined || !hostileAddresses.has(signIn.ipAddress.toLowerCase())) continue;
      events.push({
        time: toIso(signIn.time),
        source: 'Entra ID sign-in logs',
        description: `${signIn.succeeded ? 'Successful' : 'Failed'} sign-in for ${user.userPrincipalName} from ${signIn.ipAddress}${signIn.location ? ` (${signIn.location})` : ''}${signIn.application ? ` to ${signIn.application}` : ''}.`,
        evidenceIds: [userEvidenceId(user.userPrincipalName)],
        unverified: false,
      });
    }
  }
  return sortTimeline(events).slice(0, 60);
}

export function sortTimeline<T extends { time: string; description: string }>(events: T[]): T[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((left, right) => Date.parse(left.event.time) - Date.parse(right.event.time) || left.index - right.index)
    .map(({ event }) => event);
}

function findings(context: IncidentContext, entities: readonly ScopedEntity[]): Investigation['findings'] {
  const result: Investigation['findings'] = [];
  const add = (statement: string, evidenceIds: string[]) => {
    if (result.length < 20) result.push({ statement, evidenceIds: evidenceIds.slice(0, 12), unverified: false });
  };
  for (const alert of context.alerts.filter((candidate) => candidate.severity === 'high').slice(0, 5)) {
    add(`${alert.productName} raised the high-severity alert "${alert.title}" (${alert.status}).`, [alert.id]);
  }
  for (const entity of entities
    .filter((candidate) => candidate.roles.some((role) => /compromised/i.test(role)))
    .slice(0, 5)) {
    add(
      `${capitalise(entityNoun(entity.type))} ${entity.value} is marked compromised in ${plural(entity.alertIds.length, 'alert')} (${joinList(entity.alertIds.slice(0, 4))}).`,
      entity.evidenceIds,
    );
  }
  for (const user of context.users.filter((candidate) => candidate.isPrivileged || candidate.riskLevel === 'high')) {
    const traits = [
      user.isPrivileged ? 'a privileged account' : '',
      user.riskLevel === 'high' ? 'at high Entra ID risk' : '',
    ]
      .filter(Boolean)
      .join(' and ');
    add(`${user.userPrincipalName}${user.jobTitle ? ` (${user.jobTitle})` : ''} is ${traits}.`, [
      userEvidenceId(user.userPrincipalName),
    ]);
  }
  for (const indicator of context.indicators.filter(
    (entry) => entry.verdict === 'malicious' || entry.verdict === 'suspicious',
  )) {
    add(`Threat intelligence rates ${indicator.indicator.value} ${indicator.verdict}: ${indicator.summary}`, [
      `ti:${indicator.indicator.value}`,
    ]);
  }
  for (const threat of context.threats.slice(0, 3)) {
    add(
      `The evidence names ${threat.name} (${threat.attackId}), which ATT&CK lists as ${threat.kind === 'group' ? 'a threat group' : 'software'}.`,
      threat.evidenceIds,
    );
  }
  const otherIncidents = [
    ...new Set(
      context.relatedAlerts.map((related) => related.alert.incidentId).filter((id): id is string => id !== undefined),
    ),
  ];
  if (context.relatedAlerts.length > 0) {
    add(
      `${plural(context.relatedAlerts.length, 'alert')} outside this incident share entities with it${otherIncidents.length > 0 ? `, in incident(s) ${joinList(otherIncidents.slice(0, 4))}` : ''}.`,
      context.relatedAlerts.slice(0, 8).map((related) => related.alert.id),
    );
  }
  return result;
}

function entityNoun(type: string): string {
  const nouns: Record<string, string> = {
    account: 'the account',
    host: 'the device',
    mailbox: 'the mailbox',
    ip: 'the address',
  };
  return Object.hasOwn(nouns, type) ? nouns[type] : `the ${type}`;
}

function products(alerts: readonly Alert[]): string[] {
  return [...new Set(alerts.map((alert) => alert.productName))];
}

export function activityStart(alert: Alert): string {
  return alert.firstActivityAt ?? alert.createdAt;
}

function activityEnd(alert: Alert): string {
  return alert.lastActivityAt ?? alert.createdAt;
}

function toIso(time: string): string {
  const parsed = new Date(time);
  return Number.isNaN(parsed.getTime()) ? time : parsed.toISOString();
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
