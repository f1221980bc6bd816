import type { Attributes } from '@opentelemetry/api';
import type { LlmClient, StructuredRequest, StructuredResponse } from '../llm/port';
import { toCopilotError } from '../errors';
import { traceClientCall, tracingEnabled } from './spans';
import { LlmClientDecorator } from '../llm/decorator';

const systems: Record<LlmClient['provider'], string> = {
  openai: 'openai',
  'azure-openai': 'az.ai.openai',
  'openai-compatible': 'openai',
};

/**
 * A client span per structured LLM request, whichever capability asked: provider, model, the result schema's name,
 * tokens, attempts and the outcome (ok or the `llm_*` code). Never the prompt or the answer. A decorator like the
 * metered client; with tracing off it calls straight through.
 */
export class TracedLlmClient extends LlmClientDecorator {
  constructor(inner: LlmClient) {
    super(inner);
  }

  generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResponse<T>> {
    if (!tracingEnabled()) return this.inner.generateStructured(request);
    const attributes: Attributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': systems[this.provider],
      'gen_ai.request.model': this.model,
      'soc.llm.provider': this.provider,
      // A constant of the capability's code (alert_explanation, hunting_query): says which capability asked.
      'soc.llm.schema': /^[\w.-]{1,64}$/.test(request.schemaName) ? request.schemaName : 'other',
    };
    if (request.maxOutputTokens !== undefined) attributes['gen_ai.request.max_tokens'] = request.maxOutputTokens;
    return traceClientCall(`chat ${this.model}`, attributes, async (span) => {
      try {
        const response = await this.inner.generateStructured(request);
        span.setAttributes({
          'gen_ai.response.model': response.model,
          'gen_ai.usage.input_tokens': response.usage.promptTokens,
          'gen_ai.usage.output_tokens': response.usage.completionTokens,
          'soc.llm.attempts': response.attempts,
          'soc.outcome': 'ok',
        });
        return response;
      } catch (error) {
        // traceClientCall marks the span failed with the same code.
        span.setAttribute('soc.outcome', toCopilotError(error).code);
        throw error;
      }
    });
  }
}

/** Wraps the composed LLM client when tracing is configured; otherwise returns it as it is. */
export function withLlmTracing(llm: LlmClient | undefined, tracing: boolean): LlmClient | undefined {
  return llm === undefined || !tracing ? llm : new TracedLlmClient(llm);
}
