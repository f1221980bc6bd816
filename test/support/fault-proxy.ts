import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback proxy that stands between the bot and one of its fakes (the Azure APIs, the Bot Connector) and
 * breaks the link on demand: it answers an error status (with or without Retry-After), resets the connection,
 * or holds the request unanswered; otherwise it forwards to the fake. Scripted faults are used first in, first
 * out; a standing fault (`down`) applies until `recover()`. Every request is recorded with the time it arrived
 * and how it was answered, so a test can measure back-off and Retry-After. It does not depend on jest.
 */

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'reset' }
  | { kind: 'hang' };

export const fault = {
  status: (status: number, retryAfter?: number | string, body: unknown = {}): Fault => ({
    kind: 'status',
    status,
    headers: retryAfter === undefined ? undefined : { 'retry-after': String(retryAfter) },
    body,
  }),
  reset: (): Fault => ({ kind: 'reset' }),
  hang: (): Fault => ({ kind: 'hang' }),
};

export interface ProxiedRequest {
  method: string;
  /** The path with the query string. */
  path: string;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  /** The status answered (a fault's or the upstream's); undefined for a reset or a held request. */
  status?: number;
  fault?: Fault['kind'];
}

export interface FaultProxy {
  readonly url: string;
  readonly requests: ProxiedRequest[];
  /** Faults for the next matching requests, in order. */
  script(...faults: Fault[]): void;
  /** A fault for every matching request until `recover()`. */
  down(standing: Fault): void;
  /** Clears the standing fault and the scripted ones. */
  recover(): void;
  /** Only requests whose "METHOD /path" starts with this are faulted; the rest pass (default: all). */
  only(prefix: string | undefined): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const requests: ProxiedRequest[] = [];
  const scripted: Fault[] = [];
  let standing: Fault | undefined;
  let prefix: string | undefined;

  const forward = (
    request: http.IncomingMessage,
    response: http.ServerResponse,
    body: Buffer,
    entry: ProxiedRequest,
  ) => {
    const outgoing = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: target.host },
      },
      (answer) => {
        entry.status = answer.statusCode;
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    // The upstream dropping the connection reaches the client as a reset; a client that gave up (its time-out)
    // ends the upstream request too, so nothing is piped into a closed socket.
    outgoing.on('error', () => response.destroy());
    response.on('close', () => outgoing.destroy());
    outgoing.end(body);
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry: ProxiedRequest = { method: request.method ?? 'GET', path: request.url ?? '/', at: Date.now() };
      requests.push(entry);
      const matches = prefix === undefined || `${entry.method} ${entry.path}`.startsWith(prefix);
      const chosen = matches ? (scripted.shift() ?? standing) : undefined;
      if (chosen === undefined) {
        forward(request, response, Buffer.concat(chunks), entry);
        return;
      }
      entry.fault = chosen.kind;
      switch (chosen.kind) {
        case 'status': {
          entry.status = chosen.status;
          const payload = JSON.stringify(chosen.body ?? {});
          response.writeHead(chosen.status, { 'content-type': 'application/json', ...chosen.headers });
          response.end(payload);
          return;
        }
        case 'reset':
          request.socket.destroy();
          return;
        case 'hang':
          // Never answered: the client's time-out must end it; stop() closes the socket.
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...faults) => {
      scripted.push(...faults);
    },
    down: (fault) => {
      standing = fault;
    },
    recover: () => {
      standing = undefined;
      scripted.length = 0;
    },
    only: (value) => {
      prefix = value;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
