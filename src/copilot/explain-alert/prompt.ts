import { entityTypes, type Alert } from '../../sources/model';
import type { LlmMessage } from '../../llm/port';
import type { TechniqueFacts } from '../knowledge';
import { fenceUntrusted, untrustedDataRule } from '../untrusted';

/** The explain-alert prompt. Facts come only from the alert and the ATT&CK reference given here. */
export const explainAlertSystemPrompt = [
  'You are a senior security analyst in a security operations centre (SOC).',
  'Explain a security alert to a non-technical reader (a manager or the affected employee): plain words, short sentences, no acronyms without explanation.',
  'Use only the facts in the alert data and the ATT&CK reference you are given. If something is unknown, say it is unknown; never guess names, numbers, hosts or users.',
  'Only cite ATT&CK technique IDs that appear in the reference list or in the alert data.',
  `Key entities must be copied exactly from the alert data; their type is one of: ${entityTypes.join(', ')}.`,
  'Recommended actions are concrete next steps for the SOC analyst, most urgent first.',
  untrustedDataRule,
  'Answer with JSON that matches the given schema.',
].join('\n');

/**
 * Caps on what goes into the prompt. Every field is attacker-influenced and some sources carry huge
 * ones (a base64 command line, a full e-mail body); without caps one alert could fill the context window
 * or run up the bill.
 */
const maximumDescriptionLength = 4000;
const maximumTextLength = 500;
const maximumEntities = 30;
const maximumPropertiesPerEntity = 12;
const maximumPropertyLength = 300;

function cut(text: string | undefined, maximum: number): string | undefined {
  return text === undefined || text.length <= maximum ? text : `${text.slice(0, maximum)}…`;
}

function cappedProperties(properties: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(properties)
      .slice(0, maximumPropertiesPerEntity)
      .map(([key, value]) => [cut(key, 60) ?? key, cut(value, maximumPropertyLength) ?? value]),
  );
}

/** The alert as the model sees it: the fields that help explain it, each capped. */
export function alertFactsForPrompt(alert: Alert) {
  return {
    title: cut(alert.title, maximumTextLength),
    description: cut(alert.description, maximumDescriptionLength),
    severity: alert.severity,
    status: alert.status,
    category: cut(alert.category, maximumTextLength),
    alertType: cut(alert.alertType, maximumTextLength),
    product: cut(alert.productName, maximumTextLength),
    detectionSource: cut(alert.detectionSource, maximumTextLength),
    createdAt: alert.createdAt,
    firstActivityAt: alert.firstActivityAt,
    lastActivityAt: alert.lastActivityAt,
    incidentId: cut(alert.incidentId, maximumTextLength),
    techniquesAttachedBySource: alert.techniques.slice(0, 20),
    recommendedActionsFromProduct: cut(alert.recommendedActions, 2000),
    entities: alert.entities.slice(0, maximumEntities).map((entity) => ({
      type: entity.type,
      value: cut(entity.value, maximumTextLength),
      roles: entity.roles.slice(0, 5),
      properties: cappedProperties(entity.properties),
    })),
  };
}

/**
 * Every text value of the alert as the model was shown it, for checking what the model copies: a value it
 * reports must come from here, not from our instructions around the data.
 */
export function alertTextsShownToModel(alert: Alert): string[] {
  const texts: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(alertFactsForPrompt(alert));
  return texts;
}

export function buildExplainAlertMessages(alert: Alert, referenceTechniques: TechniqueFacts[]): LlmMessage[] {
  const alertFacts = alertFactsForPrompt(alert);
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
