import { toCopilotError } from '../errors';
import type { LlmClient, StructuredRequest, StructuredResponse } from './port';
import { LlmClientDecorator } from './decorator';

/** Where the metered client reports each request (src/metrics/BotMetrics implements it). */
export interface LlmMeter {
  observeLlm(request: {
    provider: string;
    model: string;
    usage?: { promptTokens: number; completionTokens: number };
    errorCode?: string;
  }): void;
}

/**
 * Counts every structured request, its tokens and its failures (by `llm_*` code), whichever capability asked.
 * A decorator like the redacting client: capabilities never need to remember it.
 */
export class MeteredLlmClient extends LlmClientDecorator {
  constructor(
    inner: LlmClient,
    private readonly meter: LlmMeter,
  ) {
    super(inner);
  }

  async generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResponse<T>> {
    try {
      const response = await this.inner.generateStructured(request);
      this.meter.observeLlm({ provider: this.provider, model: this.model, usage: response.usage });
      return response;
    } catch (error) {
      this.meter.observeLlm({ provider: this.provider, model: this.model, errorCode: toCopilotError(error).code });
      throw error;
    }
  }
}
