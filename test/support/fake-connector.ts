import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback Bot Connector: the service the bot posts its replies, proactive messages and card
 * updates to (`serviceUrl`). Captures every call so tests can assert on what a Teams client would get.
 * Scripted failures (e.g. a 429 with Retry-After) can be queued per call.
 */
export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  /** The activity id in the path (reply-to or update target), when there is one. */
  activityId?: string;
  body: Record<string, unknown>;
  authorization?: string;
  /** The status the fake answered with (scripted or 200). */
  status?: number;
}

export interface ScriptedConnectorReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeConnector {
  url: string;
  calls: ConnectorCall[];
  /** Calls that carried a message activity with an Adaptive Card. */
  cards(): Array<{ call: ConnectorCall; card: Record<string, unknown> }>;
  enqueue(...replies: ScriptedConnectorReply[]): void;
  /** Resolves once `count` calls have arrived (or rejects after the timeout). */
  waitForCalls(count: number, timeoutMs?: number): Promise<ConnectorCall[]>;
  reset(): void;
  stop(): Promise<void>;
}

const activityPath = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const scripted: ScriptedConnectorReply[] = [];
  const waiters: Array<() => void> = [];
  let nextId = 1;

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = decodeURI((request.url ?? '').split('?')[0]);
      const match = activityPath.exec(path);
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      const call: ConnectorCall = {
        method: request.method ?? 'GET',
        path,
        conversationId: match ? decodeURIComponent(match[1]) : '',
        activityId: match?.[2] ? decodeURIComponent(match[2]) : undefined,
        body,
        authorization: request.headers.authorization,
      };
      calls.push(call);
      waiters.splice(0).forEach((wake) => wake());
      const reply = scripted.shift();
      call.status = reply?.status ?? (match ? 200 : 404);
      if (reply) {
        response.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
        response.end(JSON.stringify(reply.body ?? {}));
        return;
      }
      if (!match) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'NotFound', message: `no route for ${path}` } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: match[2] && request.method === 'PUT' ? match[2] : `activity-${nextId++}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    cards() {
      return calls.flatMap((call) => {
        const attachments = (call.body.attachments ?? []) as Array<{ contentType?: string; content?: unknown }>;
        return attachments
          .filter((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')
          .map((attachment) => ({ call, card: attachment.content as Record<string, unknown> }));
      });
    },
    enqueue(...replies) {
      scripted.push(...replies);
    },
    async waitForCalls(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (calls.length < count) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`fake connector: expected ${count} calls, got ${calls.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return calls.slice(0, count);
    },
    reset() {
      calls.length = 0;
      scripted.length = 0;
    },
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
