import { CopilotError, type ErrorCode } from '../errors';

/**
 * A call to a security API that failed, translated once at the client: auth failure, throttled, not found,
 * conflict, a request the service rejected, an answer we could not read, or the service being unavailable.
 * The message names the API, the operation and the HTTP status, never a header, a token or a body; the
 * service's own error code and (short, scrubbed) message are kept because they say why a query failed.
 */
export class SourceHttpError extends CopilotError {
  readonly api: string;
  readonly status?: number;
  /** The service's error code, e.g. "BadArgumentError", when it looks like an identifier. */
  readonly serviceCode?: string;
  /** The service's own explanation, scrubbed and cut short; safe to show the analyst. */
  readonly serviceMessage?: string;
  readonly retryAfterMs?: number;
  /** True for failures that say the service is down (5xx, time-outs, connection errors): the circuit counts them. */
  readonly outage: boolean;
  /** The answer was over the client's body size cap (a hunting query returning far too much). */
  readonly tooLarge: boolean;

  constructor(
    api: string,
    code: ErrorCode,
    message: string,
    options: {
      status?: number;
      serviceCode?: string;
      serviceMessage?: string;
      retryAfterMs?: number;
      retryable?: boolean;
      outage?: boolean;
      tooLarge?: boolean;
      userMessage?: string;
    } = {},
  ) {
    super(code, message, {
      retryable: options.retryable ?? false,
      userMessage: options.userMessage,
      retryAfterSeconds: options.retryAfterMs === undefined ? undefined : Math.ceil(options.retryAfterMs / 1000),
    });
    this.name = 'SourceHttpError';
    this.api = api;
    this.status = options.status;
    this.serviceCode = options.serviceCode;
    this.serviceMessage = options.serviceMessage;
    this.retryAfterMs = options.retryAfterMs;
    this.outage = options.outage ?? false;
    this.tooLarge = options.tooLarge ?? false;
  }
}

export function isSourceHttpError(error: unknown): error is SourceHttpError {
  return error instanceof SourceHttpError;
}

/** Service error codes go into messages only when they look like identifiers. */
export function safeIdentifier(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z][\w.-]{0,63}$/.test(value) ? value : undefined;
}

const MAX_SERVICE_MESSAGE_LENGTH = 300;

/**
 * A service's error message made safe to show and log: control characters and anything shaped like a token
 * (JWTs, "Bearer …", key=value secrets) removed, whitespace collapsed, cut to a few hundred characters.
 */
export function scrubServiceMessage(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let text = [...value]
    .map((character) => (character.charCodeAt(0) < 32 || character.charCodeAt(0) === 127 ? ' ' : character))
    .join('')
    .replace(/eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, '[token]')
    .replace(/\bbearer\s+[\w.~+/=-]+/gi, 'Bearer [token]')
    .replace(/\b(sig|signature|secret|password|client_secret|access_token|code)=[^&\s"']+/gi, '$1=[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return undefined;
  if (text.length > MAX_SERVICE_MESSAGE_LENGTH) text = `${text.slice(0, MAX_SERVICE_MESSAGE_LENGTH - 1)}…`;
  return text;
}

export interface ServiceErrorDetail {
  code?: string;
  message?: string;
}

/**
 * The code and message from a Microsoft error body: Graph and ARM use `{error: {code, message}}`, Log
 * Analytics nests `innererror` (sometimes several levels) with the precise reason, e.g. a KQL semantic error
 * naming the column. The outermost identifier-like code is kept, and the innermost message when it adds to
 * the outer one ("The request had some invalid properties" says nothing; "'Foo' could not be resolved" does).
 */
export function serviceErrorDetail(body: unknown): ServiceErrorDetail {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  if (error === null || typeof error !== 'object') return {};
  const messages: string[] = [];
  let code: string | undefined;
  let innerCode: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth += 1) {
    const record = current as Record<string, unknown>;
    const here = safeIdentifier(record.code);
    if (depth === 0) code = here;
    else if (here !== undefined) innerCode = here;
    if (typeof record.message === 'string' && record.message.trim() !== '') messages.push(record.message);
    current = record.innererror ?? record.innerError;
  }
  const outer = messages[0];
  const inner = messages.length > 1 ? messages[messages.length - 1] : undefined;
  const combined = inner === undefined || inner === outer ? outer : `${outer}: ${inner}`;
  return {
    code: code && innerCode && code !== innerCode ? `${code}/${innerCode}` : (code ?? innerCode),
    message: scrubServiceMessage(combined),
  };
}
