import type { Alert, Entity, Severity, UserContext } from '../../sources/model';
import { entityPriority, tacticConsequences } from '../explain-alert/plain-language';
import type { AttackFacts } from '../knowledge';
import { alertTactics, furthestStage, lateStageTactics } from './kill-chain';
import type { AlertAnalysis, EntityAssessment, NextStep } from './schema';
import type { AlertSurroundings, RelatedAlert } from './surroundings';
import { mapAlertTechniques, type MappedTechnique } from './techniques';

/**
 * The offline engine: a deterministic analysis from the alert's own fields, what the data source knows
 * around it and ATT&CK facts. Verdicts and severity read structured fields only (verdicts, roles, risk
 * levels, classifications, the title), never the description: that is attacker-writable, and "this is
 * benign" in it must not change a finding.
 */
export function analyzeAlertOffline(alert: Alert, attack: AttackFacts, surroundings: AlertSurroundings): AlertAnalysis {
  const techniques = mapAlertTechniques(alert, attack);
  const tactics = alertTactics(alert, techniques);
  const stage = furthestStage(tactics);
  const entities = assessEntities(alert, surroundings);
  const openRelated = surroundings.relatedAlerts.filter((related) => related.status !== 'resolved');
  const severity = assessSeverity(alert, stage, entities, openRelated, surroundings.users);
  const falsePositive = assessFalsePositive(alert, entities, openRelated, techniques, stage);
  return {
    summary: summarize(
      alert,
      techniques,
      stage,
      entities,
      surroundings.relatedAlerts,
      severity.assessed,
      falsePositive.likelihood,
    ),
    techniques,
    killChain: { stage: stage ?? 'Unknown', tactics, description: describeStage(stage, tactics) },
    entities,
    relatedAlerts: surroundings.relatedAlerts,
    severity,
    falsePositive,
    nextSteps: recommendNextSteps(alert, entities, stage),
    gaps: surroundings.gaps,
    sources: surroundings.sources,
  };
}

export const severityOrder: readonly Severity[] = ['informational', 'low', 'medium', 'high'];

/** Self-tests products raise on purpose; only the title and type are read (the description is attacker-writable). */
export function looksLikeTestAlert(alert: Alert): boolean {
  return /\btest alert\b|\bnot a threat\b/i.test(`${alert.title}\n${alert.alertType ?? ''}`);
}

/** Analyst classifications that say the alert was not an attack. */
function classifiedAsNotAThreat(alert: Alert): boolean {
  return /falsePositive|benignPositive|informationalExpectedActivity|securityTesting/i.test(
    `${alert.classification ?? ''} ${alert.determination ?? ''}`,
  );
}

const roleWords: Record<string, string> = {
  compromised: 'compromised',
  attacker: 'attacker',
  victim: 'targeted',
  attacked: 'targeted',
  source: 'source of the activity',
  destination: 'destination of the activity',
  created: 'created by the activity',
  contextual: 'context',
  related: 'related',
  added: 'added by the activity',
};

const defaultRoles: Partial<Record<Entity['type'], string>> = {
  account: 'involved account',
  host: 'affected device',
  ip: 'network address in the activity',
  url: 'web address in the activity',
  domain: 'domain in the activity',
  file: 'file in the evidence',
  process: 'process in the evidence',
  mailbox: 'mailbox in the activity',
  mailMessage: 'e-mail in the evidence',
  cloudApplication: 'cloud application in use',
  azureResource: 'Azure resource in the activity',
};

function verdictOf(entity: Entity): EntityAssessment['verdict'] | undefined {
  const verdict = (entity.properties.verdict ?? '').toLowerCase();
  if (verdict === 'malicious') return 'malicious';
  if (verdict === 'suspicious') return 'suspicious';
  if (verdict === 'nothreatsfound' || verdict === 'benign' || verdict === 'clean') return 'benign';
  if (verdict === 'unknown') return 'unknown';
  return undefined;
}

export function upnOf(entity: Entity): string {
  return (entity.properties.userPrincipalName ?? entity.value).trim().toLowerCase();
}

export function isServer(entity: Entity): boolean {
  return entity.type === 'host' && /server/i.test(entity.properties.osPlatform ?? '');
}

function uniqueEntities(alert: Alert): Entity[] {
  const seen = new Set<string>();
  return alert.entities
    .filter((entity) => {
      const key = `${entity.type}:${entity.value.trim().toLowerCase()}`;
      if (entity.value.trim() === '' || seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((entity, index) => ({ entity, index }))
    .sort(
      (left, right) =>
        entityPriority.indexOf(left.entity.type) - entityPriority.indexOf(right.entity.type) ||
        left.index - right.index,
    )
    .slice(0, 12)
    .map(({ entity }) => entity);
}

function assessEntities(alert: Alert, surroundings: AlertSurroundings): EntityAssessment[] {
  return uniqueEntities(alert).map((entity) => {
    const reasons: string[] = [];
    const sourceVerdict = verdictOf(entity);
    if (sourceVerdict !== undefined && sourceVerdict !== 'unknown')
      reasons.push(`${alert.productName} rates it ${entity.properties.verdict}.`);
    const roles = entity.roles.map((role) => roleWords[role] ?? role).filter((role) => role.trim() !== '');
    if (roles.length > 0) reasons.push(`The source marks its role: ${roles.join(', ')}.`);

    let verdict =
      sourceVerdict ?? (entity.roles.some((role) => /attacker|compromised/i.test(role)) ? 'suspicious' : 'unknown');
    if (entity.type === 'account' || entity.type === 'mailbox') {
      const user = surroundings.users.get(upnOf(entity));
      if (user !== undefined) {
        if (user.riskLevel !== 'unknown' && user.riskLevel !== 'none')
          reasons.push(`Entra ID Protection rates the user's risk ${user.riskLevel}.`);
        if (user.isPrivileged) reasons.push('It is a privileged account.');
        if (user.riskLevel === 'high' && verdict === 'unknown') verdict = 'suspicious';
      }
    }
    if (entity.type === 'host') {
      if (entity.properties.riskScore) reasons.push(`Defender rates the device's risk ${entity.properties.riskScore}.`);
      if (isServer(entity)) reasons.push(`It is a server (${entity.properties.osPlatform}).`);
    }
    if ((entity.type === 'file' || entity.type === 'process') && entity.properties.filePublisher)
      reasons.push(`Signed by ${entity.properties.filePublisher}.`);
    const intelligence = [entity.value, entity.properties.sha256, entity.properties.sha1]
      .filter((value): value is string => value !== undefined)
      .map((value) => surroundings.intelligence.get(value.trim().toLowerCase()))
      .find((entry) => entry !== undefined);
    if (intelligence !== undefined) {
      reasons.push(`Threat intelligence: ${intelligence.summary}`);
      // A provider's malicious or suspicious verdict raises ours; "harmless" never lowers what the source said.
      if (intelligence.verdict === 'malicious') verdict = 'malicious';
      else if (intelligence.verdict === 'suspicious' && verdict !== 'malicious') verdict = 'suspicious';
    }
    if (entity.type === 'ip' && entity.properties.countryLetterCode)
      reasons.push(`Located in ${entity.properties.countryLetterCode}.`);
    if (entity.type === 'mailMessage' && entity.properties.deliveryAction) {
      const remediation = entity.properties.remediationStatus
        ? `; remediation ${entity.properties.remediationStatus}`
        : '';
      reasons.push(`Delivery: ${entity.properties.deliveryAction}${remediation}.`);
    }
    const alsoIn = surroundings.relatedAlerts.filter((related) =>
      related.sharedEntities.some((value) => value.toLowerCase() === entity.value.trim().toLowerCase()),
    );
    if (alsoIn.length > 0)
      reasons.push(
        `Also in ${alsoIn.length} other alert(s): ${alsoIn
          .slice(0, 4)
          .map((related) => related.id)
          .join(', ')}.`,
      );
    if (reasons.length === 0) reasons.push('The alert gives no verdict or role for it.');
    return {
      type: entity.type,
      value: entity.value,
      role: roles[0] ?? defaultRoles[entity.type] ?? 'involved',
      verdict,
      reasons,
    };
  });
}

function assessSeverity(
  alert: Alert,
  stage: string | undefined,
  entities: EntityAssessment[],
  openRelated: RelatedAlert[],
  users: Map<string, UserContext>,
): AlertAnalysis['severity'] {
  const raising: string[] = [];
  const lowering: string[] = [];
  if (stage !== undefined && lateStageTactics.includes(stage))
    raising.push(`It reaches ${stage}, a late attack stage.`);
  const malicious = entities.filter((entity) => entity.verdict === 'malicious');
  if (malicious.length > 0)
    raising.push(
      `${malicious.length} entit${malicious.length === 1 ? 'y is' : 'ies are'} rated malicious by the source.`,
    );
  const atRiskUsers = [...users.values()].filter((user) => user.isPrivileged || user.riskLevel === 'high');
  if (atRiskUsers.length > 0)
    raising.push(
      `It involves ${atRiskUsers.map((user) => `${user.userPrincipalName} (${user.isPrivileged ? 'privileged' : 'high risk'})`).join(', ')}.`,
    );
  if (openRelated.length >= 2) raising.push(`${openRelated.length} related open alerts point to a wider attack.`);

  if (looksLikeTestAlert(alert)) lowering.push('The title marks it as a test alert.');
  if (classifiedAsNotAThreat(alert))
    lowering.push(`An analyst classified it as ${alert.classification ?? alert.determination}.`);
  const rated = entities.filter((entity) => entity.verdict !== 'unknown');
  if (rated.length > 0 && rated.every((entity) => entity.verdict === 'benign'))
    lowering.push('The source found no threat in any of its entities.');

  const vendorIndex = severityOrder.indexOf(alert.severity);
  // Facts may move the rating one level either way, never further: the source saw more than the alert shows.
  const delta = (raising.length > 0 ? 1 : 0) - (lowering.length > 0 ? 1 : 0);
  const assessed = severityOrder[Math.min(severityOrder.length - 1, Math.max(0, vendorIndex + delta))];
  const reasons = [`${alert.productName} rated it ${alert.severity}.`, ...raising, ...lowering];
  if (raising.length === 0 && lowering.length === 0)
    reasons.push('Nothing in the alert or its surroundings argues for a different severity.');
  return { vendor: alert.severity, assessed, reasons };
}

function assessFalsePositive(
  alert: Alert,
  entities: EntityAssessment[],
  openRelated: RelatedAlert[],
  techniques: MappedTechnique[],
  stage: string | undefined,
): AlertAnalysis['falsePositive'] {
  let score = 0;
  const reasons: string[] = [];
  if (looksLikeTestAlert(alert)) {
    score += 2;
    reasons.push('The title marks it as a product test alert.');
  }
  if (classifiedAsNotAThreat(alert)) {
    score += 2;
    reasons.push(`An analyst already classified it as ${alert.classification ?? alert.determination}.`);
  }
  const rated = entities.filter((entity) => entity.verdict !== 'unknown');
  if (rated.length > 0 && rated.every((entity) => entity.verdict === 'benign')) {
    score += 1;
    reasons.push('The source found no threat in any entity.');
  }
  if ((alert.severity === 'low' || alert.severity === 'informational') && openRelated.length === 0) {
    score += 1;
    reasons.push(`It is ${alert.severity} severity and no other open alert shares its entities.`);
  }
  const malicious = entities.filter((entity) => entity.verdict === 'malicious');
  if (malicious.length > 0) {
    score -= 1;
    reasons.push(
      `The source rates ${malicious[0].value}${malicious.length > 1 ? ` and ${malicious.length - 1} more` : ''} malicious.`,
    );
  }
  if (openRelated.length > 0) {
    score -= 1;
    reasons.push(
      `${openRelated.length} other open alert(s) share its entities or incident, which false positives rarely do.`,
    );
  }
  if (
    stage !== undefined &&
    lateStageTactics.includes(stage) &&
    techniques.some((technique) => technique.sources.length > 1)
  ) {
    score -= 1;
    reasons.push(`More than one fact shows ${stage} activity.`);
  }
  if (reasons.length === 0) reasons.push('No fact points either way; confirm with the owner of the account or device.');
  const likelihood = score >= 2 ? 'high' : score <= -1 ? 'low' : 'medium';
  return { likelihood, reasons };
}

function describeStage(stage: string | undefined, tactics: string[]): string {
  if (stage === undefined) return 'The alert names no ATT&CK tactic and none could be mapped from its facts.';
  const consequence = tacticConsequences.find((entry) => entry.tactic === stage)?.consequence;
  const seen = tactics.length > 1 ? ` Tactics seen: ${tactics.join(' → ')}.` : '';
  return `Furthest stage: ${stage}${consequence ? ` — ${consequence}` : ''}.${seen}`;
}

function recommendNextSteps(alert: Alert, entities: EntityAssessment[], stage: string | undefined): NextStep[] {
  const steps: NextStep[] = [];
  const urgent = stage !== undefined && lateStageTactics.includes(stage);
  const open = alert.status !== 'resolved';
  const flagged = (entity: EntityAssessment) => entity.verdict === 'malicious' || entity.verdict === 'suspicious';
  const target = (entity: EntityAssessment) => ({ type: entity.type, value: entity.value });
  const hashOf = (entity: EntityAssessment) => {
    const source = alert.entities.find(
      (candidate) => candidate.type === entity.type && candidate.value === entity.value,
    );
    return source?.properties.sha256 ?? source?.properties.sha1;
  };
  const publisherOf = (entity: EntityAssessment) =>
    alert.entities.find((candidate) => candidate.type === entity.type && candidate.value === entity.value)?.properties
      .filePublisher;

  for (const entity of entities) {
    if (steps.length >= 7) break;
    switch (entity.type) {
      case 'host':
        steps.push(
          open && (urgent || entity.verdict === 'malicious')
            ? {
                action: `Isolate ${entity.value} and collect an investigation package.`,
                target: target(entity),
                why: `The device is ${entity.verdict} and the attack has reached ${stage ?? 'an unknown stage'}.`,
              }
            : {
                action: `Review the device timeline of ${entity.value} around ${alert.firstActivityAt ?? alert.createdAt}.`,
                target: target(entity),
                why: 'The timeline shows what ran before and after the detection.',
              },
        );
        break;
      case 'account':
        if (!flagged(entity) && entity.role === 'context') break;
        steps.push(
          open && (urgent || stage === 'Initial Access' || entity.verdict === 'malicious')
            ? {
                action: `Revoke the sessions of ${entity.value}, reset their credentials and review their recent sign-ins.`,
                target: target(entity),
                why: `The account is ${entity.role} and the activity reaches ${stage ?? 'an unknown stage'}.`,
              }
            : {
                action: `Confirm with ${entity.value} (or their manager) that they expected this activity.`,
                target: target(entity),
                why: 'Only the user can say whether the activity was theirs.',
              },
        );
        break;
      case 'file':
      case 'process': {
        const hash = hashOf(entity);
        if (hash === undefined || /microsoft/i.test(publisherOf(entity) ?? '')) break;
        steps.push({
          action: `Search all devices for the hash ${hash} and block it if it is malicious.`,
          target: target(entity),
          why: 'The same file elsewhere means more affected devices.',
        });
        break;
      }
      case 'ip':
      case 'url':
      case 'domain':
        if (!flagged(entity) && !/attacker/.test(entity.role)) break;
        steps.push({
          action: `Look ${entity.value} up in threat intelligence and block it if it is malicious.`,
          target: target(entity),
          why: `It is ${entity.role} and rated ${entity.verdict}.`,
        });
        break;
      case 'mailbox':
        steps.push({
          action: `Review the inbox rules and forwarding settings of ${entity.value}.`,
          target: target(entity),
          why: 'Attackers hide and forward mail with rules that survive a password reset.',
        });
        break;
      case 'azureResource':
        steps.push({
          action: `Check who created or changed ${entity.value} and stop it if it is not expected.`,
          target: target(entity),
          why: 'Unexpected cloud resources cost money and may run attacker workloads.',
        });
        break;
      default:
        break;
    }
  }
  if (steps.length === 0) {
    const first = entities[0];
    steps.push(
      first !== undefined
        ? {
            action: `Confirm with the owner of ${first.value} whether this activity was expected.`,
            target: { type: first.type, value: first.value },
            why: 'The alert gives too little to act on without the owner.',
          }
        : {
            action: `Confirm with the alert's owner whether the activity behind alert ${alert.id} was expected.`,
            target: { type: 'other', value: alert.id },
            why: 'The alert names no entity to act on.',
          },
    );
  }
  return steps;
}

function summarize(
  alert: Alert,
  techniques: MappedTechnique[],
  stage: string | undefined,
  entities: EntityAssessment[],
  related: RelatedAlert[],
  assessed: Severity,
  falsePositive: string,
): string {
  const parts: string[] = [];
  const techniqueNames = techniques.slice(0, 2).map((technique) => `${technique.id} ${technique.name}`);
  parts.push(
    `${alert.productName} reported "${alert.title}"${stage ? `, at the ${stage} stage` : ''}${techniqueNames.length > 0 ? ` (${techniqueNames.join('; ')})` : ''}.`,
  );
  const flagged = entities.filter((entity) => entity.verdict === 'malicious' || entity.verdict === 'suspicious');
  if (flagged.length > 0)
    parts.push(
      `Flagged: ${flagged
        .slice(0, 4)
        .map((entity) => `${entity.value} (${entity.verdict})`)
        .join(', ')}.`,
    );
  if (related.length > 0)
    parts.push(
      `${related.length} related alert(s) share its entities or incident: ${related
        .slice(0, 4)
        .map((entry) => entry.id)
        .join(', ')}.`,
    );
  parts.push(`Assessed severity ${assessed} (source: ${alert.severity}); false-positive likelihood ${falsePositive}.`);
  return parts.join(' ');
}
