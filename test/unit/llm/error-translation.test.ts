import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { CopilotError } from '../../../src/errors';
import type { LlmFailure } from '../../../src/llm/error-translation';
import { classifyLlmFailure, isTransientFailure, translateLlmFailure } from '../../../src/llm/error-translation';

function httpError(
  status: number,
  error: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): APIError {
  return APIError.generate(status, { error: { message: 'server says something', ...error } }, undefined, headers);
}

const context = { provider: 'openai' as const, attempts: 3, timeoutMs: 30_000 };

describe('classifyLlmFailure', () => {
  it('classifies 401 and 403 as auth', () => {
    expect(classifyLlmFailure(httpError(401))).toEqual({ kind: 'auth', status: 401 });
    expect(classifyLlmFailure(httpError(403))).toEqual({ kind: 'auth', status: 403 });
  });

  it('classifies 429 with its Retry-After, and spots an exhausted quota', () => {
    expect(classifyLlmFailure(httpError(429, {}, { 'retry-after': '12' }))).toEqual({
      kind: 'rate-limited',
      status: 429,
      retryAfterMs: 12_000,
      quotaExhausted: false,
    });
    expect(classifyLlmFailure(httpError(429, { code: 'insufficient_quota' }))).toMatchObject({ quotaExhausted: true });
  });

  it('classifies 5xx as server errors with their Retry-After', () => {
    expect(classifyLlmFailure(httpError(503, {}, { 'retry-after-ms': '800' }))).toEqual({
      kind: 'server-error',
      status: 503,
      retryAfterMs: 800,
    });
  });

  it('recognises a 400 about response_format, by param or by message', () => {
    expect(classifyLlmFailure(httpError(400, { param: 'response_format' }))).toEqual({
      kind: 'response-format-unsupported',
      status: 400,
    });
    expect(classifyLlmFailure(httpError(400, { message: 'json_schema is not supported' }))).toMatchObject({
      kind: 'response-format-unsupported',
    });
    expect(classifyLlmFailure(APIError.generate(400, undefined, 'Unsupported response_format type', {}))).toMatchObject(
      { kind: 'response-format-unsupported' },
    );
  });

  it('classifies another 4xx as rejected, describing only identifiers', () => {
    const failure = classifyLlmFailure(
      httpError(400, {
        message: 'prompt echo: secret incident text',
        code: 'context_length_exceeded',
        param: 'messages',
      }),
    );
    expect(failure).toEqual({
      kind: 'rejected',
      status: 400,
      detail: 'HTTP 400, code context_length_exceeded, param messages',
    });
  });

  it('drops server identifiers that are not identifier-shaped', () => {
    const failure = classifyLlmFailure(httpError(422, { code: 'has spaces and {json}' }));
    expect(failure).toEqual({ kind: 'rejected', status: 422, detail: 'HTTP 422' });
  });

  it('classifies 408 as a time-out', () => {
    expect(classifyLlmFailure(httpError(408))).toEqual({ kind: 'timeout', status: 408 });
  });

  it('classifies the SDK connection, time-out and abort errors', () => {
    expect(classifyLlmFailure(new APIConnectionError({ cause: new Error('ECONNREFUSED') }))).toEqual({
      kind: 'connection',
    });
    expect(classifyLlmFailure(new APIConnectionTimeoutError())).toEqual({ kind: 'timeout' });
    expect(classifyLlmFailure(new APIUserAbortError())).toEqual({ kind: 'aborted' });
  });

  it('passes a CopilotError through and calls anything else unknown', () => {
    const copilotError = new CopilotError('llm_auth_failed', 'no token');
    expect(classifyLlmFailure(copilotError)).toEqual({ kind: 'copilot', error: copilotError });
    expect(classifyLlmFailure(new TypeError('bug'))).toEqual({ kind: 'unknown' });
  });
});

describe('isTransientFailure', () => {
  it.each<[LlmFailure, boolean]>([
    [{ kind: 'rate-limited', status: 429, quotaExhausted: false }, true],
    [{ kind: 'rate-limited', status: 429, quotaExhausted: true }, false],
    [{ kind: 'server-error', status: 500 }, true],
    [{ kind: 'server-error', status: 502 }, true],
    [{ kind: 'server-error', status: 503 }, true],
    [{ kind: 'server-error', status: 504 }, true],
    [{ kind: 'server-error', status: 501 }, false],
    [{ kind: 'connection' }, true],
    [{ kind: 'timeout' }, false],
    [{ kind: 'auth', status: 401 }, false],
    [{ kind: 'rejected', status: 400, detail: 'HTTP 400' }, false],
    [{ kind: 'aborted' }, false],
  ])('%j → %p', (failure, expected) => {
    expect(isTransientFailure(failure)).toBe(expected);
  });
});

describe('translateLlmFailure', () => {
  it('auth → llm_auth_failed, not retryable, without the SDK error as cause', () => {
    const error = translateLlmFailure({ kind: 'auth', status: 401 }, { ...context, cause: httpError(401) });
    expect(error).toMatchObject({ code: 'llm_auth_failed', retryable: false });
    expect(error.message).toBe('LLM provider openai rejected the credentials (HTTP 401)');
    expect(error.cause).toBeUndefined();
  });

  it('429 → llm_rate_limited, retryable, with retryAfterSeconds rounded up', () => {
    const error = translateLlmFailure(
      { kind: 'rate-limited', status: 429, retryAfterMs: 1_500, quotaExhausted: false },
      context,
    );
    expect(error).toMatchObject({ code: 'llm_rate_limited', retryable: true, retryAfterSeconds: 2 });
    expect(error.message).toContain('after 3 attempts');
  });

  it('exhausted quota → llm_rate_limited, not retryable', () => {
    const error = translateLlmFailure({ kind: 'rate-limited', status: 429, quotaExhausted: true }, context);
    expect(error).toMatchObject({ code: 'llm_rate_limited', retryable: false, retryAfterSeconds: undefined });
  });

  it('5xx and connection → llm_unavailable, retryable', () => {
    expect(translateLlmFailure({ kind: 'server-error', status: 502 }, context)).toMatchObject({
      code: 'llm_unavailable',
      retryable: true,
      message: 'LLM provider openai failed with HTTP 502 after 3 attempts',
    });
    const cause = new APIConnectionError({ cause: new Error('ECONNRESET') });
    const connection = translateLlmFailure({ kind: 'connection' }, { ...context, attempts: 1, cause });
    expect(connection).toMatchObject({ code: 'llm_unavailable', retryable: true });
    expect(connection.message).toContain('after 1 attempt');
    expect(connection.cause).toBe(cause);
  });

  it('time-out → llm_timeout naming the limit', () => {
    expect(translateLlmFailure({ kind: 'timeout' }, context)).toMatchObject({
      code: 'llm_timeout',
      retryable: true,
      message: 'LLM provider openai did not answer within 30000 ms',
    });
  });

  it('caller abort → llm_timeout, not retryable', () => {
    expect(translateLlmFailure({ kind: 'aborted' }, context)).toMatchObject({ code: 'llm_timeout', retryable: false });
  });

  it('other 4xx → llm_unavailable, not retryable, with the status', () => {
    const error = translateLlmFailure(
      { kind: 'rejected', status: 404, detail: 'HTTP 404, code model_not_found' },
      context,
    );
    expect(error).toMatchObject({ code: 'llm_unavailable', retryable: false });
    expect(error.message).toBe('LLM provider openai rejected the request (HTTP 404, code model_not_found)');
  });

  it('a CopilotError stays as it is; unknown errors become internal with their cause', () => {
    const original = new CopilotError('llm_auth_failed', 'no token');
    expect(translateLlmFailure({ kind: 'copilot', error: original }, context)).toBe(original);
    const bug = new TypeError('bug');
    expect(translateLlmFailure({ kind: 'unknown' }, { ...context, cause: bug })).toMatchObject({
      code: 'internal',
      cause: bug,
    });
  });

  it('every translation is a CopilotError with a user message free of internals', () => {
    const failures: LlmFailure[] = [
      { kind: 'auth', status: 403 },
      { kind: 'server-error', status: 500 },
      { kind: 'response-format-unsupported', status: 400 },
      { kind: 'rejected', status: 400, detail: 'HTTP 400' },
    ];
    for (const failure of failures) {
      const error = translateLlmFailure(failure, context);
      expect(error).toBeInstanceOf(CopilotError);
      expect(error.userMessage).not.toMatch(/HTTP|openai/);
    }
  });
});
