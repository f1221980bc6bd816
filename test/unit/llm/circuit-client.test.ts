import { z } from 'zod';
import { CopilotError } from '../../../src/errors';
import { CircuitBreakingLlmClient, withLlmCircuit } from '../../../src/llm/circuit-client';
import { FakeLlmClient } from '../../support/fake-llm';

const Answer = z.object({ text: z.string() });
const request = { schemaName: 'answer', schema: Answer, messages: [{ role: 'user' as const, content: 'hi' }] };

function setup(threshold = 3) {
  let now = Date.parse('2026-11-27T14:00:00Z');
  const inner = new FakeLlmClient();
  const client = new CircuitBreakingLlmClient(inner, { failureThreshold: threshold, coolDownMs: 30_000 }, () => now);
  return { inner, client, advance: (ms: number) => (now += ms) };
}

const call = (client: CircuitBreakingLlmClient) =>
  client.generateStructured(request).then(
    (response) => response.value.text,
    (error: CopilotError) => `${error.code}: ${error.userMessage}`,
  );

describe('CircuitBreakingLlmClient', () => {
  it('opens after consecutive outages, fails fast with a note-ready message, and closes after a good trial', async () => {
    const { inner, client, advance } = setup();
    inner
      .unavailable()
      .fail(new CopilotError('llm_timeout', 'slow', { retryable: true }))
      .unavailable();
    for (let index = 0; index < 3; index += 1) await call(client);
    expect(client.circuit).toBe('open');

    const refused = await call(client);
    expect(refused).toBe(
      'llm_unavailable: The language model is not reachable right now (it failed 3 times in a row; I will try it ' +
        'again after 14:00:30 UTC).',
    );
    expect(inner.calls).toHaveLength(3);

    advance(30_000);
    expect(client.circuit).toBe('half-open');
    inner.answer({ text: 'back' });
    expect(await call(client)).toBe('back');
    expect(client.circuit).toBe('closed');
  });

  it('a failed trial re-opens it at once', async () => {
    const { inner, client, advance } = setup(2);
    inner.unavailable().unavailable();
    await call(client);
    await call(client);
    advance(30_000);
    inner.unavailable();
    await call(client);
    expect(client.circuit).toBe('open');
    expect(inner.calls).toHaveLength(3);
  });

  it('throttling, refusals and unusable answers mean the provider is up: they do not open it', async () => {
    const { inner, client } = setup(2);
    inner.unavailable();
    inner.rateLimited(5);
    inner.unavailable();
    inner.fail(new CopilotError('llm_invalid_output', 'garbage'));
    inner.fail(new CopilotError('llm_unavailable', 'rejected', { retryable: false }));
    inner.unavailable();
    for (let index = 0; index < 6; index += 1) await call(client);
    expect(client.circuit).toBe('closed');
  });

  it('is switched off with a threshold of 0', () => {
    const inner = new FakeLlmClient();
    expect(withLlmCircuit(inner, { failureThreshold: 0, coolDownMs: 1 })).toEqual({ llm: inner });
    expect(withLlmCircuit(undefined, { failureThreshold: 3, coolDownMs: 1 })).toEqual({ llm: undefined });
  });
});
