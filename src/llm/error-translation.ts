import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { CopilotError, isCopilotError } from '../errors';
import type { LlmProvider } from './port';
import { parseRetryAfterMs, toRetryAfterSeconds } from './retry-policy';

/**
 * What went wrong with one HTTP attempt, independent of the SDK's class hierarchy. The adapter decides
 * retries from this, and translates the last one into a CopilotError exactly once.
 */
export type LlmFailure =
  | { kind: 'rate-limited'; status: 429; retryAfterMs?: number; quotaExhausted: boolean }
  | { kind: 'server-error'; status: number; retryAfterMs?: number }
  | { kind: 'connection' }
  | { kind: 'timeout'; status?: number }
  | { kind: 'auth'; status: number }
  | { kind: 'response-format-unsupported'; status: number }
  | { kind: 'rejected'; status: number; detail: string }
  | { kind: 'aborted' }
  | { kind: 'copilot'; error: CopilotError }
  | { kind: 'unknown' };

/** 5xx statuses that are usually transient; 501 or 505 will not get better by asking again. */
const transientServerStatuses = new Set([500, 502, 503, 504]);

/**
 * Server-chosen identifiers (error code, type, param) are safe to put in a message only when they look like
 * identifiers: a free-text field could echo request content back to us.
 */
function safeIdentifier(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) ? value : undefined;
}

function describeRejection(error: APIError): string {
  const parts = [`HTTP ${error.status}`];
  const code = safeIdentifier(error.code);
  const type = safeIdentifier(error.type);
  const param = safeIdentifier(error.param);
  if (code) parts.push(`code ${code}`);
  if (type && type !== code) parts.push(`type ${type}`);
  if (param) parts.push(`param ${param}`);
  return parts.join(', ');
}

/**
 * A 400 about the response format means the server cannot do json_schema structured output (older vLLM,
 * llama.cpp, Ollama builds, old Azure API versions); we can still get JSON from it with json_object mode.
 */
function mentionsResponseFormat(error: APIError): boolean {
  if (error.param === 'response_format') return true;
  const body = typeof error.error === 'object' && error.error !== null ? JSON.stringify(error.error) : '';
  return /response_format|json_schema/i.test(`${error.message} ${body}`);
}

export function classifyLlmFailure(error: unknown, now: number = Date.now()): LlmFailure {
  if (isCopilotError(error)) return { kind: 'copilot', error };
  if (error instanceof APIUserAbortError) return { kind: 'aborted' };
  if (error instanceof APIConnectionTimeoutError) return { kind: 'timeout' };
  if (error instanceof APIConnectionError) return { kind: 'connection' };
  if (!(error instanceof APIError) || error.status === undefined) return { kind: 'unknown' };

  const status = error.status;
  const retryAfterMs = parseRetryAfterMs(error.headers, now);
  if (status === 401 || status === 403) return { kind: 'auth', status };
  if (status === 429) {
    // OpenAI answers 429 "insufficient_quota" when billing is exhausted: waiting will not help.
    return { kind: 'rate-limited', status, retryAfterMs, quotaExhausted: error.code === 'insufficient_quota' };
  }
  if (status === 408) return { kind: 'timeout', status };
  if (status >= 500) return { kind: 'server-error', status, retryAfterMs };
  if (status === 400 && mentionsResponseFormat(error)) return { kind: 'response-format-unsupported', status };
  return { kind: 'rejected', status, detail: describeRejection(error) };
}

/** Failures we retry ourselves (with back-off); everything else is final for this request. */
export function isTransientFailure(failure: LlmFailure): boolean {
  switch (failure.kind) {
    case 'rate-limited':
      return !failure.quotaExhausted;
    case 'server-error':
      return transientServerStatuses.has(failure.status);
    case 'connection':
      return true;
    default:
      return false;
  }
}

export interface TranslationContext {
  provider: LlmProvider;
  attempts: number;
  timeoutMs: number;
  cause?: unknown;
}

function attemptsText(attempts: number): string {
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}

/**
 * The one place where an LLM failure becomes a CopilotError. Messages carry the provider, status and
 * attempt count: never a prompt, an output, a server message or a key. The SDK's HTTP errors are not kept
 * as `cause` because their server message can echo request content (or a masked key, for a 401), and the
 * error handler logs causes; connection and unexpected errors keep theirs, which is what debugging needs.
 */
export function translateLlmFailure(failure: LlmFailure, context: TranslationContext): CopilotError {
  const { provider, attempts } = context;
  const cause = failure.kind === 'connection' || failure.kind === 'unknown' ? context.cause : undefined;
  const after = attemptsText(attempts);
  switch (failure.kind) {
    case 'copilot':
      return failure.error;
    case 'auth':
      return new CopilotError(
        'llm_auth_failed',
        `LLM provider ${provider} rejected the credentials (HTTP ${failure.status})`,
        { cause },
      );
    case 'rate-limited':
      if (failure.quotaExhausted) {
        return new CopilotError('llm_rate_limited', `LLM provider ${provider} quota is exhausted (HTTP 429)`, {
          cause,
          retryable: false,
        });
      }
      return new CopilotError(
        'llm_rate_limited',
        `LLM provider ${provider} is rate limiting (HTTP 429) after ${after}`,
        {
          cause,
          retryable: true,
          retryAfterSeconds: toRetryAfterSeconds(failure.retryAfterMs),
        },
      );
    case 'server-error':
      return new CopilotError(
        'llm_unavailable',
        `LLM provider ${provider} failed with HTTP ${failure.status} after ${after}`,
        { cause, retryable: true, retryAfterSeconds: toRetryAfterSeconds(failure.retryAfterMs) },
      );
    case 'connection':
      return new CopilotError('llm_unavailable', `Could not connect to LLM provider ${provider} after ${after}`, {
        cause,
        retryable: true,
      });
    case 'timeout':
      return new CopilotError(
        'llm_timeout',
        failure.status === undefined
          ? `LLM provider ${provider} did not answer within ${context.timeoutMs} ms`
          : `LLM provider ${provider} timed out the request (HTTP ${failure.status})`,
        { cause, retryable: true },
      );
    case 'aborted':
      return new CopilotError('llm_timeout', `LLM request to ${provider} was cancelled by the caller`, { cause });
    case 'response-format-unsupported':
      return new CopilotError(
        'llm_unavailable',
        `LLM provider ${provider} does not support structured output (HTTP ${failure.status}, response_format)`,
        { cause },
      );
    case 'rejected':
      return new CopilotError('llm_unavailable', `LLM provider ${provider} rejected the request (${failure.detail})`, {
        cause,
      });
    case 'unknown':
      return new CopilotError('internal', `LLM request to ${provider} failed unexpectedly`, { cause });
  }
}
