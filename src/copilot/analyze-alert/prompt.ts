import type { LlmMessage } from '../../llm/port';
import type { Alert, UserContext } from '../../sources/model';
import { entityTypes } from '../../sources/model';
import { alertFactsForPrompt } from '../explain-alert/prompt';
import { fenceUntrusted, untrustedDataRule } from '../untrusted';
import type { AlertAnalysis } from './schema';

export const analyzeAlertSystemPrompt = [
  'You are a senior SOC analyst performing a deep analysis of one security alert (often from Microsoft Defender) for another analyst.',
  'Use only the facts in the alert data, its context (related alerts, user context) and the reference you are given; never guess hosts, users, hashes or addresses.',
  'Map the alert to MITRE ATT&CK techniques; prefer IDs from the reference list and give the alert fact that shows each.',
  `Assess each important entity: its role, a verdict (malicious, suspicious, unknown, benign) and why. Copy entity values exactly from the alert data; types are: ${entityTypes.join(', ')}.`,
  'Assess the severity (it may differ from the vendor severity, with reasons), the likelihood that the alert is a false positive, and the next steps, each naming the entity it acts on.',
  'The deterministic findings are computed from the same data by rules; disagree only with a reason grounded in the data.',
  untrustedDataRule,
  'Answer with JSON that matches the given schema.',
].join('\n');

function userFacts(user: UserContext) {
  return {
    userPrincipalName: user.userPrincipalName,
    department: user.department,
    jobTitle: user.jobTitle,
    riskLevel: user.riskLevel,
    isPrivileged: user.isPrivileged,
    recentSignIns: user.recentSignIns.slice(0, 5).map((signIn) => ({
      time: signIn.time,
      ipAddress: signIn.ipAddress,
      location: signIn.location,
      succeeded: signIn.succeeded,
    })),
  };
}

export function buildAnalyzeAlertMessages(
  alert: Alert,
  offline: AlertAnalysis,
  users: readonly UserContext[],
): LlmMessage[] {
  const reference = offline.techniques.map((technique) => ({
    id: technique.id,
    name: technique.name,
    tactics: technique.tactics,
  }));
  const findings = {
    killChain: offline.killChain.stage,
    severity: offline.severity.assessed,
    falsePositiveLikelihood: offline.falsePositive.likelihood,
  };
  // Related alert titles and user profiles come from the data source and may carry attacker text too.
  const context = {
    relatedAlerts: offline.relatedAlerts.map((related) => ({
      id: related.id,
      title: related.title.slice(0, 300),
      severity: related.severity,
      status: related.status,
      sharedEntities: related.sharedEntities,
      sameIncident: related.sameIncident,
    })),
    users: users.map(userFacts),
  };
  return [
    { role: 'system', content: analyzeAlertSystemPrompt },
    {
      role: 'user',
      content: [
        'Analyse this alert.',
        '',
        'ATT&CK reference (trusted, from the MITRE ATT&CK knowledge base):',
        JSON.stringify(reference),
        '',
        'Deterministic findings (trusted, computed by rules from the same data):',
        JSON.stringify(findings),
        '',
        fenceUntrusted('alert', JSON.stringify(alertFactsForPrompt(alert), null, 1)),
        '',
        fenceUntrusted('context', JSON.stringify(context, null, 1)),
      ].join('\n'),
    },
  ];
}
