import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import type { Logger } from '../logger';
import { scrapeAllowed } from '../metrics';
import { traceInboundRequest } from '../telemetry';
import { alertWebhookPath } from './alert-webhook';

/** What the HTTP edge hands a Bot Framework request to: it only transports, authenticates and acknowledges. */
export interface MessageProcessor {
  process(request: restify.Request, response: restify.Response, correlationId: string): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'ok' | 'starting' | 'degraded' | 'down'>;
}

export interface HttpServerOptions {
  logger: Logger;
  messages: MessageProcessor;
  readiness: () => ReadinessReport;
  /** Largest accepted request body; Teams activities with a card are a few tens of KB. */
  maxBodyBytes?: number;
  /** POST /api/alerts (src/server/alert-webhook.ts); it reads its own body, so the body parser skips it. */
  alerts?: (request: restify.Request, response: restify.Response) => Promise<void>;
  /** GET /api/reports/<id>.<md|html> (src/server/report-downloads.ts); 404 when absent. */
  reports?: (request: restify.Request, response: restify.Response) => Promise<void>;
  /** GET /metrics in the Prometheus text format; with a token, only for `Authorization: Bearer <token>`. */
  metrics?: { registry: { contentType: string; scrape(): Promise<string> }; token?: string };
}

export interface RunningServer {
  address: AddressInfo;
  url: string;
  /** Stop accepting connections, let in-flight requests finish (up to the grace period), then close. */
  stop(gracePeriodMs?: number): Promise<void>;
  inFlight(): number;
}

const correlationHeader = 'x-correlation-id';

/**
 * A server span around a route's handling (src/telemetry; a plain call with tracing off). The turn's work that
 * outlives the acknowledgement still becomes its child. The activity's type and invoke name are recorded, never its
 * text or who sent it.
 */
function traced(
  route: string,
  request: restify.Request,
  response: restify.Response,
  work: () => Promise<void>,
): Promise<void> {
  return traceInboundRequest(
    {
      method: request.method ?? 'POST',
      route,
      headers: request.headers,
      correlationId: (request as restify.Request & { correlationId: string }).correlationId,
      activity: route === '/api/messages' ? request.body : undefined,
    },
    () => (response.headersSent ? response.statusCode : undefined),
    work,
  );
}

export function createHttpServer(options: HttpServerOptions): {
  server: restify.Server;
  listen(port: number, host?: string): Promise<RunningServer>;
} {
  const { logger, messages, readiness } = options;
  const server = restify.createServer({ name: 'soc-copilot', handleUncaughtExceptions: false });
  let inFlight = 0;
  let draining = false;
  const drainWaiters: Array<() => void> = [];

  server.pre((request, response, next) => {
    if (draining) {
      response.header('connection', 'close');
      response.send(503, { error: 'shutting_down', message: 'The bot is restarting; retry shortly.' });
      return next(false);
    }
    const incoming = request.header(correlationHeader);
    const correlationId = /^[\w-]{8,64}$/.test(incoming ?? '') ? incoming : randomUUID();
    (request as restify.Request & { correlationId: string }).correlationId = correlationId;
    response.header(correlationHeader, correlationId);
    inFlight += 1;
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      inFlight -= 1;
      if (inFlight === 0) drainWaiters.splice(0).forEach((resolve) => resolve());
    };
    response.once('finish', done);
    response.once('close', done);
    return next();
  });
  const bodyParsers = restify.plugins.bodyParser({
    maxBodySize: options.maxBodyBytes ?? 1024 * 1024,
    mapParams: false,
  });
  server.use(
    bodyParsers.map(
      (parse): restify.RequestHandler =>
        (request, response, next) =>
          request.getPath() === alertWebhookPath ? next() : parse(request, response, next),
    ),
  );

  server.post(alertWebhookPath, async (request, response) => {
    await traced(alertWebhookPath, request, response, async () => {
      if (options.alerts) await options.alerts(request, response);
      else response.send(503, { error: 'webhook_disabled', message: 'The alert webhook is off.' });
    });
  });

  server.get('/api/reports/:file', async (request, response) => {
    if (options.reports) await options.reports(request, response);
    else response.send(404, { error: 'not_found' });
  });

  server.get('/healthz', (_request, response, next) => {
    response.send(200, { status: 'ok' });
    return next();
  });

  server.get('/readyz', (_request, response, next) => {
    const report = readiness();
    response.send(report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not_ready', checks: report.checks });
    return next();
  });

  server.get('/metrics', async (request, response) => {
    const metrics = options.metrics;
    if (!metrics) {
      response.send(404, { error: 'not_found' });
      return;
    }
    if (!scrapeAllowed(request.header('authorization'), metrics.token)) {
      response.header('www-authenticate', 'Bearer realm="metrics"');
      response.send(401, { error: 'unauthorized', message: 'GET /metrics needs a bearer token (METRICS_TOKEN).' });
      return;
    }
    try {
      const body = await metrics.registry.scrape();
      response.writeHead(200, { 'content-type': metrics.registry.contentType });
      response.end(body);
    } catch (error) {
      logger.warn({ err: error }, 'metrics scrape failed');
      response.send(500, { error: 'internal' });
    }
  });

  server.post('/api/messages', async (request, response) => {
    const correlationId = (request as restify.Request & { correlationId: string }).correlationId;
    await traced('/api/messages', request, response, async () => {
      const problem = describeActivityProblem(request.body);
      if (problem) {
        logger.warn({ correlationId, problem }, 'rejected a malformed activity');
        response.send(400, { error: 'bad_activity', message: problem, correlationId });
        return;
      }
      try {
        await messages.process(request, response, correlationId);
      } catch (error) {
        // The adapter answers auth failures itself; anything reaching here is our bug or a dependency failure.
        logger.error({ correlationId, err: error }, 'failed to process an activity');
        if (!response.headersSent) response.send(500, { error: 'internal', correlationId });
      }
    });
  });

  server.on('restifyError', (request, _response, error, callback) => {
    // Restify's own errors (413, 400 on bad JSON, 404, 405) keep their status but lose the stack.
    const status: number = (error as { statusCode?: number }).statusCode ?? 500;
    const fields = { status, path: request.getPath(), code: (error as { code?: string }).code };
    // Clients probing with the wrong method or path are routine; only our own failures are warnings.
    if (status >= 500) logger.warn(fields, 'http error');
    else logger.info(fields, 'http request refused');
    error.toJSON = () => ({
      error: (error as { code?: string }).code ?? 'error',
      message: status >= 500 ? 'internal error' : error.message,
    });
    return callback();
  });

  return {
    server,
    listen(port: number, host = '0.0.0.0') {
      return new Promise<RunningServer>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.removeListener('error', reject);
          const address = server.address() as AddressInfo;
          const urlHost = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
          resolve({
            address,
            url: `http://${urlHost}:${address.port}`,
            inFlight: () => inFlight,
            stop: (gracePeriodMs = 10_000) =>
              new Promise<void>((resolveStop) => {
                draining = true;
                server.server.close(() => resolveStop());
                const finishDrain = () => {
                  server.server.closeIdleConnections?.();
                  server.server.closeAllConnections?.();
                };
                if (inFlight === 0) {
                  finishDrain();
                  return;
                }
                const timer = setTimeout(() => {
                  logger.warn({ inFlight }, 'grace period over; closing remaining connections');
                  finishDrain();
                }, gracePeriodMs);
                drainWaiters.push(() => {
                  clearTimeout(timer);
                  finishDrain();
                });
              }),
          });
        });
      });
    },
  };
}

/** A minimal shape check before the adapter sees the body; the adapter validates the rest. */
export function describeActivityProblem(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return 'The body must be a Bot Framework activity (a JSON object).';
  }
  const activity = body as Record<string, unknown>;
  if (typeof activity.type !== 'string' || activity.type.length === 0) return 'The activity has no "type".';
  if (typeof activity.serviceUrl !== 'string' && activity.deliveryMode !== 'expectReplies') {
    return 'The activity has no "serviceUrl".';
  }
  if (activity.serviceUrl !== undefined && !isHttpUrl(activity.serviceUrl)) {
    return 'The activity\'s "serviceUrl" is not an http(s) URL.';
  }
  if (!hasId(activity.conversation)) return 'The activity has no "conversation.id".';
  // Every turn is attributed to someone (audit, roles, thread memory): no sender, no turn.
  if (!hasId(activity.from)) return 'The activity has no "from.id".';
  if (!hasId(activity.recipient)) return 'The activity has no "recipient.id".';
  if (typeof activity.channelId !== 'string' || activity.channelId.trim() === '')
    return 'The activity has no "channelId".';
  return undefined;
}

/** An object with a non-blank string `id` (an activity's conversation, sender or recipient). */
function hasId(value: unknown): boolean {
  const id = value !== null && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.trim() !== '';
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false; // not a URL at all
  }
}
