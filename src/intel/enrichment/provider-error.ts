import { CopilotError, type ErrorCode } from '../../errors';
import type { ProviderFailureKind } from './types';

/**
 * A threat-intelligence lookup that failed, translated once at the adapter (auth failure vs throttled vs a
 * response we could not read). The message names the provider and the HTTP status, never a header, an API
 * key or a response body, so it is safe in logs and on cards.
 */
export class ThreatIntelError extends CopilotError {
  readonly provider: string;
  readonly kind: ProviderFailureKind;
  readonly status?: number;
  /** How long the provider asked us to wait (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(
    provider: string,
    kind: ProviderFailureKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; retryable?: boolean } = {},
  ) {
    super(codeFor(kind), message, {
      retryable: options.retryable ?? defaultRetryable(kind),
      userMessage: userMessageFor(provider, kind),
      retryAfterSeconds: options.retryAfterMs === undefined ? undefined : Math.ceil(options.retryAfterMs / 1000),
    });
    this.name = 'ThreatIntelError';
    this.provider = provider;
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isThreatIntelError(error: unknown): error is ThreatIntelError {
  return error instanceof ThreatIntelError;
}

function codeFor(kind: ProviderFailureKind): ErrorCode {
  switch (kind) {
    case 'auth':
      return 'source_auth_failed';
    case 'throttled':
      return 'source_throttled';
    default:
      return 'source_unavailable';
  }
}

function defaultRetryable(kind: ProviderFailureKind): boolean {
  return kind === 'throttled' || kind === 'timeout' || kind === 'unavailable';
}

function userMessageFor(provider: string, kind: ProviderFailureKind): string {
  switch (kind) {
    case 'auth':
      return `${provider} rejected the credentials (check the API key or permissions).`;
    case 'throttled':
      return `${provider} is rate-limiting lookups right now.`;
    case 'timeout':
      return `${provider} took too long to answer.`;
    case 'unavailable':
      return `${provider} is not reachable right now.`;
    case 'bad-response':
      return `${provider} returned an answer I could not read.`;
    case 'rejected':
      return `${provider} refused the lookup.`;
  }
}

/**
 * Provider-chosen identifiers (an error code such as "QuotaExceededError") may go into a message only when
 * they look like identifiers: a free-text field could echo request content, including headers, back to us.
 */
export function safeIdentifier(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z][\w.-]{0,63}$/.test(value) ? value : undefined;
}
