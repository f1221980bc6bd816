import { CopilotError } from '../../errors';
import type { LlmClient } from '../../llm/port';
import type { Logger } from '../../logger';
import {
  gatherIncidentContext,
  type ContextDependencies,
  type GatherOptions,
  type IncidentContext,
  type IncidentInput,
} from '../context';
import { answerWithFallback, type CapabilityResult, type ModelAnswer } from '../result';
import { groundAnswer } from './ground-answer';
import { investigateOffline } from './offline';
import { buildInvestigateMessages } from './prompt';
import { InvestigationAnswerSchema, InvestigationSchema, type Investigation } from './schema';

export {
  InvestigationSchema,
  type Investigation,
  type InvestigationFinding,
  type ContainmentStep,
  type TimelineEvent,
} from './schema';
export { investigateOffline } from './offline';
export { buildInvestigateMessages } from './prompt';
export { redactUngroundedIndicators, groundingIndex, removedIndicatorMarker } from './ground';

export interface InvestigateDependencies extends ContextDependencies {
  llm?: LlmClient;
  logger: Logger;
}

export interface InvestigateOptions extends GatherOptions {
  /** Prompt size the context is trimmed to (default 12,000 tokens). */
  promptBudgetTokens?: number;
}

const defaultPromptBudget = 12_000;

/**
 * Investigates an incident: gathers its context (a failed source is a gap, not a failure), then lets the LLM
 * reason over it, checked against the context afterwards, or answers with the offline engine when no LLM is
 * configured or the LLM fails.
 */
export async function investigateIncident(
  input: IncidentInput,
  dependencies: InvestigateDependencies,
  options: InvestigateOptions = {},
): Promise<CapabilityResult<Investigation>> {
  const context = await gatherIncidentContext(input, dependencies, options);
  return investigateContext(context, dependencies, options);
}

/** The investigation of a context gathered already (the report capability gathers once for both). */
export async function investigateContext(
  context: IncidentContext,
  dependencies: InvestigateDependencies,
  options: InvestigateOptions = {},
): Promise<CapabilityResult<Investigation>> {
  return answerWithFallback(
    {
      capability: 'investigateIncident',
      subject: { incidentId: context.incident.id },
      started: Date.now(),
      fallbackLog: 'LLM failed; investigating offline',
      logFields: { incidentId: context.incident.id },
      fallbackNote: 'This investigation comes from the offline engine instead.',
      online: (llm) => investigateWithLlm(context, llm, dependencies, options),
      offline: () => InvestigationSchema.parse(investigateOffline(context)),
    },
    dependencies,
    options.signal,
  );
}

async function investigateWithLlm(
  context: IncidentContext,
  llm: LlmClient,
  dependencies: InvestigateDependencies,
  options: InvestigateOptions,
): Promise<ModelAnswer<Investigation>> {
  const prompt = buildInvestigateMessages(context, options.promptBudgetTokens ?? defaultPromptBudget);
  const response = await llm.generateStructured({
    schemaName: 'incident_investigation',
    schema: InvestigationAnswerSchema,
    messages: prompt.messages,
    temperature: 0.2,
    maxOutputTokens: 4000,
    signal: options.signal,
  });
  const notes: string[] = [];
  const omitted = Object.values(prompt.omitted).reduce((total, count) => total + count, 0);
  if (omitted > 0)
    notes.push(`${omitted} lower-priority context item(s) were left out of the prompt to stay within its size budget.`);
  const offline = investigateOffline(context);
  let result: Investigation;
  try {
    result = InvestigationSchema.parse(groundAnswer(response.value, context, offline, dependencies, notes));
  } catch (error) {
    throw new CopilotError(
      'llm_invalid_output',
      'the investigation had empty or invalid required fields after grounding',
      {
        cause: error,
      },
    );
  }
  return { result, notes, model: response.model, usage: response.usage };
}
