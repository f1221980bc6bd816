import { CopilotError } from '../../src/errors';
import type { LlmClient, LlmProvider, StructuredRequest, StructuredResponse, TokenUsage } from '../../src/llm/port';

/**
 * An in-memory LlmClient for capability tests: answers from a scripted queue, records every request, and
 * behaves like the real adapter at the port's edge (values are validated against the request's schema;
 * failures are CopilotErrors with `llm_*` codes). It does not depend on jest.
 */

export type FakeLlmStep =
  | { kind: 'value'; value: unknown; model?: string; usage?: TokenUsage; attempts?: number }
  | { kind: 'error'; error: unknown }
  /** Computes the answer from the request, e.g. to echo something the prompt contained. */
  | { kind: 'compute'; answer: (request: StructuredRequest<unknown>) => unknown };

export interface FakeLlmOptions {
  provider?: LlmProvider;
  model?: string;
  /** Usage reported when a step gives none. */
  usage?: TokenUsage;
}

export const defaultFakeUsage: TokenUsage = { promptTokens: 900, completionTokens: 300, totalTokens: 1200 };

/** A model explanation of the demo alert da-1004 (LSASS memory read on a server) that passes the grounding checks. */
export const da1004Explanation = {
  headline: 'Someone tried to read passwords from memory on a server.',
  whatHappened: 'A program opened the memory of the Windows sign-in process on a server.',
  whyItMatters: 'Stolen passwords let an attacker sign in as real employees.',
  immediateRisk: { level: 'critical', rationale: 'Credential theft on a server, not resolved.' },
  recommendedActions: ['Isolate the server.', 'Reset the passwords of accounts that signed in to it.'],
  techniques: [{ id: 'T1003.001', name: 'LSASS Memory', tactics: ['Credential Access'] }],
  keyEntities: [],
};

export class FakeLlmClient implements LlmClient {
  readonly provider: LlmProvider;
  readonly model: string;
  /** Every request, in order, as the capability made it. */
  readonly calls: Array<StructuredRequest<unknown>> = [];
  private readonly steps: FakeLlmStep[] = [];
  private readonly usage: TokenUsage;

  constructor(options: FakeLlmOptions = {}) {
    this.provider = options.provider ?? 'openai';
    this.model = options.model ?? 'fake-model';
    this.usage = options.usage ?? defaultFakeUsage;
  }

  /** Queues a structured answer; the model and usage default to the client's. */
  answer(value: unknown, extra: { model?: string; usage?: TokenUsage; attempts?: number } = {}): this {
    this.steps.push({ kind: 'value', value, ...extra });
    return this;
  }

  /** Queues an answer computed from the request. */
  answerWith(answer: (request: StructuredRequest<unknown>) => unknown): this {
    this.steps.push({ kind: 'compute', answer });
    return this;
  }

  /** Queues a failure; pass a CopilotError for what the real adapter throws, anything else for a bug. */
  fail(error: unknown): this {
    this.steps.push({ kind: 'error', error });
    return this;
  }

  /** Queues the error the adapter throws when the provider keeps answering 429. */
  rateLimited(retryAfterSeconds?: number): this {
    return this.fail(
      new CopilotError('llm_rate_limited', 'fake LLM is rate limiting (HTTP 429)', {
        retryable: true,
        retryAfterSeconds,
      }),
    );
  }

  /** Queues the error the adapter throws when the provider is down. */
  unavailable(): this {
    return this.fail(new CopilotError('llm_unavailable', 'fake LLM failed with HTTP 500', { retryable: true }));
  }

  /** Steps still queued. */
  pending(): number {
    return this.steps.length;
  }

  async generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResponse<T>> {
    this.calls.push(request as StructuredRequest<unknown>);
    const step = this.steps.shift();
    if (step === undefined) {
      // A plain Error, not an llm_* one: an unscripted call is a mistake in the test, and a capability
      // must not quietly turn it into an offline answer.
      throw new Error(`FakeLlmClient: no scripted answer left for ${request.schemaName}`);
    }
    if (step.kind === 'error') throw step.error;
    const raw = step.kind === 'compute' ? step.answer(request as StructuredRequest<unknown>) : step.value;
    const validation = request.schema.safeParse(raw);
    if (!validation.success) {
      throw new CopilotError(
        'llm_invalid_output',
        `fake LLM output for ${request.schemaName} does not match the schema`,
      );
    }
    return {
      value: validation.data,
      model: (step.kind === 'value' ? step.model : undefined) ?? this.model,
      usage: (step.kind === 'value' ? step.usage : undefined) ?? this.usage,
      attempts: (step.kind === 'value' ? step.attempts : undefined) ?? 1,
    };
  }
}
