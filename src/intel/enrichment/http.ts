import type { z } from 'zod';
import { discardBody, headerRecord, readBodyText } from '../../http/body';
import { parseRetryAfterMs } from '../../llm/retry-policy';
import { ThreatIntelError, isThreatIntelError, safeIdentifier } from './provider-error';

/**
 * The one HTTP call each adapter makes, and the translation of its outcome into a ThreatIntelError. Shared so
 * that every provider treats statuses, Retry-After, redirects and oversized bodies the same way.
 */

export type FetchFunction = typeof fetch;

export interface JsonRequest {
  provider: string;
  url: string;
  headers: Record<string, string>;
  signal?: AbortSignal;
}

export type JsonOutcome = { kind: 'found'; body: unknown } | { kind: 'not-found' };

/** Full VirusTotal file reports run to a few hundred kilobytes; anything far beyond is not a lookup answer. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const RETRYABLE_SERVER_STATUSES = new Set([500, 502, 503, 504]);

export async function getJson(fetchFunction: FetchFunction, request: JsonRequest): Promise<JsonOutcome> {
  const { provider } = request;
  let response: Response;
  try {
    response = await fetchFunction(request.url, {
      method: 'GET',
      headers: { accept: 'application/json', ...request.headers },
      signal: request.signal,
      // A redirect would carry our API key header to wherever it points; no provider API redirects lookups.
      redirect: 'error',
    });
  } catch (error) {
    throw translateFetchFailure(provider, error, request.signal);
  }

  if (response.status === 404) {
    await discardBody(response);
    return { kind: 'not-found' };
  }
  if (!response.ok) throw await translateStatus(provider, response);

  const text = await readBody(provider, response, request.signal);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // JSON.parse throws only SyntaxError: the provider sent something that is not JSON.
    throw new ThreatIntelError(
      provider,
      'bad-response',
      `${provider} answered HTTP ${response.status} with invalid JSON`,
      {
        status: response.status,
      },
    );
  }
  return { kind: 'found', body };
}

/**
 * Validates a provider body with a minimal schema. The message lists where the shape differs, never the
 * values: a malformed answer becomes that provider's failure, not a crash.
 */
export function parseBody<Schema extends z.ZodTypeAny>(
  provider: string,
  schema: Schema,
  body: unknown,
): z.output<Schema> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data as z.output<Schema>;
  const where = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`)
    .join('; ');
  throw new ThreatIntelError(provider, 'bad-response', `${provider} answered with an unexpected shape (${where})`);
}

async function translateStatus(provider: string, response: Response): Promise<ThreatIntelError> {
  const status = response.status;
  const retryAfterMs = parseRetryAfterMs(headerRecord(response.headers));
  const code = await errorCode(response);
  const suffix = code === undefined ? '' : `, ${code}`;
  if (status === 401 || status === 403) {
    return new ThreatIntelError(provider, 'auth', `${provider} refused the credentials (HTTP ${status}${suffix})`, {
      status,
    });
  }
  if (status === 429) {
    return new ThreatIntelError(provider, 'throttled', `${provider} is throttling requests (HTTP 429${suffix})`, {
      status,
      retryAfterMs,
    });
  }
  if (status === 408) return new ThreatIntelError(provider, 'timeout', `${provider} timed out (HTTP 408)`, { status });
  if (status >= 500) {
    return new ThreatIntelError(provider, 'unavailable', `${provider} failed (HTTP ${status}${suffix})`, {
      status,
      retryAfterMs,
      retryable: RETRYABLE_SERVER_STATUSES.has(status),
    });
  }
  return new ThreatIntelError(provider, 'rejected', `${provider} rejected the lookup (HTTP ${status}${suffix})`, {
    status,
  });
}

/**
 * The provider's error code when its error body has one in a known place (VirusTotal and Graph:
 * `error.code`), checked to look like an identifier. The rest of the body is dropped unread.
 */
async function errorCode(response: Response): Promise<string | undefined> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    // The connection dropped while reading an error body: the status alone says what went wrong.
    return undefined;
  }
  if (text.length > 64 * 1024) return undefined;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown } } | null;
    return safeIdentifier(body?.error?.code);
  } catch {
    // An error body that is not JSON (an HTML gateway page) just has no code for us.
    return undefined;
  }
}

function translateFetchFailure(provider: string, error: unknown, signal: AbortSignal | undefined): unknown {
  // The caller aborted (time-out or shutdown): its reason says which, and is already translated.
  if (signal?.aborted) return isThreatIntelError(signal.reason) ? signal.reason : error;
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = safeIdentifier(cause?.code);
  return new ThreatIntelError(provider, 'unavailable', `could not reach ${provider}${code ? ` (${code})` : ''}`, {
    retryable: true,
  });
}

async function readBody(provider: string, response: Response, signal: AbortSignal | undefined): Promise<string> {
  const outcome = await readBodyText(response, MAX_BODY_BYTES);
  if (outcome.kind === 'text') return outcome.text;
  if (outcome.kind === 'too-large') {
    throw new ThreatIntelError(provider, 'bad-response', `${provider} sent an answer over ${MAX_BODY_BYTES} bytes`);
  }
  throw translateFetchFailure(provider, outcome.error, signal);
}
