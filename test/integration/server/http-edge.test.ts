import { silentLogger } from '../../../src/logger';
import { createHttpServer, type MessageProcessor, type RunningServer } from '../../../src/server/http-server';
import { personalMessage } from '../../support/activities';

/** The HTTP edge alone, with a processor we control: validation, limits, readiness and draining. */
function slowProcessor(delayMs: number): MessageProcessor & { processed: number } {
  const processor = {
    processed: 0,
    async process(_request: unknown, response: { send(status: number, body: unknown): void }) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      processor.processed += 1;
      response.send(200, { ok: true });
    },
  };
  return processor as unknown as MessageProcessor & { processed: number };
}

async function start(processor: MessageProcessor, ready = true): Promise<RunningServer> {
  const http = createHttpServer({
    logger: silentLogger(),
    messages: processor,
    readiness: () => ({ ready, checks: { store: ready ? 'ok' : 'starting' } }),
    maxBodyBytes: 64 * 1024,
  });
  return http.listen(0, '127.0.0.1');
}

const postJson = (url: string, body: string) =>
  fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the HTTP edge', () => {
  let server: RunningServer;
  const processor = slowProcessor(0);
  beforeAll(async () => {
    server = await start(processor);
  });
  afterAll(() => server.stop(100));

  it.each([
    ['not JSON', '{"type": "message",', 400],
    ['an array', '[]', 400],
    ['an object without type', '{"conversation": {"id": "c"}}', 400],
    ['an activity without conversation', '{"type": "message", "serviceUrl": "http://127.0.0.1:9/"}', 400],
  ])('answers %s with a 4xx and a reason, without a stack', async (_name, body, status) => {
    const response = await postJson(server.url, body);
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/\s+at .*:\d+:\d+/);
  });

  it('refuses bodies over the size limit with 413', async () => {
    const huge = JSON.stringify({ ...personalMessage('x'), text: 'a'.repeat(70 * 1024) });
    const response = await postJson(server.url, huge);
    expect(response.status).toBe(413);
  });

  it('returns a correlation id on every response, and keeps a well-formed one the caller sent', async () => {
    const generated = await fetch(`${server.url}/healthz`);
    expect(generated.headers.get('x-correlation-id')).toMatch(/^[\w-]{8,64}$/);
    const kept = await fetch(`${server.url}/healthz`, { headers: { 'x-correlation-id': 'caller-chosen-123' } });
    expect(kept.headers.get('x-correlation-id')).toBe('caller-chosen-123');
    const replaced = await fetch(`${server.url}/healthz`, { headers: { 'x-correlation-id': '<script>' } });
    expect(replaced.headers.get('x-correlation-id')).not.toBe('<script>');
  });

  it('answers unknown paths with 404', async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });
});

describe('readiness', () => {
  it('is 503 with the checks until dependencies are ready', async () => {
    const server = await start(slowProcessor(0), false);
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'not_ready', checks: { store: 'starting' } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await server.stop(100);
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight turns, then stops accepting', async () => {
    const processor = slowProcessor(400);
    const server = await start(processor);
    const inFlight = postJson(server.url, JSON.stringify(personalMessage('help')));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.inFlight()).toBe(1);
    const stopped = server.stop(5000);
    const response = await inFlight;
    expect(response.status).toBe(200);
    await stopped;
    expect(processor.processed).toBe(1);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
