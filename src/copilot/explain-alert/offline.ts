import type { Alert, Entity } from '../../sources/model';
import type { AttackFacts, TechniqueFacts } from '../knowledge';
import type { AlertExplanation } from './schema';
import {
  describeEntity,
  entityPriority,
  firstSentences,
  joinList,
  severityWords,
  tacticConsequences,
  tacticFromCategory,
} from './plain-language';

/**
 * The offline engine: a deterministic explanation from the alert's own fields plus ATT&CK facts.
 * It never invents: every sentence is built from a field of the alert or a fact about a technique,
 * and it says what it does not know.
 */
export function explainAlertOffline(alert: Alert, attack: AttackFacts): AlertExplanation {
  const techniques = techniquesForAlert(alert, attack);
  const tactics = orderedTactics(alert, techniques);
  const keyEntities = pickKeyEntities(alert.entities);
  const isTestAlert = looksLikeTestAlert(alert);
  const severity = severityWords[alert.severity];

  return {
    headline: firstSentences(
      `${/^[aeiou]/i.test(severity) ? 'An' : 'A'} ${severity} alert from ${alert.productName}: ${alert.title}`,
      200,
    ),
    whatHappened: describeWhatHappened(alert, keyEntities),
    whyItMatters: describeWhyItMatters(alert, tactics, isTestAlert),
    immediateRisk: assessRisk(alert, tactics, isTestAlert),
    recommendedActions: recommendActions(alert, keyEntities, tactics, isTestAlert),
    techniques: techniques.map((technique) => ({
      id: technique.id,
      name: technique.fullName,
      tactics: technique.tactics,
    })),
    keyEntities: keyEntities.map((entity) => ({ type: entity.type, value: entity.value })),
  };
}

/**
 * Products mark their self-tests in the title ("Azure Security Center test alert (not a threat)",
 * "[Test Alert] Suspicious PowerShell commandline"). Only the title and alert type are read: the
 * description is attacker-influenced, and "this is a test alert" in it must not turn a real alert low.
 */
function looksLikeTestAlert(alert: Alert): boolean {
  return /\btest alert\b|\bnot a threat\b/i.test(`${alert.title}\n${alert.alertType ?? ''}`);
}

/**
 * Techniques the source attached, then those its text clearly shows, then those the command lines in
 * its evidence show; only real ATT&CK IDs survive. Bare program paths are left out: "rundll32.exe" alone
 * says which program ran, not how it was used.
 */
export function techniquesForAlert(alert: Alert, attack: AttackFacts): TechniqueFacts[] {
  const text = [alert.title, alert.alertType, alert.category, alert.description].filter(Boolean).join('\n');
  // A process entity's value is its command line when the source gave one, else the program's path.
  const commandLines = alert.entities
    .filter((entity) => entity.type === 'process' && /\S\s+\S/.test(entity.value.trim()))
    .map((entity) => entity.value);
  const candidates = [
    ...alert.techniques,
    ...attack.techniquesForText(text).map((candidate) => candidate.id),
    ...[...new Set(commandLines)].flatMap((commandLine) =>
      attack.techniquesForText(commandLine).map((candidate) => candidate.id),
    ),
  ];
  const seen = new Set<string>();
  const result: TechniqueFacts[] = [];
  for (const id of candidates) {
    const facts = attack.technique(id);
    if (!facts || seen.has(facts.id)) continue;
    seen.add(facts.id);
    result.push(facts);
    if (result.length === 8) break;
  }
  return result;
}

function orderedTactics(alert: Alert, techniques: TechniqueFacts[]): string[] {
  const found = new Set<string>(techniques.flatMap((technique) => technique.tactics));
  for (const tactic of [...alert.tactics, alert.category]) {
    const known = tacticFromCategory(tactic);
    if (known) found.add(known);
  }
  return tacticConsequences.map((entry) => entry.tactic).filter((tactic) => found.has(tactic));
}

function pickKeyEntities(entities: Entity[]): Entity[] {
  const seen = new Set<string>();
  const unique = entities.filter((entity) => {
    const key = `${entity.type}:${entity.value.toLowerCase()}`;
    if (entity.value.trim() === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique
    .map((entity, index) => ({ entity, index }))
    .sort(
      (left, right) =>
        entityPriority.indexOf(left.entity.type) - entityPriority.indexOf(right.entity.type) ||
        left.index - right.index,
    )
    .slice(0, 12)
    .map(({ entity }) => entity);
}

function describeWhatHappened(alert: Alert, keyEntities: Entity[]): string {
  const parts: string[] = [];
  const description = alert.description.trim();
  parts.push(
    description.length > 0
      ? `${alert.productName} reported: "${firstSentences(description, 600)}"`
      : `${alert.productName} raised the alert "${alert.title}" without a description.`,
  );
  const involved = keyEntities.slice(0, 5).map(describeEntity);
  if (involved.length > 0) parts.push(`It involves ${joinList(involved)}.`);
  const first = alert.firstActivityAt ?? alert.createdAt;
  const last = alert.lastActivityAt;
  parts.push(
    last && last !== first
      ? `The activity was seen between ${formatTime(first)} and ${formatTime(last)}.`
      : `It was detected at ${formatTime(first)}.`,
  );
  return firstSentences(parts.join(' '), 1500);
}

function describeWhyItMatters(alert: Alert, tactics: string[], isTestAlert: boolean): string {
  if (isTestAlert) {
    return 'This looks like a test alert that the security product generates on purpose to check that alerting works; it does not by itself indicate an attack.';
  }
  const consequences = tactics
    .map((tactic) => tacticConsequences.find((entry) => entry.tactic === tactic)?.consequence)
    .filter((consequence): consequence is string => Boolean(consequence))
    .slice(0, 3);
  if (consequences.length === 0) {
    return `The alert does not say which stage of an attack this is. Treat it as ${severityWords[alert.severity]} until an analyst has confirmed whether the activity was expected.`;
  }
  const sentence = `If this is malicious, ${joinList(consequences)}.`;
  return alert.severity === 'high' || alert.severity === 'medium'
    ? `${sentence} The product rated it ${alert.severity} severity, so it deserves attention now.`
    : `${sentence} The product rated it ${alert.severity} severity.`;
}

function assessRisk(alert: Alert, tactics: string[], isTestAlert: boolean): AlertExplanation['immediateRisk'] {
  if (isTestAlert) return { level: 'low', rationale: 'The alert describes itself as a test, not a threat.' };
  const urgentTactics = tactics.filter((tactic) => tacticConsequences.find((entry) => entry.tactic === tactic)?.urgent);
  const open = alert.status === 'new' || alert.status === 'inProgress' || alert.status === 'unknown';
  const reasons = [`severity is ${alert.severity}`];
  if (urgentTactics.length > 0) reasons.push(`it shows ${joinList(urgentTactics)} activity`);
  reasons.push(open ? 'it has not been resolved' : `its status is ${alert.status}`);

  let level: AlertExplanation['immediateRisk']['level'];
  if (alert.severity === 'high') level = urgentTactics.length > 0 && open ? 'critical' : 'high';
  else if (alert.severity === 'medium') level = urgentTactics.length > 0 && open ? 'high' : 'moderate';
  else level = urgentTactics.length > 0 && open ? 'moderate' : 'low';
  if (!open && level !== 'low') level = level === 'critical' ? 'high' : 'moderate';
  return { level, rationale: `Rated ${level} because ${joinList(reasons)}.` };
}

function recommendActions(alert: Alert, keyEntities: Entity[], tactics: string[], isTestAlert: boolean): string[] {
  if (isTestAlert) {
    return ['Confirm the test was expected (who generated it and when), then close the alert as a test.'];
  }
  const actions: string[] = [];
  const urgent =
    alert.severity === 'high' ||
    tactics.some((tactic) => ['Impact', 'Lateral Movement', 'Command and Control'].includes(tactic));
  const first = (type: Entity['type']) => keyEntities.find((entity) => entity.type === type);
  const host = first('host');
  const account = first('account') ?? first('mailbox');
  const file = keyEntities.find(
    (entity) => entity.type === 'file' && (entity.properties.sha256 || entity.properties.sha1),
  );
  const network = first('ip') ?? first('url') ?? first('domain');

  // Isolating a device for an alert someone already resolved would cut off a user for nothing.
  if (host && urgent && alert.status !== 'resolved') {
    actions.push(`Isolate the device ${host.value} from the network until it has been checked.`);
  }
  if (account) {
    actions.push(
      tactics.includes('Credential Access') || tactics.includes('Initial Access')
        ? `Reset the password of ${account.value}, revoke their sessions and review their recent sign-ins.`
        : `Check with ${account.value} (or their manager) whether they expected this activity, and review their recent sign-ins.`,
    );
  }
  if (host && (!urgent || alert.status === 'resolved'))
    actions.push(`Review recent activity on the device ${host.value} (processes, sign-ins, network connections).`);
  if (file) {
    const hash = file.properties.sha256 ?? file.properties.sha1;
    actions.push(`Search all devices for the file ${file.value} (hash ${hash}) and block it if it is malicious.`);
  }
  if (network) actions.push(`Look up ${network.value} in threat intelligence and block it if it is malicious.`);
  for (const vendorStep of splitRecommendedActions(alert.recommendedActions)) {
    if (actions.length >= 5) break;
    actions.push(vendorStep);
  }
  if (actions.length < 6) {
    actions.push(
      alert.incidentId
        ? `Review the other alerts in incident ${alert.incidentId} to see the whole story.`
        : 'Check whether related alerts involve the same users or devices.',
    );
  }
  return actions.slice(0, 6).map((action) => firstSentences(action, 400));
}

/** The product's own recommendations, split into steps (they come as prose, numbered or bulleted). */
function splitRecommendedActions(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/\r?\n|(?:^|\s)\d+[.)]\s+|•/)
    .map((step) => step.replace(/^[-*\s]+/, '').trim())
    .filter((step) => step.length > 10)
    .slice(0, 3);
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
