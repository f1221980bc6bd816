import { CopilotError } from '../../errors';
import type { LlmClient } from '../../llm/port';
import type { Logger } from '../../logger';
import { entityTypes, type Alert, type EntityType } from '../../sources/model';
import { groundTechniques, groundValues } from '../grounding';
import type { AttackFacts } from '../knowledge';
import { answerWithFallback, type CapabilityResult, type ModelAnswer } from '../result';
import { explainAlertOffline, techniquesForAlert } from './offline';
import { alertTextsShownToModel, buildExplainAlertMessages } from './prompt';
import { AlertExplanationSchema, boundExplanation, riskLevels, type AlertExplanation } from './schema';

export { AlertExplanationSchema, type AlertExplanation } from './schema';

export interface ExplainAlertDependencies {
  attack: AttackFacts;
  llm?: LlmClient;
  logger: Logger;
  clock?: () => Date;
}

/**
 * Explain an alert in plain language. With an LLM configured the model writes the explanation,
 * grounded in the alert and checked afterwards; if the model fails or is not configured, the offline
 * engine answers and the result says why.
 */
export async function explainAlert(
  alert: Alert,
  dependencies: ExplainAlertDependencies,
  options: { signal?: AbortSignal } = {},
): Promise<CapabilityResult<AlertExplanation>> {
  return answerWithFallback(
    {
      capability: 'explainAlert',
      subject: { alertId: alert.id, incidentId: alert.incidentId },
      started: Date.now(),
      fallbackLog: 'LLM failed; answering with the offline engine',
      logFields: { alertId: alert.id },
      fallbackNote: 'This answer comes from the offline engine instead.',
      online: (llm) => explainWithLlm(alert, llm, dependencies, options.signal),
      offline: () => boundExplanation(AlertExplanationSchema.parse(explainAlertOffline(alert, dependencies.attack))),
    },
    dependencies,
    options.signal,
  );
}

async function explainWithLlm(
  alert: Alert,
  llm: LlmClient,
  dependencies: ExplainAlertDependencies,
  signal: AbortSignal | undefined,
): Promise<ModelAnswer<AlertExplanation>> {
  const reference = techniquesForAlert(alert, dependencies.attack);
  const messages = buildExplainAlertMessages(alert, reference);
  const response = await llm.generateStructured({
    schemaName: 'alert_explanation',
    schema: AlertExplanationSchema,
    messages,
    temperature: 0.2,
    maxOutputTokens: 1200,
    signal,
  });

  const notes: string[] = [];
  const explanation = response.value;
  const techniques = groundTechniques(explanation.techniques, dependencies.attack);
  if (techniques.dropped.length > 0) {
    notes.push(
      `Removed ATT&CK IDs the model gave that do not exist: ${techniques.dropped.map((id) => shorten(id, 24)).join(', ')}.`,
    );
  }
  // Entities are checked against the alert's values as the model was shown them, not against the prompt
  // text: the prompt also holds our instructions and the ATT&CK reference, and shows the alert JSON-escaped
  // (a Windows account "CONTOSO\kim" appears there as "CONTOSO\\kim", so a correct copy would not be found).
  const entities = groundValues(explanation.keyEntities, alertTextsShownToModel(alert).join('\n'));
  if (entities.dropped.length > 0) {
    const shown = entities.dropped.slice(0, 3).map((entity) => shorten(entity.value.trim(), 60));
    const more = entities.dropped.length > shown.length ? ` and ${entities.dropped.length - shown.length} more` : '';
    notes.push(
      `Removed ${entities.dropped.length} entity value(s) the model gave that are not in the alert: ${shown.join(', ')}${more}.`,
    );
  }
  const immediateRisk = riskWithinFloor(explanation.immediateRisk, alert, dependencies.attack, notes);
  let grounded: AlertExplanation;
  try {
    grounded = boundExplanation({
      ...explanation,
      immediateRisk,
      techniques: techniques.kept,
      keyEntities: normalizeEntities(entities.kept, alert),
    });
  } catch (error) {
    throw new CopilotError('llm_invalid_output', 'the explanation had empty required fields', { cause: error });
  }
  return { result: grounded, notes, model: response.model, usage: response.usage };
}

/**
 * The model may not talk the risk down past what the alert's own facts support: an alert description
 * saying "this is benign" is attacker-writable. The deterministic rating is the floor, less one level
 * (the model may weigh context the rules do not), and the card says when the floor applied.
 */
function riskWithinFloor(
  risk: AlertExplanation['immediateRisk'],
  alert: Alert,
  attack: AttackFacts,
  notes: string[],
): AlertExplanation['immediateRisk'] {
  const offlineLevel = explainAlertOffline(alert, attack).immediateRisk.level;
  const floor = riskLevels[Math.max(0, riskLevels.indexOf(offlineLevel) - 1)];
  if (riskLevels.indexOf(risk.level) >= riskLevels.indexOf(floor)) return risk;
  notes.push(
    `The model rated the immediate risk ${risk.level}; the alert's severity, stage and status support at least ${floor}, so it is shown as ${floor}.`,
  );
  return { level: floor, rationale: risk.rationale };
}

const knownEntityTypes = new Set<string>(entityTypes);

/**
 * The model's entity types are free text; cards and the audit trail expect ours. A value the alert lists
 * as an entity takes that entity's type when the model's is not one of ours; otherwise it is "other".
 * Repeats are dropped and values trimmed.
 */
function normalizeEntities(
  entities: AlertExplanation['keyEntities'],
  alert: Alert,
): Array<{ type: EntityType; value: string }> {
  const seen = new Set<string>();
  const result: Array<{ type: EntityType; value: string }> = [];
  for (const entity of entities) {
    const value = entity.value.trim();
    const claimed = entity.type.trim();
    const listed = alert.entities.find((candidate) => candidate.value.trim().toLowerCase() === value.toLowerCase());
    const type: EntityType = knownEntityTypes.has(claimed) ? (claimed as EntityType) : (listed?.type ?? 'other');
    const key = `${type}|${value.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({ type, value });
  }
  return result;
}

function shorten(text: string, maximum: number): string {
  return text.length <= maximum ? text : `${text.slice(0, maximum - 1)}…`;
}
