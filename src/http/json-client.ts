import type { TokenCredential } from '@azure/identity';
import type { z } from 'zod';
import { isCopilotError } from '../errors';
import { decideRetry, parseRetryAfterMs, sleepUnlessAborted, type RetryPolicy } from '../llm/retry-policy';
import type { Logger } from '../logger';
import { traceOutboundCall, type OutboundCallRecord } from '../telemetry';
import { BearerTokenSource } from './bearer-token';
import { discardBody, headerRecord, networkErrorCode, readBodyText } from './body';
import { CircuitBreaker, type CircuitSnapshot } from './circuit-breaker';
import { ConcurrencyLimit } from './concurrency';
import { SourceHttpError, isSourceHttpError, serviceErrorDetail, type ServiceErrorDetail } from './source-error';

/**
 * The defensive JSON client every security API adapter (Graph, Log Analytics, ARM) goes through: a bearer
 * token per API scope (re-acquired once after a 401), a time-out per attempt, retries with exponential
 * back-off and jitter for 429/503/504 honouring Retry-After within a total budget, a concurrency limit and a
 * circuit breaker per API, no redirects, a body size cap, and zod validation of the answer. Every failure comes
 * out as a SourceHttpError (a CopilotError) that carries no token, header or body.
 */

export type FetchFunction = typeof fetch;
export type Sleep = (milliseconds: number, signal?: AbortSignal) => Promise<void>;

export interface JsonClientOptions {
  /** The API's name in messages and logs, e.g. "Microsoft Graph". */
  api: string;
  baseUrl: string;
  credential: TokenCredential;
  /** The token scope, e.g. https://graph.microsoft.com/.default. */
  scope: string;
  fetch?: FetchFunction;
  /** Per attempt, including getting a token. */
  timeoutMs?: number;
  /** Retries after the first attempt (the one token refresh after a 401 is not counted). */
  maxRetries?: number;
  retryPolicy?: RetryPolicy;
  /** No retry starts once waiting for it would take the whole call past this. */
  totalBudgetMs?: number;
  maxConcurrency?: number;
  circuitBreaker?: { failureThreshold: number; coolDownMs: number };
  maxBodyBytes?: number;
  sleep?: Sleep;
  random?: () => number;
  clock?: () => number;
  logger?: Logger;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface JsonRequest<Schema extends z.ZodTypeAny> {
  /** What the call does, for messages and logs ("list alerts"); the URL is never logged (it can hold a UPN). */
  operation: string;
  method: HttpMethod;
  /** Relative to the base URL, or an absolute URL on the same origin (an `@odata.nextLink`). */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Extra headers that carry no secret (If-Match, Prefer). */
  headers?: Record<string, string>;
  schema: Schema;
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * Safe to send twice. Idempotent calls are also retried after time-outs and dropped connections; others only
   * after 429 and 503, where the service says it did not do the work. Default: true except for POST.
   */
  idempotent?: boolean;
}

export interface JsonClientHealth {
  api: string;
  circuit: CircuitSnapshot;
  active: number;
  waiting: number;
}

const defaults = {
  timeoutMs: 30_000,
  maxRetries: 3,
  retryPolicy: { baseDelayMs: 500, maxBackoffMs: 8_000, maxWaitMs: 30_000 } satisfies RetryPolicy,
  totalBudgetMs: 60_000,
  maxConcurrency: 4,
  circuitBreaker: { failureThreshold: 5, coolDownMs: 30_000 },
  /** Log Analytics answers up to 64 MB; a hunting card shows a few hundred rows, so far less is plenty. */
  maxBodyBytes: 16 * 1024 * 1024,
};

const ERROR_BODY_BYTES = 64 * 1024;
const RETRIED_STATUSES = new Set([429, 503, 504]);
/**
 * Refusals by an open circuit: worth trying again later (the analyst's card says so), but never within the
 * same call, which would hold a Teams turn for the whole cool-down.
 */
const refusedByCircuit = new WeakSet<SourceHttpError>();

type AttemptOutcome<T> = { kind: 'ok'; value: T; status: number } | { kind: 'not-found' };

export class JsonHttpClient {
  readonly api: string;
  private readonly baseUrl: URL;
  private readonly tokens: BearerTokenSource;
  private readonly breaker: CircuitBreaker;
  private readonly concurrency: ConcurrencyLimit;
  private readonly fetchFunction: FetchFunction;
  private readonly sleep: Sleep;
  private readonly clock: () => number;
  private readonly settings: typeof defaults;

  constructor(private readonly options: JsonClientOptions) {
    this.api = options.api;
    this.baseUrl = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.clock = options.clock ?? Date.now;
    this.tokens = new BearerTokenSource(options.credential, options.scope, options.api, this.clock);
    this.settings = {
      timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
      maxRetries: options.maxRetries ?? defaults.maxRetries,
      retryPolicy: options.retryPolicy ?? defaults.retryPolicy,
      totalBudgetMs: options.totalBudgetMs ?? defaults.totalBudgetMs,
      maxConcurrency: options.maxConcurrency ?? defaults.maxConcurrency,
      circuitBreaker: options.circuitBreaker ?? defaults.circuitBreaker,
      maxBodyBytes: options.maxBodyBytes ?? defaults.maxBodyBytes,
    };
    this.breaker = new CircuitBreaker({ ...this.settings.circuitBreaker, clock: this.clock });
    this.concurrency = new ConcurrencyLimit(this.settings.maxConcurrency);
    this.fetchFunction = options.fetch ?? fetch;
    this.sleep = options.sleep ?? sleepUnlessAborted;
  }

  health(): JsonClientHealth {
    return { api: this.api, circuit: this.breaker.snapshot(), ...this.concurrency.load };
  }

  /** The validated answer; a 404 is a `not_found` error. */
  async send<Schema extends z.ZodTypeAny>(request: JsonRequest<Schema>): Promise<z.output<Schema>> {
    const outcome = await this.execute(request);
    if (outcome.kind === 'ok') return outcome.value;
    throw new SourceHttpError(this.api, 'not_found', `${this.api} ${request.operation}: not found (HTTP 404)`, {
      status: 404,
    });
  }

  /** The validated answer, or undefined when the service answers 404. */
  async sendOrUndefined<Schema extends z.ZodTypeAny>(
    request: JsonRequest<Schema>,
  ): Promise<z.output<Schema> | undefined> {
    const outcome = await this.execute(request);
    return outcome.kind === 'ok' ? outcome.value : undefined;
  }

  /** One client span per call with tracing on (src/telemetry): method, host, path template, status, retries, circuit. */
  private async execute<Schema extends z.ZodTypeAny>(
    request: JsonRequest<Schema>,
  ): Promise<AttemptOutcome<z.output<Schema>>> {
    const url = this.resolveUrl(request);
    const call = { dependency: this.api, operation: request.operation, method: request.method, url };
    return traceOutboundCall(call, async (record) => {
      try {
        const outcome = await this.executeWithRetries(request, url, record);
        record.statusCode = outcome.kind === 'ok' ? outcome.status : 404;
        return outcome;
      } catch (error) {
        if (isSourceHttpError(error)) record.statusCode = error.status;
        throw error;
      } finally {
        record.circuitState = this.breaker.snapshot().state;
      }
    });
  }

  private async executeWithRetries<Schema extends z.ZodTypeAny>(
    request: JsonRequest<Schema>,
    url: URL,
    record: OutboundCallRecord,
  ): Promise<AttemptOutcome<z.output<Schema>>> {
    const started = this.clock();
    const idempotent = request.idempotent ?? request.method !== 'POST';
    let forceRefresh = false;
    let refreshedAfter401 = false;
    for (let retryIndex = 0, attempt = 1; ; attempt += 1) {
      try {
        const outcome = await this.concurrency.run(() => this.attempt(request, url, forceRefresh), request.signal);
        this.options.logger?.debug({ api: this.api, operation: request.operation, attempt }, 'source call succeeded');
        return outcome;
      } catch (error) {
        const failure = this.asSourceError(request, error);
        this.options.logger?.debug(
          { api: this.api, operation: request.operation, attempt, status: failure.status, code: failure.code },
          'source call failed',
        );
        if (request.signal?.aborted) throw failure;
        if (failure.status === 401 && !refreshedAfter401) {
          // The cached token may have expired or been revoked early: one fresh token, one more try.
          refreshedAfter401 = true;
          forceRefresh = true;
          record.resendCount += 1;
          continue;
        }
        forceRefresh = false;
        if (!this.mayRetry(failure, idempotent)) throw failure;
        const decision = decideRetry({
          retryIndex,
          maxRetries: this.settings.maxRetries,
          retryAfterMs: failure.retryAfterMs,
          policy: this.settings.retryPolicy,
          random: this.options.random,
        });
        if (decision.action === 'give-up') throw failure;
        if (this.clock() - started + decision.waitMs > this.settings.totalBudgetMs) throw failure;
        this.options.logger?.warn(
          { api: this.api, operation: request.operation, status: failure.status, waitMs: decision.waitMs },
          'source call will be retried',
        );
        retryIndex += 1;
        try {
          await this.sleep(decision.waitMs, request.signal);
        } catch (sleepError) {
          // Cancelled while waiting to retry: reported like any other cancellation.
          throw this.asSourceError(request, sleepError);
        }
        record.resendCount += 1;
      }
    }
  }

  private mayRetry(failure: SourceHttpError, idempotent: boolean): boolean {
    if (!failure.retryable || refusedByCircuit.has(failure)) return false;
    if (idempotent) return true;
    return failure.status === 429 || failure.status === 503;
  }

  private async attempt<Schema extends z.ZodTypeAny>(
    request: JsonRequest<Schema>,
    url: URL,
    forceRefresh: boolean,
  ): Promise<AttemptOutcome<z.output<Schema>>> {
    const gate = this.breaker.tryAcquire();
    if (!gate.allowed) {
      const refused = new SourceHttpError(
        this.api,
        'source_unavailable',
        `${this.api} ${request.operation}: circuit open`,
        {
          retryAfterMs: gate.retryAfterMs,
          retryable: true,
          userMessage: `${this.api} failed several times in a row; I am giving it a short break before trying again.`,
        },
      );
      refusedByCircuit.add(refused);
      throw refused;
    }
    const timeoutMs = request.timeoutMs ?? this.settings.timeoutMs;
    const controller = new AbortController();
    const timeout = new SourceHttpError(
      this.api,
      'source_unavailable',
      `${this.api} ${request.operation}: no answer within ${timeoutMs} ms`,
      { retryable: true, outage: true, userMessage: `${this.api} took too long to answer.` },
    );
    const timer = setTimeout(() => controller.abort(timeout), timeoutMs);
    const outer = request.signal;
    const forwardAbort = (): void => controller.abort(outer?.reason);
    outer?.addEventListener('abort', forwardAbort, { once: true });
    try {
      if (outer?.aborted) throw outer.reason;
      const work = this.exchange(request, url, forceRefresh, controller.signal);
      // Once the race is decided by the abort, the exchange's late rejection is expected and already reported.
      work.catch(() => undefined);
      // A credential call or a stalled body read may not notice the abort: the race makes the time-out hold.
      const outcome = await Promise.race([
        work,
        new Promise<never>((_resolve, reject) => {
          controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
        }),
      ]);
      this.breaker.recordSuccess();
      return outcome;
    } catch (error) {
      const failure = this.asSourceError(request, error);
      this.breaker.recordFailedCall(failure);
      throw failure;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', forwardAbort);
    }
  }

  private async exchange<Schema extends z.ZodTypeAny>(
    request: JsonRequest<Schema>,
    url: URL,
    forceRefresh: boolean,
    signal: AbortSignal,
  ): Promise<AttemptOutcome<z.output<Schema>>> {
    const token = await this.tokens.token({ signal, forceRefresh });
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await this.fetchFunction(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
        // A redirect would carry the bearer token wherever it points; none of these APIs redirect API calls.
        redirect: 'error',
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const code = networkErrorCode(error);
      throw new SourceHttpError(
        this.api,
        'source_unavailable',
        `${this.api} ${request.operation}: could not connect${code ? ` (${code})` : ''}`,
        { retryable: true, outage: true, userMessage: `${this.api} is not reachable right now.` },
      );
    }
    if (response.status === 404) {
      await discardBody(response);
      return { kind: 'not-found' };
    }
    if (!response.ok) throw await this.translateStatus(request, response);
    const body = await this.readJson(request, response, signal);
    const parsed = request.schema.safeParse(body);
    if (parsed.success) return { kind: 'ok', value: parsed.data as z.output<Schema>, status: response.status };
    const where = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`)
      .join('; ');
    throw this.invalidResponse(request, `an unexpected shape (${where})`);
  }

  private async readJson(request: JsonRequest<z.ZodTypeAny>, response: Response, signal: AbortSignal) {
    const outcome = await readBodyText(response, this.settings.maxBodyBytes);
    if (outcome.kind === 'too-large') {
      throw new SourceHttpError(
        this.api,
        'source_invalid_response',
        `${this.api} ${request.operation}: an answer over ${this.settings.maxBodyBytes} bytes`,
        { tooLarge: true, userMessage: `${this.api} sent more data than I accept in one answer.` },
      );
    }
    if (outcome.kind === 'failed') {
      if (signal.aborted) throw signal.reason;
      throw new SourceHttpError(this.api, 'source_unavailable', `${this.api} ${request.operation}: answer cut off`, {
        retryable: true,
        outage: true,
      });
    }
    if (outcome.text.trim() === '') return undefined;
    try {
      return JSON.parse(outcome.text) as unknown;
    } catch {
      // JSON.parse throws only SyntaxError: the service sent something that is not JSON (a gateway page).
      throw this.invalidResponse(request, `invalid JSON (HTTP ${response.status})`);
    }
  }

  private invalidResponse(request: JsonRequest<z.ZodTypeAny>, what: string): SourceHttpError {
    return new SourceHttpError(this.api, 'source_invalid_response', `${this.api} ${request.operation}: ${what}`, {
      userMessage: `${this.api} returned an answer I could not read.`,
    });
  }

  private async translateStatus(request: JsonRequest<z.ZodTypeAny>, response: Response): Promise<SourceHttpError> {
    const status = response.status;
    const retryAfterMs = parseRetryAfterMs(headerRecord(response.headers), this.clock());
    const detail = await readErrorDetail(response);
    const suffix = detail.code === undefined ? '' : `, ${detail.code}`;
    const what = `${this.api} ${request.operation}: HTTP ${status}${suffix}`;
    const common = { status, serviceCode: detail.code, serviceMessage: detail.message, retryAfterMs };
    if (status === 401) {
      return new SourceHttpError(this.api, 'source_auth_failed', what, {
        ...common,
        userMessage: `${this.api} rejected the bot's token.`,
      });
    }
    if (status === 403) {
      return new SourceHttpError(this.api, 'source_auth_failed', what, {
        ...common,
        userMessage: `${this.api} refused access: the bot's app registration lacks a permission this needs (see docs/permissions.md).`,
      });
    }
    if (status === 409 || status === 412) {
      return new SourceHttpError(this.api, 'source_conflict', what, common);
    }
    if (status === 429) {
      return new SourceHttpError(this.api, 'source_throttled', what, {
        ...common,
        retryable: true,
        userMessage: `${this.api} is throttling requests right now.`,
      });
    }
    if (status >= 500 || status === 408) {
      return new SourceHttpError(this.api, 'source_unavailable', what, {
        ...common,
        retryable: RETRIED_STATUSES.has(status),
        outage: true,
        userMessage: `${this.api} is not reachable right now (HTTP ${status}).`,
      });
    }
    return new SourceHttpError(this.api, 'bad_input', what, {
      ...common,
      userMessage:
        detail.message === undefined
          ? `${this.api} rejected the request (HTTP ${status}).`
          : `${this.api} rejected the request: ${detail.message}`,
    });
  }

  private asSourceError(request: JsonRequest<z.ZodTypeAny>, error: unknown): SourceHttpError {
    if (isSourceHttpError(error)) return error;
    if (request.signal?.aborted) {
      return new SourceHttpError(this.api, 'source_unavailable', `${this.api} ${request.operation}: cancelled`, {
        userMessage: `The call to ${this.api} was cancelled.`,
      });
    }
    if (isCopilotError(error)) {
      // The token source's failures: already safe, kept as they are.
      return new SourceHttpError(this.api, error.code, error.message, { userMessage: error.userMessage });
    }
    const kind = error instanceof Error ? error.name : typeof error;
    return new SourceHttpError(this.api, 'internal', `${this.api} ${request.operation}: failed unexpectedly (${kind})`);
  }

  private resolveUrl(request: JsonRequest<z.ZodTypeAny>): URL {
    const absolute = /^https?:\/\//i.test(request.path);
    const url = absolute ? new URL(request.path) : new URL(request.path.replace(/^\//, ''), this.baseUrl);
    // A next-page link pointing anywhere else would receive our bearer token.
    if (url.origin !== this.baseUrl.origin) {
      throw new SourceHttpError(
        this.api,
        'source_invalid_response',
        `${this.api} ${request.operation}: a link to another host was not followed`,
      );
    }
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url;
  }
}

async function readErrorDetail(response: Response): Promise<ServiceErrorDetail> {
  const outcome = await readBodyText(response, ERROR_BODY_BYTES);
  if (outcome.kind !== 'text') return {};
  try {
    return serviceErrorDetail(JSON.parse(outcome.text));
  } catch {
    // An error body that is not JSON (an HTML gateway page) just has no detail for us.
    return {};
  }
}
