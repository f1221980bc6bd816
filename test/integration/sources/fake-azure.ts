import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * A loopback server standing in for Microsoft Graph, the Log Analytics query API and Azure Resource Manager:
 * replies are scripted per "METHOD /path-prefix" (first in, first out, then a fallback), and every request is
 * recorded (method, path, query, headers, JSON body) so a test can assert what was sent.
 */

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is (malformed bodies). */
  body?: unknown;
  delayMs?: number;
}

export type FakeHandler = FakeReply | ((request: RecordedRequest) => FakeReply);

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');

export function fixture(name: string): any {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));
}

export const reply = {
  json: (body: unknown, status = 200, headers: Record<string, string> = {}): FakeReply => ({ status, body, headers }),
  fixture: (name: string, status = 200): FakeReply => ({ status, body: fixture(name) }),
  raw: (body: string, status = 200): FakeReply => ({ status, body }),
  error: (status: number, code: string, message: string, headers: Record<string, string> = {}): FakeReply => ({
    status,
    body: { error: { code, message } },
    headers,
  }),
};

export class FakeAzureServer {
  readonly requests: RecordedRequest[] = [];
  private readonly queues = new Map<string, FakeHandler[]>();
  private readonly fallbacks = new Map<string, FakeHandler>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeAzureServer> {
    const holder: { instance?: FakeAzureServer } = {};
    const server = http.createServer((request, response) => holder.instance?.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.instance = new FakeAzureServer(server, `http://127.0.0.1:${port}`);
    return holder.instance;
  }

  /** Queues replies for "METHOD /prefix" (e.g. "GET /v1.0/security/alerts_v2"). */
  on(route: string, ...replies: FakeHandler[]): this {
    this.queues.set(route, [...(this.queues.get(route) ?? []), ...replies]);
    return this;
  }

  otherwise(route: string, fallback: FakeHandler): this {
    this.fallbacks.set(route, fallback);
    return this;
  }

  requestsTo(route: string): RecordedRequest[] {
    const [method, prefix] = route.split(' ');
    return this.requests.filter((request) => request.method === method && request.path.startsWith(prefix));
  }

  reset(): void {
    this.requests.length = 0;
    this.queues.clear();
    this.fallbacks.clear();
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: Object.fromEntries(url.searchParams),
        headers: request.headers,
        body,
      };
      this.requests.push(recorded);
      const key = `${recorded.method} ${recorded.path}`;
      const route = [...new Set([...this.queues.keys(), ...this.fallbacks.keys()])]
        .filter((candidate) => key.startsWith(candidate))
        .sort((left, right) => right.length - left.length)[0];
      const handler = route === undefined ? undefined : (this.queues.get(route)?.shift() ?? this.fallbacks.get(route));
      const answer = (typeof handler === 'function' ? handler(recorded) : handler) ?? {
        status: 500,
        body: { error: { code: 'Unscripted', message: `no reply scripted for ${key}` } },
      };
      const send = (): void => {
        const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
        response.statusCode = answer.status;
        response.setHeader('content-type', 'application/json');
        for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
        response.end(payload);
      };
      if (answer.delayMs === undefined) {
        send();
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!response.destroyed) send();
      }, answer.delayMs);
      this.timers.add(timer);
    });
  }
}

/** A TokenCredential that hands out numbered tokens per scope and records every call. */
export class FakeCredential implements TokenCredential {
  readonly calls: string[] = [];
  private issued = 0;

  constructor(
    private readonly prefix = 'fake-token',
    private readonly lifetimeMs = 60 * 60 * 1000,
  ) {}

  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    const scope = Array.isArray(scopes) ? scopes.join(' ') : scopes;
    this.calls.push(scope);
    this.issued += 1;
    return { token: `${this.prefix}-${this.issued}`, expiresOnTimestamp: Date.now() + this.lifetimeMs };
  }

  get issuedCount(): number {
    return this.issued;
  }
}

/** A sleep that records the waits instead of waiting. */
export function recordingSleep(): { sleep: (milliseconds: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (milliseconds: number) => {
      waits.push(milliseconds);
    },
  };
}
