import type { z } from 'zod';

export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface StructuredRequest<T> {
  /** Short identifier used as the JSON schema name, e.g. "alert_explanation". */
  schemaName: string;
  schema: z.ZodType<T>;
  messages: LlmMessage[];
  maxOutputTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

export interface StructuredResponse<T> {
  value: T;
  model: string;
  usage: TokenUsage;
  /** How many HTTP attempts and schema re-asks it took. */
  attempts: number;
}

export type LlmProvider = 'openai' | 'azure-openai' | 'openai-compatible';

/**
 * The LLM port. Adapters translate vendor errors into CopilotError (`llm_*` codes) and validate the
 * structured output against the zod schema before returning it.
 */
export interface LlmClient {
  readonly provider: LlmProvider;
  readonly model: string;
  generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResponse<T>>;
}
