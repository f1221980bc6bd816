import type { Alert, Entity, Severity, UserContext } from '../../sources/model';
import { alertTactics, furthestStage } from '../analyze-alert/kill-chain';
import { upnOf } from '../analyze-alert/offline';
import type { AttackFacts } from '../knowledge';
import { mapAlertTechniques } from '../analyze-alert/techniques';
import type { ScoreFactor } from './schema';

/**
 * The triage score: a sum of points, each factor shown to the analyst. The weights are a judgement,
 * written down so it can be argued with:
 *
 * - severity (0–40): the product's own rating is the strongest single signal.
 * - user risk (0–20): the riskiest account involved — Entra ID Protection risk high 15, medium 10, low 4,
 *   plus 5 for a privileged account.
 * - asset risk (0–15): the riskiest device — Defender risk score high 10, medium 6, low 2, plus 5 for a server or a
 *   device the source marks critical (servers hold data and serve many users).
 * - ATT&CK stage (0–20): later stages rank higher; Impact 20, Exfiltration 18, Lateral Movement and Credential
 *   Access 16, Command and Control 12, Privilege Escalation 10, Persistence and Collection 8, Defense Evasion
 *   and Execution 6, Initial Access and Discovery 4, earlier 2.
 * - correlation (0–12): 3 per other open alert in the same incident or sharing an entity; many alerts around
 *   the same people and machines are rarely noise.
 * - age (0–8): activity in the last 24 h 8, in the last 3 days 4; an attack in progress beats an old one.
 * - status (0–3): "new" gets 3 — nobody has looked at it; "in progress" already has an owner.
 *
 * An incident scores as its highest open alert plus the correlation of its open alerts.
 */
export const triageWeights = {
  severity: { high: 40, medium: 25, low: 10, informational: 3 } satisfies Record<Severity, number>,
  userRisk: { high: 15, medium: 10, low: 4, none: 0, unknown: 0 } satisfies Record<UserContext['riskLevel'], number>,
  privilegedAccount: 5,
  deviceRisk: { high: 10, medium: 6, low: 2 } as Record<string, number>,
  server: 5,
  stage: {
    Impact: 20,
    Exfiltration: 18,
    'Lateral Movement': 16,
    'Credential Access': 16,
    'Command and Control': 12,
    'Privilege Escalation': 10,
    Persistence: 8,
    Collection: 8,
    'Defense Evasion': 6,
    Execution: 6,
    'Initial Access': 4,
    Discovery: 4,
  } as Record<string, number>,
  earlyStage: 2,
  perCorrelatedAlert: 3,
  maximumCorrelation: 12,
  ageWithinDay: 8,
  ageWithinThreeDays: 4,
  statusNew: 3,
} as const;

export interface ScoredAlert {
  alert: Alert;
  score: number;
  factors: ScoreFactor[];
  stage?: string;
}

const hourMs = 3_600_000;

function worstUser(alert: Alert, users: Map<string, UserContext>): { user: UserContext; points: number } | undefined {
  let worst: { user: UserContext; points: number } | undefined;
  for (const entity of alert.entities) {
    if (entity.type !== 'account' && entity.type !== 'mailbox') continue;
    const user = users.get(upnOf(entity));
    if (user === undefined) continue;
    const points = triageWeights.userRisk[user.riskLevel] + (user.isPrivileged ? triageWeights.privilegedAccount : 0);
    if (worst === undefined || points > worst.points) worst = { user, points };
  }
  return worst;
}

function worstDevice(alert: Alert): { entity: Entity; points: number } | undefined {
  let worst: { entity: Entity; points: number } | undefined;
  for (const entity of alert.entities) {
    if (entity.type !== 'host') continue;
    const risk = triageWeights.deviceRisk[(entity.properties.riskScore ?? '').toLowerCase()] ?? 0;
    // Servers, and devices a source marks critical (Defender's criticality level 0-1, or a "high"/"critical" tag).
    const critical =
      /server/i.test(entity.properties.osPlatform ?? '') ||
      /^(?:0|1|high|critical|very ?high)$/i.test(
        (entity.properties.criticalityLevel ?? entity.properties.assetCriticality ?? '').trim(),
      );
    const server = critical ? triageWeights.server : 0;
    if (worst === undefined || risk + server > worst.points) worst = { entity, points: risk + server };
  }
  return worst;
}

/** Scores one open alert; `correlated` are the other open alerts in its incident or sharing its entities. */
export function scoreAlert(
  alert: Alert,
  context: { attack: AttackFacts; users: Map<string, UserContext>; correlated: readonly Alert[]; now: Date },
): ScoredAlert {
  const factors: ScoreFactor[] = [];
  factors.push({
    factor: 'severity',
    points: triageWeights.severity[alert.severity],
    detail: `${alert.severity} severity from ${alert.productName}`,
  });

  const user = worstUser(alert, context.users);
  if (user !== undefined && user.points > 0) {
    const traits = [
      user.user.riskLevel !== 'none' && user.user.riskLevel !== 'unknown' ? `${user.user.riskLevel} user risk` : '',
      user.user.isPrivileged ? 'privileged' : '',
    ].filter(Boolean);
    factors.push({
      factor: 'userRisk',
      points: user.points,
      detail: `${user.user.userPrincipalName}: ${traits.join(', ')}`,
    });
  }

  const device = worstDevice(alert);
  if (device !== undefined && device.points > 0) {
    const traits = [
      device.entity.properties.riskScore ? `${device.entity.properties.riskScore} device risk` : '',
      /server/i.test(device.entity.properties.osPlatform ?? '') ? 'server' : '',
      device.entity.properties.criticalityLevel !== undefined || device.entity.properties.assetCriticality !== undefined
        ? `criticality ${device.entity.properties.criticalityLevel ?? device.entity.properties.assetCriticality}`
        : '',
    ].filter(Boolean);
    factors.push({
      factor: 'assetRisk',
      points: device.points,
      detail: `${device.entity.value}: ${traits.join(', ')}`,
    });
  }

  const stage = furthestStage(alertTactics(alert, mapAlertTechniques(alert, context.attack)));
  if (stage !== undefined) {
    factors.push({
      factor: 'attackStage',
      points: triageWeights.stage[stage] ?? triageWeights.earlyStage,
      detail: `reaches ${stage}`,
    });
  }

  if (context.correlated.length > 0) {
    factors.push({
      factor: 'correlation',
      points: Math.min(triageWeights.maximumCorrelation, context.correlated.length * triageWeights.perCorrelatedAlert),
      detail: `${context.correlated.length} other open alert(s) share its incident or entities`,
    });
  }

  const last = Date.parse(alert.lastActivityAt ?? alert.lastUpdatedAt ?? alert.createdAt);
  const ageHours = Number.isNaN(last) ? Infinity : (context.now.getTime() - last) / hourMs;
  if (ageHours <= 24)
    factors.push({ factor: 'age', points: triageWeights.ageWithinDay, detail: 'activity in the last 24 hours' });
  else if (ageHours <= 72)
    factors.push({ factor: 'age', points: triageWeights.ageWithinThreeDays, detail: 'activity in the last 3 days' });

  if (alert.status === 'new')
    factors.push({ factor: 'status', points: triageWeights.statusNew, detail: 'new, nobody has taken it yet' });

  const score = factors.reduce((total, factor) => total + factor.points, 0);
  return stage === undefined ? { alert, score, factors } : { alert, score, factors, stage };
}

/** The line a ranked row shows: its largest factors, in words. */
export function reasonFor(factors: readonly ScoreFactor[]): string {
  return [...factors]
    .sort((left, right) => right.points - left.points)
    .slice(0, 3)
    .map((factor) => factor.detail)
    .join('; ');
}
