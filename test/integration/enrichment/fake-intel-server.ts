import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A loopback HTTP server standing in for VirusTotal, AbuseIPDB, OTX and Microsoft Graph: replies are scripted
 * per path prefix (first in, first out, then a fallback), and every request is recorded so a test can assert
 * what was — and was not — sent.
 */

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is (for malformed bodies). */
  body?: unknown;
  /** Wait this long before answering (time-out tests). */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path as sent, still percent-encoded, without the query string. */
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
}

export const FIXTURE_DIRECTORY = path.join(__dirname, '..', '..', 'fixtures', 'enrichment');

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURE_DIRECTORY, name), 'utf8')) as unknown;
}

export const reply = {
  json: (body: unknown, status = 200, headers: Record<string, string> = {}): FakeReply => ({ status, body, headers }),
  fixture: (name: string, status = 200, headers: Record<string, string> = {}): FakeReply => ({
    status,
    body: fixture(name),
    headers,
  }),
  raw: (body: string, status = 200): FakeReply => ({ status, body, headers: { 'content-type': 'application/json' } }),
  delayed: (delayMs: number, then: FakeReply): FakeReply => ({ ...then, delayMs }),
};

export class FakeIntelServer {
  readonly requests: RecordedRequest[] = [];
  private readonly queues = new Map<string, FakeReply[]>();
  private readonly fallbacks = new Map<string, FakeReply>();
  private readonly pendingTimers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeIntelServer> {
    // The handler needs the instance, which needs the listening server's port: a holder breaks the cycle.
    const holder: { instance?: FakeIntelServer } = {};
    const server = http.createServer((request, response) => holder.instance?.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.instance = new FakeIntelServer(server, `http://127.0.0.1:${port}`);
    return holder.instance;
  }

  /** Queues replies for requests whose path starts with `prefix`. */
  on(prefix: string, ...replies: FakeReply[]): this {
    this.queues.set(prefix, [...(this.queues.get(prefix) ?? []), ...replies]);
    return this;
  }

  /** The reply for `prefix` once its queue is empty. */
  otherwise(prefix: string, fallback: FakeReply): this {
    this.fallbacks.set(prefix, fallback);
    return this;
  }

  requestsTo(prefix: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path.startsWith(prefix));
  }

  reset(): void {
    this.requests.length = 0;
    this.queues.clear();
    this.fallbacks.clear();
  }

  async close(): Promise<void> {
    for (const timer of this.pendingTimers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://fake');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: (request.url ?? '/').split('?')[0],
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
    };
    this.requests.push(recorded);
    const prefix = [...new Set([...this.queues.keys(), ...this.fallbacks.keys()])]
      .filter((candidate) => recorded.path.startsWith(candidate))
      .sort((left, right) => right.length - left.length)[0];
    const scripted =
      prefix === undefined ? undefined : (this.queues.get(prefix)?.shift() ?? this.fallbacks.get(prefix));
    const answer = scripted ?? { status: 500, body: { error: { code: 'Unscripted', message: 'no reply scripted' } } };
    const send = (): void => {
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(body);
    };
    if (answer.delayMs === undefined) {
      send();
      return;
    }
    const timer = setTimeout(() => {
      this.pendingTimers.delete(timer);
      if (!response.destroyed) send();
    }, answer.delayMs);
    this.pendingTimers.add(timer);
  }
}
