/**
 * Typed errors. Vendor errors are translated into these once, at the port's adapter; the final
 * error handler at the edge turns any of them into an error card and a log line with a correlation id.
 * `userMessage` is safe to show in Teams: it never carries a stack, a prompt or a secret.
 */
export type ErrorCode =
  | 'bad_input'
  | 'forbidden'
  | 'not_found'
  | 'unsupported_format'
  | 'config_invalid'
  | 'llm_unavailable'
  | 'llm_rate_limited'
  | 'llm_invalid_output'
  | 'llm_auth_failed'
  | 'llm_timeout'
  | 'source_unavailable'
  | 'source_auth_failed'
  | 'source_throttled'
  | 'source_invalid_response'
  | 'source_conflict'
  | 'store_conflict'
  | 'store_failure'
  | 'internal';

export interface CopilotErrorOptions {
  retryable?: boolean;
  userMessage?: string;
  cause?: unknown;
  /** Seconds the caller should wait before retrying, when the far side said so. */
  retryAfterSeconds?: number;
}

const defaultUserMessages: Record<ErrorCode, string> = {
  bad_input: 'I could not understand that input.',
  forbidden: 'You do not have permission to do that.',
  not_found: 'I could not find that.',
  unsupported_format: 'That format is not supported.',
  config_invalid: 'The bot is not configured correctly.',
  llm_unavailable: 'The language model is not reachable right now.',
  llm_rate_limited: 'The language model is busy right now.',
  llm_invalid_output: 'The language model returned an answer I could not use.',
  llm_auth_failed: 'The language model rejected the credentials.',
  llm_timeout: 'The language model took too long to answer.',
  source_unavailable: 'The security data source is not reachable right now.',
  source_auth_failed: 'The security data source rejected the credentials.',
  source_throttled: 'The security data source is throttling requests.',
  source_invalid_response: 'The security data source returned an answer I could not read.',
  source_conflict:
    'Someone else changed this in the security data source at the same time. Please reload and try again.',
  store_conflict: 'Someone else changed this at the same time. Please try again.',
  store_failure: 'I could not save or load state.',
  internal: 'Something went wrong on my side.',
};

export class CopilotError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly userMessage: string;
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options: CopilotErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CopilotError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.userMessage = options.userMessage ?? defaultUserMessages[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isCopilotError(error: unknown): error is CopilotError {
  return error instanceof CopilotError;
}

/** Any thrown value as a CopilotError; unknown errors become `internal` with a generic user message. */
export function toCopilotError(error: unknown): CopilotError {
  if (isCopilotError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CopilotError('internal', message, { cause: error });
}
