import type { LlmClient, LlmProvider, StructuredRequest, StructuredResponse } from './port';

/**
 * The base of the LLM client decorators (redacting, pseudonymising, limited, circuit-breaking, metered, traced):
 * each wraps `inner`, reports the same provider and model, and adds one concern in `generateStructured`.
 */
export abstract class LlmClientDecorator implements LlmClient {
  readonly provider: LlmProvider;
  readonly model: string;

  protected constructor(protected readonly inner: LlmClient) {
    this.provider = inner.provider;
    this.model = inner.model;
  }

  abstract generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResponse<T>>;
}
