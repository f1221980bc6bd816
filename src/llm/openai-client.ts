import type OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { zodResponseFormat } from 'openai/helpers/zod';
import { CopilotError } from '../errors';
import type { LlmClient, LlmMessage, LlmProvider, StructuredRequest, StructuredResponse, TokenUsage } from './port';
import type { LlmFailure } from './error-translation';
import { classifyLlmFailure, isTransientFailure, translateLlmFailure } from './error-translation';
import type { LlmLogger, OpenAiClientOptions } from './openai-sdk';
import { configuredModel, createOpenAiSdk } from './openai-sdk';
import type { RetryPolicy } from './retry-policy';
import { decideRetry, defaultRetryPolicy, sleepUnlessAborted } from './retry-policy';
import { buildRepairMessages, readStructuredOutput, withJsonSchemaInstructions } from './structured-output';

export type { LlmLogger, OpenAiClientOptions } from './openai-sdk';

type JsonSchemaResponseFormat = ReturnType<typeof zodResponseFormat>;

/** What one generateStructured call has spent so far, across HTTP attempts and re-asks. */
interface CallTally {
  attempts: number;
  usage: TokenUsage;
  model: string;
}

type AttemptOutcome = { ok: true; completion: ChatCompletion } | { ok: false; failure: LlmFailure; cause: unknown };

interface Answer {
  content: string | null | undefined;
}

const silentLogger: LlmLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

function toSdkMessages(messages: readonly LlmMessage[]): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content };
      case 'user':
        return { role: 'user', content: message.content };
      case 'assistant':
        return { role: 'assistant', content: message.content };
    }
  });
}

function statusOf(failure: LlmFailure): number | undefined {
  return 'status' in failure ? failure.status : undefined;
}

/**
 * The LLM port over the official openai SDK, for OpenAI, Azure OpenAI and OpenAI-compatible servers.
 * Retries, time-outs and error translation are ours, not the SDK's, so they are explicit and tested.
 * Logs carry status, attempt, wait, model and token counts only: never prompts, outputs or keys.
 */
export class OpenAiLlmClient implements LlmClient {
  readonly provider: LlmProvider;
  readonly model: string;
  private readonly sdk: OpenAI;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly policy: RetryPolicy;
  private readonly logger: LlmLogger;
  private readonly sleep: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  /** Set once the server refuses json_schema; later requests of this client go straight to json_object. */
  private jsonSchemaUnsupported = false;

  constructor(options: OpenAiClientOptions) {
    this.provider = options.provider;
    this.model = configuredModel(options);
    this.sdk = createOpenAiSdk(options);
    this.timeoutMs = options.timeoutMs;
    this.maxRetries = Math.max(0, Math.floor(options.maxRetries));
    this.policy = {
      ...defaultRetryPolicy,
      ...(options.retryBaseDelayMs === undefined ? {} : { baseDelayMs: options.retryBaseDelayMs }),
      ...(options.maxRetryWaitMs === undefined ? {} : { maxWaitMs: options.maxRetryWaitMs }),
    };
    this.logger = options.logger ?? silentLogger;
    this.sleep = options.sleep ?? sleepUnlessAborted;
    this.random = options.random ?? Math.random;
  }

  async generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResponse<T>> {
    const startedAt = Date.now();
    const tally: CallTally = {
      attempts: 0,
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      model: this.model,
    };
    const responseFormat = zodResponseFormat(request.schema, request.schemaName);

    const first = await this.ask(request, request.messages, responseFormat, tally);
    let reading = readStructuredOutput(first.content, request.schema);
    if (!reading.ok) {
      this.logger.warn(
        { provider: this.provider, model: tally.model, attempt: tally.attempts, reason: reading.reason },
        'LLM output unusable, asking again',
      );
      const conversation = [...request.messages, ...buildRepairMessages(first.content, reading.problem)];
      const second = await this.ask(request, conversation, responseFormat, tally);
      reading = readStructuredOutput(second.content, request.schema);
      if (!reading.ok) {
        this.logger.warn(
          { provider: this.provider, model: tally.model, attempts: tally.attempts, reason: reading.reason },
          'LLM output unusable after a re-ask',
        );
        throw new CopilotError(
          'llm_invalid_output',
          `LLM output for ${request.schemaName} was unusable twice (${reading.reason}) after ${tally.attempts} attempts`,
        );
      }
    }

    this.logger.info(
      {
        provider: this.provider,
        model: tally.model,
        attempts: tally.attempts,
        ...tally.usage,
        durationMs: Date.now() - startedAt,
      },
      'LLM structured output ready',
    );
    return { value: reading.value, model: tally.model, usage: tally.usage, attempts: tally.attempts };
  }

  /** One question to the model, retried on transient failures; returns the raw answer text. */
  private async ask<T>(
    request: StructuredRequest<T>,
    messages: readonly LlmMessage[],
    responseFormat: JsonSchemaResponseFormat,
    tally: CallTally,
  ): Promise<Answer> {
    let retryIndex = 0;
    for (;;) {
      const usingJsonObject = this.jsonSchemaUnsupported;
      const body = this.buildBody(request, messages, responseFormat, usingJsonObject);
      tally.attempts += 1;
      const outcome = await this.attempt(body, request.signal);

      if (outcome.ok) {
        this.record(outcome.completion, tally);
        const choice = outcome.completion.choices[0];
        return { content: choice?.message?.content };
      }

      const { failure, cause } = outcome;
      const status = statusOf(failure);
      if (failure.kind === 'response-format-unsupported' && !usingJsonObject) {
        // Not a transient failure, so it does not use up the retry budget: the next request is different.
        this.jsonSchemaUnsupported = true;
        this.logger.warn(
          { provider: this.provider, status, attempt: tally.attempts },
          'LLM server does not support json_schema output, falling back to json_object',
        );
        continue;
      }
      const context = { provider: this.provider, attempts: tally.attempts, timeoutMs: this.timeoutMs, cause };
      if (!isTransientFailure(failure)) {
        this.logger.warn(
          { provider: this.provider, status, attempt: tally.attempts, kind: failure.kind },
          'LLM request failed',
        );
        throw translateLlmFailure(failure, context);
      }

      const decision = decideRetry({
        retryIndex,
        maxRetries: this.maxRetries,
        retryAfterMs: 'retryAfterMs' in failure ? failure.retryAfterMs : undefined,
        policy: this.policy,
        random: this.random,
      });
      if (decision.action === 'give-up') {
        this.logger.warn(
          { provider: this.provider, status, attempt: tally.attempts, retryAfterMs: decision.retryAfterMs },
          'LLM request failed, giving up',
        );
        throw translateLlmFailure(failure, context);
      }
      this.logger.warn(
        { provider: this.provider, status, attempt: tally.attempts, waitMs: decision.waitMs },
        'LLM request failed, retrying',
      );
      await this.waitBeforeRetry(decision.waitMs, request.signal, tally);
      retryIndex += 1;
    }
  }

  private buildBody<T>(
    request: StructuredRequest<T>,
    messages: readonly LlmMessage[],
    responseFormat: JsonSchemaResponseFormat,
    usingJsonObject: boolean,
  ): ChatCompletionCreateParamsNonStreaming {
    const jsonSchema = responseFormat.json_schema.schema;
    const body: ChatCompletionCreateParamsNonStreaming = {
      // For Azure this is the deployment; the SDK routes by deployment and the service ignores the field.
      model: this.model,
      messages: toSdkMessages(
        usingJsonObject ? withJsonSchemaInstructions(messages, request.schemaName, jsonSchema) : messages,
      ),
      response_format: usingJsonObject ? { type: 'json_object' } : responseFormat,
    };
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.maxOutputTokens !== undefined) {
      // OpenAI's reasoning models accept only max_completion_tokens; Azure API versions and local servers
      // have long accepted max_tokens, and not all of them know the newer name.
      if (this.provider === 'openai') body.max_completion_tokens = request.maxOutputTokens;
      else body.max_tokens = request.maxOutputTokens;
    }
    return body;
  }

  /** One HTTP request under its own time-out, combined with the caller's signal. */
  private async attempt(
    body: ChatCompletionCreateParamsNonStreaming,
    callerSignal?: AbortSignal,
  ): Promise<AttemptOutcome> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
    try {
      const completion = await this.sdk.chat.completions.create(body, { signal, maxRetries: 0 });
      return { ok: true, completion };
    } catch (error) {
      // Which signal fired decides the meaning: the SDK reports both as a user abort (or a bare AbortError
      // when the body was being read).
      if (callerSignal?.aborted) return { ok: false, failure: { kind: 'aborted' }, cause: error };
      if (timeout.signal.aborted) return { ok: false, failure: { kind: 'timeout' }, cause: error };
      return { ok: false, failure: classifyLlmFailure(error), cause: error };
    } finally {
      clearTimeout(timer);
    }
  }

  private async waitBeforeRetry(
    milliseconds: number,
    callerSignal: AbortSignal | undefined,
    tally: CallTally,
  ): Promise<void> {
    const cancelled = (cause: unknown): CopilotError =>
      translateLlmFailure(
        { kind: 'aborted' },
        { provider: this.provider, attempts: tally.attempts, timeoutMs: this.timeoutMs, cause },
      );
    try {
      await this.sleep(milliseconds, callerSignal);
    } catch (error) {
      if (callerSignal?.aborted) throw cancelled(error);
      throw error;
    }
    // An injected sleep may ignore the signal; a cancelled caller must not get another request.
    if (callerSignal?.aborted) throw cancelled(callerSignal.reason);
  }

  private record(completion: ChatCompletion, tally: CallTally): void {
    const usage = completion.usage;
    if (usage) {
      tally.usage.promptTokens += usage.prompt_tokens ?? 0;
      tally.usage.completionTokens += usage.completion_tokens ?? 0;
      tally.usage.totalTokens += usage.total_tokens ?? (usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0);
    }
    if (typeof completion.model === 'string' && completion.model !== '') tally.model = completion.model;
    this.logger.debug(
      {
        provider: this.provider,
        model: tally.model,
        attempt: tally.attempts,
        finishReason: completion.choices[0]?.finish_reason,
        promptTokens: usage?.prompt_tokens,
        completionTokens: usage?.completion_tokens,
      },
      'LLM attempt answered',
    );
  }
}

/** The LLM port for OpenAI, Azure OpenAI or an OpenAI-compatible server, from the LLM configuration. */
export function createLlmClient(options: OpenAiClientOptions): LlmClient {
  return new OpenAiLlmClient(options);
}
