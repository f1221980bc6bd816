import { CopilotError, isCopilotError } from '../../errors';
import type { LlmClient } from '../../llm/port';
import type { Logger } from '../../logger';
import type { Alert } from '../../sources/model';
import { groundTechniques, groundValues } from '../grounding';
import type { AttackFacts } from '../knowledge';
import type { CapabilityResult } from '../result';
import { explainAlertOffline, techniquesForAlert } from './offline';
import { buildExplainAlertMessages } from './prompt';
import { AlertExplanationSchema, boundExplanation, type AlertExplanation } from './schema';

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
  const clock = dependencies.clock ?? (() => new Date());
  const started = Date.now();
  const subject = { alertId: alert.id, incidentId: alert.incidentId };
  const notes: string[] = [];

  if (dependencies.llm) {
    try {
      return await explainWithLlm(alert, dependencies.llm, dependencies, options.signal, started, clock);
    } catch (error) {
      if (!isCopilotError(error) || !error.code.startsWith('llm_')) throw error;
      dependencies.logger.warn({ code: error.code, alertId: alert.id }, 'LLM failed; answering with the offline engine');
      notes.push(`${error.userMessage} This answer comes from the offline engine instead.`);
    }
  }

  const result = boundExplanation(AlertExplanationSchema.parse(explainAlertOffline(alert, dependencies.attack)));
  return {
    capability: 'explainAlert',
    result,
    engine: { kind: 'offline', durationMs: Date.now() - started },
    notes,
    subject,
    generatedAt: clock().toISOString(),
  };
}

async function explainWithLlm(
  alert: Alert,
  llm: LlmClient,
  dependencies: ExplainAlertDependencies,
  signal: AbortSignal | undefined,
  started: number,
  clock: () => Date,
): Promise<CapabilityResult<AlertExplanation>> {
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
    notes.push(`Removed ATT&CK IDs the model gave that do not exist: ${techniques.dropped.join(', ')}.`);
  }
  const inputText = messages.map((message) => message.content).join('\n');
  const entities = groundValues(explanation.keyEntities, inputText);
  if (entities.dropped.length > 0) {
    notes.push(`Removed ${entities.dropped.length} entity value(s) the model gave that are not in the alert.`);
  }
  let grounded: AlertExplanation;
  try {
    grounded = boundExplanation({ ...explanation, techniques: techniques.kept, keyEntities: entities.kept });
  } catch (error) {
    throw new CopilotError('llm_invalid_output', 'the explanation had empty required fields', { cause: error });
  }
  return {
    capability: 'explainAlert',
    result: grounded,
    engine: {
      kind: 'llm',
      provider: llm.provider,
      model: response.model,
      usage: response.usage,
      durationMs: Date.now() - started,
    },
    notes,
    subject: { alertId: alert.id, incidentId: alert.incidentId },
    generatedAt: clock().toISOString(),
  };
}
