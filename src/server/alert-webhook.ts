import type restify from 'restify';
import { toCopilotError } from '../errors';
import type { AlertFeed, IngestSummary } from '../feed/alert-feed';
import { alertsFromWebhookBody } from '../feed/payload';
import { ReplayGuard, signatureHeader, timestampHeader, verifyAlertWebhookSignature } from '../feed/signature';
import type { Logger } from '../logger';

export const alertWebhookPath = '/api/alerts';
export const maxAlertWebhookBytes = 1024 * 1024;

export interface AlertWebhookOptions {
  /** Unset: the endpoint answers 503 — an unauthenticated alert intake is never open. */
  secret?: string;
  feed: AlertFeed;
  logger: Logger;
  now?: () => number;
  maxBodyBytes?: number;
}

type Reply = { status: number; body: Record<string, unknown> };

/**
 * POST /api/alerts: authenticate (HMAC over the exact bytes received), parse, store durably, acknowledge.
 * The body is read here rather than by the server's body parser: the signature covers the raw bytes, the
 * size cap must hold for what is actually read (no decompression), and nothing is parsed before the
 * caller is authenticated. It never calls a capability and never logs the payload or the secret.
 */
export function createAlertWebhookHandler(options: AlertWebhookOptions) {
  const now = options.now ?? Date.now;
  const replays = new ReplayGuard(options.feed.store);
  const limit = options.maxBodyBytes ?? maxAlertWebhookBytes;

  async function handle(request: restify.Request, correlationId: string): Promise<Reply> {
    if (!options.secret) {
      return reply(503, 'webhook_disabled', 'The alert webhook is off: ALERTS_WEBHOOK_SECRET is not set.');
    }
    const encoding = (request.header('content-encoding') ?? 'identity').toLowerCase();
    if (encoding !== 'identity') return reply(415, 'unsupported_encoding', 'Send the body uncompressed.');
    const type = (request.header('content-type') ?? '').toLowerCase();
    if (!/^application\/(?:[\w.+-]+\+)?json\b/.test(type)) {
      return reply(415, 'unsupported_media_type', 'The body must be application/json.');
    }
    const declared = Number(request.header('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > limit) return tooLarge(limit);
    const rawBody = await readBody(request, limit);
    if (rawBody === 'too_large') return tooLarge(limit);

    const nowMs = now();
    const check = verifyAlertWebhookSignature({
      secret: options.secret,
      timestamp: request.header(timestampHeader) || undefined,
      signature: request.header(signatureHeader) || undefined,
      rawBody,
      nowMs,
    });
    if (!check.ok) {
      options.logger.warn({ correlationId, reason: check.reason }, 'alert webhook: request refused');
      return reply(401, check.reason, unauthorizedMessages[check.reason]);
    }
    if (!(await replays.remember(check.digest, check.timestampSeconds, nowMs))) {
      options.logger.warn({ correlationId, reason: 'replayed' }, 'alert webhook: request refused');
      return reply(401, 'replayed', 'This signed request was already received; sign each delivery anew.');
    }

    let summary: IngestSummary;
    try {
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString('utf8'));
      } catch (error) {
        return reply(400, 'bad_json', `The body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
      }
      let alerts;
      try {
        alerts = alertsFromWebhookBody(json, new Date(nowMs));
      } catch (error) {
        return reply(400, 'bad_alert', toCopilotError(error).message);
      }
      summary = await options.feed.ingest(alerts);
    } catch (error) {
      // Not stored: let the sender's retry of this very request through.
      await replays.forget(check.digest, check.timestampSeconds);
      throw error;
    }
    options.logger.info({ correlationId, ...summary }, 'alert webhook: alerts accepted');
    return { status: 202, body: { status: 'accepted', ...summary, correlationId } };
  }

  return async (request: restify.Request, response: restify.Response): Promise<void> => {
    const correlationId = (request as restify.Request & { correlationId?: string }).correlationId ?? 'none';
    try {
      const { status, body } = await handle(request, correlationId);
      // The rest of an oversized body is not read; the connection cannot be reused.
      if (status === 413) response.header('connection', 'close');
      response.send(status, status === 202 ? body : { ...body, correlationId });
    } catch (error) {
      options.logger.error({ correlationId, err: error }, 'alert webhook: could not store the alerts');
      response.send(503, { error: 'not_stored', message: 'The alerts were not stored; retry.', correlationId });
    }
  };
}

const unauthorizedMessages: Record<string, string> = {
  missing_signature: `Sign the request: ${timestampHeader} and ${signatureHeader} headers.`,
  malformed_signature: `${signatureHeader} must be sha256=<64 hex digits> and ${timestampHeader} Unix seconds.`,
  stale_timestamp: `${timestampHeader} is more than 5 minutes from now.`,
  bad_signature: 'The signature does not match the body.',
};

function reply(status: number, error: string, message: string): Reply {
  return { status, body: { error, message } };
}

function tooLarge(limit: number): Reply {
  return reply(413, 'too_large', `The body is larger than ${limit} bytes; send smaller batches.`);
}

/** Reads at most `limit` bytes; beyond that stops reading and reports too_large (the socket is closed after the reply). */
function readBody(request: restify.Request, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeListener('data', onData);
        request.pause();
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
    request.resume();
  });
}
