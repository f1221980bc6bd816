import type { Alert } from '../../sources/model';
import type { LlmMessage } from '../../llm/port';
import type { TechniqueFacts } from '../knowledge';
import { fenceUntrusted, untrustedDataRule } from '../untrusted';

/** The explain-alert prompt. Facts come only from the alert and the ATT&CK reference given here. */
export const explainAlertSystemPrompt = [
  'You are a senior security analyst in a security operations centre (SOC).',
  'Explain a security alert to a non-technical reader (a manager or the affected employee): plain words, short sentences, no acronyms without explanation.',
  'Use only the facts in the alert data and the ATT&CK reference you are given. If something is unknown, say it is unknown; never guess names, numbers, hosts or users.',
  'Only cite ATT&CK technique IDs that appear in the reference list or in the alert data.',
  'Key entities must be copied exactly from the alert data.',
  'Recommended actions are concrete next steps for the SOC analyst, most urgent first.',
  untrustedDataRule,
  'Answer with JSON that matches the given schema.',
].join('\n');

const maximumDescriptionLength = 4000;
const maximumEntities = 30;

export function buildExplainAlertMessages(alert: Alert, referenceTechniques: TechniqueFacts[]): LlmMessage[] {
  const alertFacts = {
    title: alert.title,
    description: alert.description.slice(0, maximumDescriptionLength),
    severity: alert.severity,
    status: alert.status,
    category: alert.category,
    product: alert.productName,
    detectionSource: alert.detectionSource,
    createdAt: alert.createdAt,
    firstActivityAt: alert.firstActivityAt,
    lastActivityAt: alert.lastActivityAt,
    incidentId: alert.incidentId,
    techniquesAttachedBySource: alert.techniques,
    recommendedActionsFromProduct: alert.recommendedActions?.slice(0, 2000),
    entities: alert.entities.slice(0, maximumEntities).map((entity) => ({
      type: entity.type,
      value: entity.value.slice(0, 500),
      roles: entity.roles,
      properties: entity.properties,
    })),
  };
  const reference = referenceTechniques.map((technique) => ({
    id: technique.id,
    name: technique.fullName,
    tactics: technique.tactics,
  }));
  return [
    { role: 'system', content: explainAlertSystemPrompt },
    {
      role: 'user',
      content: [
        'Explain this alert.',
        '',
        'ATT&CK reference (trusted, from the MITRE ATT&CK knowledge base):',
        JSON.stringify(reference),
        '',
        fenceUntrusted('alert', JSON.stringify(alertFacts, null, 1)),
      ].join('\n'),
    },
  ];
}
