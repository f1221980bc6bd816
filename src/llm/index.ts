import type { LlmLogger, OpenAiClientOptions } from './openai-sdk';
import { createLlmClient } from './openai-client';
import type { LlmClient } from './port';

export type { LlmClient, LlmMessage, LlmProvider, StructuredRequest, StructuredResponse, TokenUsage } from './port';
export type { LlmLogger, OpenAiClientOptions } from './openai-sdk';
export { createLlmClient, OpenAiLlmClient } from './openai-client';

/**
 * The LLM section of the configuration: one of the adapter's provider options, or `none` when no LLM is
 * configured. Structurally the same as `AppConfig['llm']`, without this port depending on the config module.
 */
export type LlmSettings = { provider: 'none' } | OpenAiClientOptions;

/** The LLM client for the configuration, or undefined when none is configured (the offline engine answers). */
export function createLlmFromConfig(settings: LlmSettings, logger?: LlmLogger): LlmClient | undefined {
  if (settings.provider === 'none') return undefined;
  return createLlmClient({ ...settings, logger: logger ?? settings.logger });
}
