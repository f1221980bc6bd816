import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import { toCopilotError } from '../errors';
import { activityAttributes, pathTemplate } from './attributes';

/**
 * The spans the bot makes, through @opentelemetry/api only. Until src/telemetry/tracing.ts turns tracing on, every
 * helper here calls straight through: no span objects, no context switches, no SDK.
 */

export const instrumentationScope = 'soc-copilot';

let enabled = false;

/** Set by startTracing and its shutdown; nothing else. */
export function setTracingEnabled(value: boolean): void {
  enabled = value;
}

export function tracingEnabled(): boolean {
  return enabled;
}

function tracer() {
  return trace.getTracer(instrumentationScope);
}

/**
 * Marks a span failed with the CopilotError code only: error messages can quote a service's answer, a user's name or
 * an alert's text, so neither the message nor the stack is exported.
 */
export function recordFailure(span: Span, error: unknown): string {
  const code = toCopilotError(error).code;
  span.setAttribute('error.type', code);
  span.addEvent('exception', { 'exception.type': code });
  span.setStatus({ code: SpanStatusCode.ERROR });
  return code;
}

/**
 * Adds attributes to the span current in this async context (the request's server span during a turn); nothing
 * when tracing is off or no span is current. For facts known only inside the turn, such as the capability.
 */
export function annotateCurrentSpan(attributes: Attributes): void {
  if (!enabled) return;
  trace.getActiveSpan()?.setAttributes(attributes);
}

export interface InboundRequest {
  method: string;
  /** The route as registered, e.g. /api/messages. */
  route: string;
  /** The request headers, for a W3C traceparent/tracestate. */
  headers: Record<string, string | string[] | undefined>;
  /** The id in the log lines and the x-correlation-id response header of this request. */
  correlationId: string;
  /** The parsed Bot Framework activity of POST /api/messages. */
  activity?: unknown;
}

/**
 * One server span around the handling of an inbound request, continuing the caller's trace when it sent a valid
 * traceparent. Work started inside (outbound calls, LLM calls, turn work that outlives the response) becomes its child.
 */
export async function traceInboundRequest(
  request: InboundRequest,
  responseStatus: () => number | undefined,
  work: () => Promise<void>,
): Promise<void> {
  if (!enabled) return work();
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const attributes: Attributes = {
    'http.request.method': request.method,
    'http.route': request.route,
    'url.path': request.route,
    'soc.correlation_id': request.correlationId,
    ...(request.activity === undefined ? {} : activityAttributes(request.activity)),
  };
  const span = tracer().startSpan(`${request.method} ${request.route}`, { kind: SpanKind.SERVER, attributes }, parent);
  try {
    await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    const status = responseStatus();
    if (status !== undefined) {
      span.setAttribute('http.response.status_code', status);
      // For a server span only 5xx is the server's failure; 4xx is the caller's.
      if (status >= 500) {
        span.setAttribute('error.type', String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    }
    span.end();
  }
}

export interface OutboundCall {
  /** The dependency's name, e.g. "Microsoft Graph". */
  dependency: string;
  /** What the call does, e.g. "list alerts" (a constant of the code, never data). */
  operation: string;
  method: string;
  url: URL;
}

/** Filled in by the caller while the call runs; read when the span ends. */
export interface OutboundCallRecord {
  statusCode?: number;
  /** Attempts after the first (retries and the token refresh after a 401). */
  resendCount: number;
  circuitState?: string;
}

/** One client span per logical outbound call (all its attempts), with the path as a template and no query string. */
export async function traceOutboundCall<T>(
  call: OutboundCall,
  work: (record: OutboundCallRecord) => Promise<T>,
): Promise<T> {
  const record: OutboundCallRecord = { resendCount: 0 };
  if (!enabled) return work(record);
  const template = pathTemplate(call.url.pathname);
  const port = call.url.port === '' ? (call.url.protocol === 'https:' ? 443 : 80) : Number(call.url.port);
  const attributes: Attributes = {
    'soc.dependency': call.dependency,
    'soc.dependency.operation': call.operation,
    'http.request.method': call.method,
    'server.address': call.url.hostname,
    'server.port': port,
    'url.template': template,
  };
  return traceClientCall(`${call.method} ${template}`, attributes, async (span): Promise<T> => {
    try {
      return await work(record);
    } finally {
      if (record.statusCode !== undefined) span.setAttribute('http.response.status_code', record.statusCode);
      span.setAttribute('http.request.resend_count', record.resendCount);
      if (record.circuitState !== undefined) span.setAttribute('soc.circuit.state', record.circuitState);
    }
  });
}

/** A client span around work the caller describes with attributes; the caller adds more through the span. */
export async function traceClientCall<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span): Promise<T> => {
    try {
      return await work(span);
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}
