import { isCopilotError } from '../../errors';
import type { LlmClient } from '../../llm/port';
import type { Logger } from '../../logger';
import { buildIntentMessages } from './prompt';
import { IntentAnswerSchema, type IntentDecision } from './schema';

export type { IntentDecision } from './schema';
export { commandLanguage } from './prompt';

/** Free-form requests longer than this are not commands; pasted data has its own routes. */
export const MAXIMUM_CLASSIFIED_LENGTH = 600;

export interface IntentDependencies {
  llm: LlmClient;
  logger: Logger;
  /** True when the routing table answers the text (matchMessageRoute in the Teams layer). */
  isCommand: (text: string) => boolean;
}

/**
 * Routes a free-form request the deterministic table did not recognise, with one small structured LLM call.
 * The model's answer is only a command in the bot's own language: it must route, and every alert or incident
 * id in it must appear in the analyst's words (a model that invents "incident 42" is not believed). An LLM
 * failure is "unknown", never an error card: the analyst still gets the "here is what I can do" answer.
 */
export async function classifyIntent(
  request: string,
  dependencies: IntentDependencies,
  options: { signal?: AbortSignal } = {},
): Promise<IntentDecision> {
  const text = request.trim();
  if (text === '' || text.length > MAXIMUM_CLASSIFIED_LENGTH) return { kind: 'unknown', reason: 'not a short request' };
  let answer;
  try {
    answer = (
      await dependencies.llm.generateStructured({
        schemaName: 'intent',
        schema: IntentAnswerSchema,
        messages: buildIntentMessages(text),
        temperature: 0,
        maxOutputTokens: 200,
        signal: options.signal,
      })
    ).value;
  } catch (error) {
    if (!isCopilotError(error) || !error.code.startsWith('llm_')) throw error;
    dependencies.logger.warn({ code: error.code }, 'intent classification failed; answering with the guide');
    return { kind: 'unknown', reason: 'the language model was not available' };
  }
  const usable = (command: string) => {
    const trimmed = command.trim().replace(/\s+/g, ' ');
    return trimmed !== '' && dependencies.isCommand(trimmed) && idsAreFromRequest(trimmed, text) ? trimmed : undefined;
  };
  const command = usable(answer.command);
  if (command !== undefined) return { kind: 'command', command, reason: answer.reason };
  const choices = [...new Set(answer.alternatives.map(usable).filter((choice) => choice !== undefined))].slice(0, 3);
  if (choices.length > 0) return { kind: 'clarify', choices, reason: answer.reason };
  return { kind: 'unknown', reason: answer.reason };
}

/** Every id after "alert" or "incident" in the command must be written in the request. */
function idsAreFromRequest(command: string, request: string): boolean {
  const said = request.toLowerCase();
  for (const match of command.matchAll(/\b(?:alert|incident)\s+#?([^\s]+)/gi)) {
    if (!said.includes(match[1].toLowerCase())) return false;
  }
  return true;
}
