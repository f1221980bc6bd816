import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CopilotError } from '../../../src/errors';
import type { FakeOpenAiServer } from '../../support/fake-openai';
import { fakeReply, startFakeOpenAi, stopFakeOpenAi } from '../../support/fake-openai';
import type { Doubles } from './client-harness';
import { apiKey, compatibleClient, goodVerdict, makeDoubles, rejectionOf, verdictRequest } from './client-harness';

let server: FakeOpenAiServer;
let doubles: Doubles;

beforeAll(async () => {
  server = await startFakeOpenAi();
});

afterAll(async () => {
  await stopFakeOpenAi(server);
});

beforeEach(() => {
  server.reset();
  doubles = makeDoubles();
});

async function unusedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => probe.close((error) => (error ? reject(error) : resolve())));
  return port;
}

describe('OpenAiLlmClient rate limits', () => {
  it('honours Retry-After seconds, then succeeds on the next attempt', async () => {
    server.enqueue(fakeReply.rateLimited(2), fakeReply.json(goodVerdict));
    const response = await compatibleClient(server, doubles).generateStructured(verdictRequest());

    expect(doubles.waits).toEqual([2_000]);
    expect(response).toMatchObject({ value: goodVerdict, attempts: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('prefers retry-after-ms over Retry-After', async () => {
    server.enqueue(fakeReply.rateLimited(3, { 'retry-after-ms': '1250' }), fakeReply.json(goodVerdict));
    await compatibleClient(server, doubles).generateStructured(verdictRequest());
    expect(doubles.waits).toEqual([1_250]);
  });

  it('really waits for a short Retry-After with the default sleep', async () => {
    server.enqueue(fakeReply.rateLimited(undefined, { 'retry-after-ms': '60' }), fakeReply.json(goodVerdict));
    const startedAt = Date.now();
    const response = await compatibleClient(server, doubles, { sleep: undefined }).generateStructured(verdictRequest());
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(55);
    expect(response.attempts).toBe(2);
  });

  it('gives up at once when Retry-After exceeds the wait cap, passing the wait on', async () => {
    server.enqueue(fakeReply.rateLimited(120), fakeReply.json(goodVerdict));
    const error = await rejectionOf(compatibleClient(server, doubles).generateStructured(verdictRequest()));

    expect(error).toBeInstanceOf(CopilotError);
    expect(error).toMatchObject({ code: 'llm_rate_limited', retryable: true, retryAfterSeconds: 120 });
    expect(doubles.waits).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('is llm_rate_limited, retryable, after exhausting retries', async () => {
    server.enqueue(fakeReply.rateLimited(1), fakeReply.rateLimited(1), fakeReply.rateLimited(7));
    const error = await rejectionOf(compatibleClient(server, doubles).generateStructured(verdictRequest()));

    expect(error).toMatchObject({ code: 'llm_rate_limited', retryable: true, retryAfterSeconds: 7 });
    expect((error as CopilotError).message).toContain('3 attempts');
    expect(doubles.waits).toEqual([1_000, 1_000]);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry an exhausted quota', async () => {
    server.enqueue(fakeReply.error(429, { code: 'insufficient_quota', message: 'You exceeded your current quota' }));
    const error = await rejectionOf(compatibleClient(server, doubles).generateStructured(verdictRequest()));
    expect(error).toMatchObject({ code: 'llm_rate_limited', retryable: false });
    expect(server.requests).toHaveLength(1);
  });
});

describe('OpenAiLlmClient server and connection errors', () => {
  it('retries 500 with exponential back-off and jitter, then fails llm_unavailable retryable', async () => {
    server.enqueue(fakeReply.serverError(500), fakeReply.serverError(500), fakeReply.serverError(500));
    const error = await rejectionOf(compatibleClient(server, doubles).generateStructured(verdictRequest()));

    expect(error).toBeInstanceOf(CopilotError);
    expect(error).toMatchObject({ code: 'llm_unavailable', retryable: true });
    expect((error as CopilotError).message).toContain('HTTP 500');
    // Base 500 ms doubled per retry, equal jitter at random() = 0.5: 375 ms, then 750 ms.
    expect(doubles.waits).toEqual([375, 750]);
    expect(server.requests).toHaveLength(3);
  });

  it.each([502, 503, 504])('recovers from a transient %i', async (status) => {
    server.enqueue(fakeReply.serverError(status), fakeReply.json(goodVerdict));
    const response = await compatibleClient(server, doubles).generateStructured(verdictRequest());
    expect(response.attempts).toBe(2);
  });

  it('does not retry 501', async () => {
    server.enqueue(fakeReply.serverError(501), fakeReply.json(goodVerdict));
    const error = await rejectionOf(compatibleClient(server, doubles).generateStructured(verdictRequest()));
    expect(error).toMatchObject({ code: 'llm_unavailable' });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a dropped connection', async () => {
    server.enqueue(fakeReply.dropConnection(), fakeReply.json(goodVerdict));
    const response = await compatibleClient(server, doubles).generateStructured(verdictRequest());
    expect(response.attempts).toBe(2);
    expect(doubles.waits).toEqual([375]);
  });

  it('is llm_unavailable, retryable, when nothing listens', async () => {
    const port = await unusedPort();
    const client = compatibleClient(server, doubles, { baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 1 });
    const error = await rejectionOf(client.generateStructured(verdictRequest()));
    expect(error).toMatchObject({ code: 'llm_unavailable', retryable: true });
    expect((error as CopilotError).message).toContain('2 attempts');
  });
});

describe('OpenAiLlmClient rejections', () => {
  it.each([401, 403])('translates %i into llm_auth_failed without retrying or quoting the key', async (status) => {
    server.enqueue(fakeReply.error(status, { message: `Incorrect API key provided: ${apiKey}` }));
    const error = await rejectionOf(compatibleClient(server, doubles).generateStructured(verdictRequest()));

    expect(error).toMatchObject({ code: 'llm_auth_failed', retryable: false });
    expect((error as CopilotError).message).not.toContain(apiKey);
    expect((error as CopilotError).cause).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });

  it('translates another 4xx into llm_unavailable, not retryable, naming the status and code', async () => {
    server.enqueue(fakeReply.error(404, { message: 'The model `nope` does not exist', code: 'model_not_found' }));
    const error = await rejectionOf(compatibleClient(server, doubles).generateStructured(verdictRequest()));

    expect(error).toMatchObject({ code: 'llm_unavailable', retryable: false });
    expect((error as CopilotError).message).toContain('HTTP 404');
    expect((error as CopilotError).message).toContain('model_not_found');
    expect(server.requests).toHaveLength(1);
  });
});

describe('OpenAiLlmClient time-outs and cancellation', () => {
  it('aborts a slow attempt with llm_timeout and does not retry it', async () => {
    server.enqueue(fakeReply.delayed(2_000, fakeReply.json(goodVerdict)), fakeReply.json(goodVerdict));
    const startedAt = Date.now();
    const error = await rejectionOf(
      compatibleClient(server, doubles, { timeoutMs: 150 }).generateStructured(verdictRequest()),
    );

    expect(error).toMatchObject({ code: 'llm_timeout', retryable: true });
    expect((error as CopilotError).message).toContain('150 ms');
    // Well before the SDK's own safety-net time-out (timeoutMs + 1 s): ours fired.
    expect(Date.now() - startedAt).toBeLessThan(900);
    expect(server.requests).toHaveLength(1);
  });

  it('stops when the caller aborts, without retrying', async () => {
    server.enqueue(fakeReply.delayed(2_000, fakeReply.json(goodVerdict)), fakeReply.json(goodVerdict));
    const controller = new AbortController();
    const pending = compatibleClient(server, doubles).generateStructured(verdictRequest({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const error = await rejectionOf(pending);

    expect(error).toMatchObject({ code: 'llm_timeout', retryable: false });
    expect((error as CopilotError).message).toContain('cancelled by the caller');
    expect(server.requests).toHaveLength(1);
  });

  it('does not send a request for an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejectionOf(
      compatibleClient(server, doubles).generateStructured(verdictRequest({ signal: controller.signal })),
    );
    expect(error).toMatchObject({ code: 'llm_timeout' });
    expect(server.requests).toHaveLength(0);
  });

  it('does not retry after the caller aborts during the back-off wait', async () => {
    server.enqueue(fakeReply.serverError(503), fakeReply.json(goodVerdict));
    const controller = new AbortController();
    const abortingSleep = async (milliseconds: number): Promise<void> => {
      doubles.waits.push(milliseconds);
      controller.abort();
    };
    const client = compatibleClient(server, doubles, { sleep: abortingSleep });
    const error = await rejectionOf(client.generateStructured(verdictRequest({ signal: controller.signal })));

    expect(error).toMatchObject({ code: 'llm_timeout' });
    expect(doubles.waits).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });
});
