import { inspect } from 'node:util';
import { z } from 'zod';
import { JsonHttpClient, SourceHttpError, type JsonClientOptions } from '../../../src/http';
import { FakeAzureServer, FakeCredential, recordingSleep, reply } from './fake-azure';

let server: FakeAzureServer;

beforeAll(async () => {
  server = await FakeAzureServer.start();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => server.reset());

const Thing = z.object({ id: z.string(), name: z.string().optional() });

function client(overrides: Partial<JsonClientOptions> = {}) {
  const credential = new FakeCredential('SECRET-TOKEN');
  const sleeper = recordingSleep();
  const instance = new JsonHttpClient({
    api: 'Test API',
    baseUrl: `${server.url}/api`,
    credential,
    scope: 'https://test.example/.default',
    sleep: sleeper.sleep,
    random: () => 0.5,
    ...overrides,
  });
  return { client: instance, credential, waits: sleeper.waits };
}

const getThing = { operation: 'get thing', method: 'GET' as const, path: 'things/1', schema: Thing };

async function failure(promise: Promise<unknown>): Promise<SourceHttpError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SourceHttpError);
    return error as SourceHttpError;
  }
  throw new Error('expected the call to fail');
}

describe('JsonHttpClient', () => {
  it('sends a bearer token for the scope, query parameters and a JSON body, and validates the answer', async () => {
    server.on('POST /api/things', reply.json({ id: '7', name: 'seven', extra: { ignored: true } }));
    const { client: api, credential } = client();
    const answer = await api.send({
      operation: 'create thing',
      method: 'POST',
      path: '/things',
      query: { $top: 5, skip: undefined },
      body: { name: 'seven' },
      schema: Thing,
    });
    expect(answer).toEqual({ id: '7', name: 'seven' });
    const [request] = server.requests;
    expect(request.headers.authorization).toBe('Bearer SECRET-TOKEN-1');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.query).toEqual({ $top: '5' });
    expect(request.body).toEqual({ name: 'seven' });
    expect(credential.calls).toEqual(['https://test.example/.default']);
  });

  it('reuses a cached token until it nears expiry', async () => {
    server.otherwise('GET /api/things', reply.json({ id: '1' }));
    const { client: api, credential } = client();
    await api.send(getThing);
    await api.send(getThing);
    expect(credential.issuedCount).toBe(1);
    const shortLived = new FakeCredential('SHORT', 60_000);
    const other = client({ credential: shortLived }).client;
    await other.send(getThing);
    await other.send(getThing);
    expect(shortLived.issuedCount).toBe(2);
  });

  it('re-acquires the token once after a 401 and retries once', async () => {
    server.on(
      'GET /api/things',
      reply.error(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'),
      reply.json({ id: '1' }),
    );
    const { client: api, credential } = client();
    await expect(api.send(getThing)).resolves.toEqual({ id: '1' });
    expect(credential.issuedCount).toBe(2);
    expect(server.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer SECRET-TOKEN-1',
      'Bearer SECRET-TOKEN-2',
    ]);
  });

  it('gives up as source_auth_failed when the fresh token is refused too', async () => {
    server.otherwise('GET /api/things', reply.error(401, 'InvalidAuthenticationToken', 'Access token is invalid.'));
    const { client: api, credential } = client();
    const error = await failure(api.send(getThing));
    expect(error.code).toBe('source_auth_failed');
    expect(error.status).toBe(401);
    expect(server.requests).toHaveLength(2);
    expect(credential.issuedCount).toBe(2);
  });

  it('reports 403 as a missing permission, without retrying', async () => {
    server.otherwise('GET /api/things', reply.error(403, 'Forbidden', 'Missing role SecurityAlert.Read.All'));
    const error = await failure(client().client.send(getThing));
    expect(error).toMatchObject({ code: 'source_auth_failed', status: 403, serviceCode: 'Forbidden' });
    expect(error.userMessage).toMatch(/permission/);
    expect(server.requests).toHaveLength(1);
  });

  it('honours Retry-After in seconds on 429, then succeeds', async () => {
    server.on(
      'GET /api/things',
      reply.error(429, 'TooManyRequests', 'Slow down', { 'retry-after': '2' }),
      reply.json({ id: '1' }),
    );
    const { client: api, waits } = client();
    await expect(api.send(getThing)).resolves.toEqual({ id: '1' });
    expect(waits).toEqual([2000]);
  });

  it('honours Retry-After as an HTTP date on 503', async () => {
    const clock = () => Date.parse('2026-01-01T00:00:00Z');
    server.on(
      'GET /api/things',
      reply.error(503, 'ServiceUnavailable', 'busy', { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }),
      reply.json({ id: '1' }),
    );
    const { client: api, waits } = client({ clock });
    await expect(api.send(getThing)).resolves.toEqual({ id: '1' });
    expect(waits).toEqual([3000]);
  });

  it('backs off exponentially with jitter on 504 without Retry-After, up to maxRetries', async () => {
    server.otherwise('GET /api/things', reply.error(504, 'GatewayTimeout', 'timeout'));
    const { client: api, waits } = client({ maxRetries: 3 });
    const error = await failure(api.send(getThing));
    expect(error).toMatchObject({ code: 'source_unavailable', status: 504, retryable: true });
    // Equal jitter with random() = 0.5: three quarters of 500, 1000, 2000 ms.
    expect(waits).toEqual([375, 750, 1500]);
    expect(server.requests).toHaveLength(4);
  });

  it('stops retrying when the wait would exceed the total budget, passing the wait on', async () => {
    server.otherwise('GET /api/things', reply.error(429, 'TooManyRequests', 'later', { 'retry-after': '20' }));
    const { client: api, waits } = client({ totalBudgetMs: 5_000 });
    const error = await failure(api.send(getThing));
    expect(error).toMatchObject({ code: 'source_throttled', retryAfterSeconds: 20 });
    expect(waits).toEqual([]);
  });

  it('does not retry a 500, nor retry a non-idempotent POST after a 504', async () => {
    server.otherwise('GET /api/things', reply.error(500, 'InternalServerError', 'boom'));
    server.otherwise('POST /api/things', reply.error(504, 'GatewayTimeout', 'timeout'));
    const { client: api } = client();
    expect((await failure(api.send(getThing))).code).toBe('source_unavailable');
    await failure(api.send({ ...getThing, method: 'POST', path: 'things', body: {} }));
    expect(server.requests).toHaveLength(2);
  });

  it('turns 404 into not_found, or undefined when asked', async () => {
    server.otherwise('GET /api/things', reply.error(404, 'NotFound', 'no such thing'));
    const { client: api } = client();
    expect((await failure(api.send(getThing))).code).toBe('not_found');
    await expect(api.sendOrUndefined(getThing)).resolves.toBeUndefined();
  });

  it('turns 400 into bad_input carrying the service message, and 409/412 into source_conflict', async () => {
    server.on('GET /api/things', reply.error(400, 'BadRequest', "Invalid filter clause: 'severty' is unknown"));
    server.on('GET /api/things', reply.error(412, 'PreconditionFailed', 'etag mismatch'));
    const { client: api } = client();
    const rejected = await failure(api.send(getThing));
    expect(rejected).toMatchObject({ code: 'bad_input', serviceCode: 'BadRequest' });
    expect(rejected.userMessage).toContain("Invalid filter clause: 'severty' is unknown");
    expect((await failure(api.send(getThing))).code).toBe('source_conflict');
  });

  it('rejects malformed JSON and unexpected shapes as source_invalid_response, naming paths not values', async () => {
    server.on('GET /api/things', reply.raw('<html>gateway</html>'), reply.json({ id: 42, name: 'leak-me' }));
    const { client: api } = client();
    const notJson = await failure(api.send(getThing));
    expect(notJson.code).toBe('source_invalid_response');
    const wrongShape = await failure(api.send(getThing));
    expect(wrongShape.code).toBe('source_invalid_response');
    expect(wrongShape.message).toContain('id: invalid_type');
    expect(wrongShape.message).not.toContain('leak-me');
  });

  it('caps the body size', async () => {
    server.on('GET /api/things', reply.json({ id: '1', name: 'x'.repeat(5000) }));
    const error = await failure(client({ maxBodyBytes: 1000 }).client.send(getThing));
    expect(error.code).toBe('source_invalid_response');
    expect(error.message).toMatch(/over 1000 bytes/);
  });

  it('refuses redirects rather than following them with the token', async () => {
    server.on('GET /api/things', {
      status: 302,
      headers: { location: 'http://127.0.0.2:1/steal' },
      body: '',
    });
    const error = await failure(client({ maxRetries: 0 }).client.send(getThing));
    expect(error.code).toBe('source_unavailable');
    expect(server.requests).toHaveLength(1);
  });

  it('never follows a next-page link to another host', async () => {
    const { client: api } = client();
    const error = await failure(api.send({ ...getThing, path: 'https://evil.example/v1.0/things?page=2' }));
    expect(error.code).toBe('source_invalid_response');
    expect(server.requests).toHaveLength(0);
  });

  it('times out a slow attempt and retries it', async () => {
    // Generous numbers: the second, immediate answer must fit in the time-out even on a loaded machine.
    server.on('GET /api/things', { ...reply.json({ id: 'slow' }), delayMs: 10_000 }, reply.json({ id: 'fast' }));
    const { client: api } = client({ timeoutMs: 1_000 });
    await expect(api.send(getThing)).resolves.toEqual({ id: 'fast' });
  });

  it("honours the caller's abort signal", async () => {
    server.on('GET /api/things', { ...reply.json({ id: 'slow' }), delayMs: 2_000 });
    const controller = new AbortController();
    const pending = client().client.send({ ...getThing, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await failure(pending);
    expect(error.code).toBe('source_unavailable');
    expect(error.message).toMatch(/cancelled/);
  });

  it('reports a cancellation during the back-off wait as a cancelled call', async () => {
    server.otherwise('GET /api/things', reply.error(503, 'ServiceUnavailable', 'busy', { 'retry-after': '1' }));
    const controller = new AbortController();
    const sleep = (_milliseconds: number, signal?: AbortSignal) => {
      controller.abort();
      return Promise.reject(signal?.reason);
    };
    const error = await failure(client({ sleep }).client.send({ ...getThing, signal: controller.signal }));
    expect(error.message).toMatch(/cancelled/);
  });

  it('opens the circuit after consecutive failures and half-opens after the cool-down', async () => {
    let now = 1_000_000;
    server.otherwise('GET /api/things', reply.error(500, 'InternalServerError', 'down'));
    const { client: api } = client({
      clock: () => now,
      circuitBreaker: { failureThreshold: 3, coolDownMs: 10_000 },
    });
    for (let index = 0; index < 3; index += 1) await failure(api.send(getThing));
    expect(api.health().circuit).toMatchObject({ state: 'open', consecutiveFailures: 3 });
    const refused = await failure(api.send(getThing));
    expect(refused.message).toMatch(/circuit open/);
    expect(refused.retryAfterSeconds).toBe(10);
    expect(server.requests).toHaveLength(3);

    now += 10_000;
    expect(api.health().circuit.state).toBe('half-open');
    server.reset();
    server.otherwise('GET /api/things', reply.json({ id: '1' }));
    await expect(api.send(getThing)).resolves.toEqual({ id: '1' });
    expect(api.health().circuit).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('limits concurrent requests per API', async () => {
    let inFlight = 0;
    let peak = 0;
    server.otherwise('GET /api/things', () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      setTimeout(() => (inFlight -= 1), 30);
      return { ...reply.json({ id: '1' }), delayMs: 30 };
    });
    const { client: api } = client({ maxConcurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, () => api.send(getThing)));
    expect(peak).toBeLessThanOrEqual(2);
    expect(server.requests).toHaveLength(6);
  });

  it('keeps the token, headers and bodies out of errors', async () => {
    server.on(
      'GET /api/things',
      reply.error(400, 'BadRequest', 'Bad header: Bearer SECRET-TOKEN-1 eyJhbGciOi.eyJzdWIi.abc'),
    );
    const error = await failure(client().client.send(getThing));
    const everything = `${inspect(error, { depth: 5 })} ${JSON.stringify(error)} ${error.userMessage}`;
    expect(everything).not.toContain('SECRET-TOKEN');
    expect(everything).not.toContain('eyJhbGciOi');
    expect(everything.toLowerCase()).not.toContain('authorization');
  });
});
