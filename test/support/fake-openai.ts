import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback OpenAI-compatible server for tests, benchmarks and end-to-end runs. It answers
 * POST /v1/chat/completions (and /chat/completions) like OpenAI, vLLM or Ollama, and
 * POST /openai/deployments/{deployment}/chat/completions?api-version=… like Azure OpenAI, from a scripted
 * queue of replies, and records every request. It does not depend on jest.
 */

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type FakeOpenAiReply =
  | {
      kind: 'completion';
      /** The assistant message content exactly as sent (null for a refusal-like empty answer). */
      content: string | null;
      /** The model the server reports; defaults to the request's model. */
      model?: string;
      usage?: Partial<FakeUsage>;
      finishReason?: 'stop' | 'length' | 'content_filter';
    }
  | { kind: 'error'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'delay'; milliseconds: number; then: FakeOpenAiReply }
  | { kind: 'drop-connection' };

export interface FakeErrorDetails {
  message?: string;
  type?: string;
  code?: string | null;
  param?: string | null;
  headers?: Record<string, string>;
}

function errorBody(status: number, details: FakeErrorDetails): unknown {
  return {
    error: {
      message: details.message ?? `fake-openai error ${status}`,
      type: details.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error'),
      param: details.param ?? null,
      code: details.code ?? null,
    },
  };
}

/** Reply builders, one per situation a client must handle. */
export const fakeReply = {
  /** A structured answer: the value serialized as the message content. */
  json(
    value: unknown,
    extra: Omit<Extract<FakeOpenAiReply, { kind: 'completion' }>, 'kind' | 'content'> = {},
  ): FakeOpenAiReply {
    return { kind: 'completion', content: JSON.stringify(value), ...extra };
  },
  /** Raw content, e.g. prose or broken JSON. */
  text(
    content: string | null,
    extra: Omit<Extract<FakeOpenAiReply, { kind: 'completion' }>, 'kind' | 'content'> = {},
  ): FakeOpenAiReply {
    return { kind: 'completion', content, ...extra };
  },
  error(status: number, details: FakeErrorDetails = {}): FakeOpenAiReply {
    return { kind: 'error', status, headers: details.headers, body: errorBody(status, details) };
  },
  /** 429; `retryAfter` becomes the Retry-After header (seconds or an HTTP date). */
  rateLimited(retryAfter?: number | string, headers: Record<string, string> = {}): FakeOpenAiReply {
    const retryHeaders = retryAfter === undefined ? headers : { 'retry-after': String(retryAfter), ...headers };
    return fakeReply.error(429, {
      message: 'Rate limit reached for requests',
      type: 'requests',
      code: 'rate_limit_exceeded',
      headers: retryHeaders,
    });
  },
  serverError(status = 500, headers: Record<string, string> = {}): FakeOpenAiReply {
    return fakeReply.error(status, { message: 'The server had an error while processing your request.', headers });
  },
  unauthorized(): FakeOpenAiReply {
    return fakeReply.error(401, { message: 'Incorrect API key provided.', code: 'invalid_api_key' });
  },
  /** What servers without json_schema support answer (vLLM, llama.cpp and Ollama builds, old Azure API versions). */
  responseFormatUnsupported(): FakeOpenAiReply {
    return fakeReply.error(400, {
      message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
      param: 'response_format',
      code: 'unsupported_parameter',
    });
  },
  delayed(milliseconds: number, then: FakeOpenAiReply): FakeOpenAiReply {
    return { kind: 'delay', milliseconds, then };
  },
  /** Closes the socket without answering: a connection error for the client. */
  dropConnection(): FakeOpenAiReply {
    return { kind: 'drop-connection' };
  },
};

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names, as node:http gives them. */
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** Set for the Azure route. */
  deployment?: string;
  /** True when the queue was empty and no fallback was given: the server answered 500. */
  unscripted: boolean;
}

export interface FakeChatMessage {
  role: string;
  content: string;
}

/** The chat messages of a recorded request (empty when the body had none). */
export function chatMessagesOf(request: RecordedRequest): FakeChatMessage[] {
  const body = request.body as { messages?: unknown } | undefined;
  if (!body || !Array.isArray(body.messages)) return [];
  return body.messages.map((message: { role?: unknown; content?: unknown }) => ({
    role: String(message.role),
    content: typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
  }));
}

export interface FakeOpenAiServer {
  /** http://127.0.0.1:{port} — the Azure OpenAI endpoint (the SDK appends /openai). */
  readonly url: string;
  /** {url}/v1 — the base URL for OpenAI and OpenAI-compatible clients. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Adds replies to the end of the queue; each chat request takes the first. */
  enqueue(...replies: FakeOpenAiReply[]): void;
  /** Replies still queued. */
  pending(): number;
  /** Forgets queued replies and recorded requests. */
  reset(): void;
  stop(): Promise<void>;
}

export interface FakeOpenAiOptions {
  /** Answers requests when the queue is empty (for benchmarks and e2e runs); otherwise they get a 500. */
  fallback?: (request: RecordedRequest) => FakeOpenAiReply;
}

const chatPaths = new Set(['/v1/chat/completions', '/chat/completions']);
const azureChatPath = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;

function estimateTokens(text: string): number {
  // About four characters per token for English; deterministic, which is all a fake needs.
  return Math.max(1, Math.ceil(text.length / 4));
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    // A client sending non-JSON is a finding for the test, so the raw text is kept for its assertions.
    if (error instanceof SyntaxError) return text;
    throw error;
  }
}

function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-request-id': `req_fake_${Math.random().toString(16).slice(2, 10)}`,
    ...headers,
  });
  response.end(payload);
}

let completionCounter = 0;

function completionBody(reply: Extract<FakeOpenAiReply, { kind: 'completion' }>, recorded: RecordedRequest): unknown {
  const requestBody = (recorded.body ?? {}) as { model?: unknown };
  const promptText = chatMessagesOf(recorded)
    .map((message) => message.content)
    .join('\n');
  const promptTokens = reply.usage?.prompt_tokens ?? estimateTokens(promptText);
  const completionTokens = reply.usage?.completion_tokens ?? estimateTokens(reply.content ?? '');
  completionCounter += 1;
  return {
    id: `chatcmpl-fake${String(completionCounter).padStart(6, '0')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: reply.model ?? (typeof requestBody.model === 'string' ? requestBody.model : 'fake-model'),
    system_fingerprint: 'fp_fake',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.content, refusal: null },
        logprobs: null,
        finish_reason: reply.finishReason ?? 'stop',
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: reply.usage?.total_tokens ?? promptTokens + completionTokens,
    },
  };
}

function deliver(
  reply: FakeOpenAiReply,
  recorded: RecordedRequest,
  request: http.IncomingMessage,
  response: http.ServerResponse,
): void {
  switch (reply.kind) {
    case 'completion':
      sendJson(response, 200, completionBody(reply, recorded));
      return;
    case 'error':
      sendJson(response, reply.status, reply.body ?? errorBody(reply.status, {}), reply.headers);
      return;
    case 'drop-connection':
      request.socket.destroy();
      return;
    case 'delay': {
      const timer = setTimeout(() => deliver(reply.then, recorded, request, response), reply.milliseconds);
      // A client that gave up (time-out) closes the socket: no reply is owed, and stop() must not wait.
      response.on('close', () => clearTimeout(timer));
      return;
    }
  }
}

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAiServer> {
  const queue: FakeOpenAiReply[] = [];
  const requests: RecordedRequest[] = [];

  const server = http.createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, errorBody(500, { message: `fake-openai: ${String(error)}` }));
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const address = new URL(request.url ?? '/', 'http://fake-openai.local');
    const text = await readBody(request);
    const azureMatch = azureChatPath.exec(address.pathname);
    const isChat = request.method === 'POST' && (chatPaths.has(address.pathname) || azureMatch !== null);
    if (!isChat) {
      sendJson(
        response,
        404,
        errorBody(404, { message: `fake-openai: no route for ${request.method} ${address.pathname}` }),
      );
      return;
    }
    if (azureMatch && !address.searchParams.get('api-version')) {
      sendJson(
        response,
        400,
        errorBody(400, { message: 'api-version query parameter is required', code: 'missing_api_version' }),
      );
      return;
    }
    const recorded: RecordedRequest = {
      method: request.method ?? 'POST',
      path: address.pathname,
      query: Object.fromEntries(address.searchParams.entries()),
      headers: request.headers,
      body: parseBody(text),
      deployment: azureMatch ? decodeURIComponent(azureMatch[1]) : undefined,
      unscripted: false,
    };
    requests.push(recorded);
    const reply = queue.shift() ?? options.fallback?.(recorded);
    if (!reply) {
      recorded.unscripted = true;
      sendJson(response, 500, errorBody(500, { message: 'fake-openai: no scripted reply left' }));
      return;
    }
    deliver(reply, recorded, request, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    pending: () => queue.length,
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        // Clients keep connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Stops a server started by startFakeOpenAi; tolerates undefined so an afterAll after a failed beforeAll is quiet. */
export async function stopFakeOpenAi(server: FakeOpenAiServer | undefined): Promise<void> {
  if (server) await server.stop();
}
