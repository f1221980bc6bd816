import type { TokenCredential } from '@azure/identity';
import { CopilotError } from '../../../src/errors';
import { createLlmClient } from '../../../src/llm/openai-client';
import type { FakeOpenAiServer } from '../../support/fake-openai';
import { chatMessagesOf, fakeReply, startFakeOpenAi, stopFakeOpenAi } from '../../support/fake-openai';
import type { Doubles } from './client-harness';
import {
  apiKey,
  attackerText,
  compatibleClient,
  goodVerdict,
  makeDoubles,
  rejectionOf,
  verdictRequest,
} from './client-harness';

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

describe('OpenAiLlmClient structured output (openai-compatible)', () => {
  it('returns the validated value, the server-reported model, usage and one attempt', async () => {
    server.enqueue(
      fakeReply.json(goodVerdict, {
        model: 'qwen2.5-7b-instruct',
        usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 },
      }),
    );
    const client = compatibleClient(server, doubles);

    const response = await client.generateStructured(verdictRequest());

    expect(response).toEqual({
      value: goodVerdict,
      model: 'qwen2.5-7b-instruct',
      usage: { promptTokens: 120, completionTokens: 30, totalTokens: 150 },
      attempts: 1,
    });
    expect(client.provider).toBe('openai-compatible');
    expect(client.model).toBe('local-model');
  });

  it('sends a strict json_schema response format built from the zod schema, with the key as bearer', async () => {
    server.enqueue(fakeReply.json(goodVerdict));
    await compatibleClient(server, doubles).generateStructured(
      verdictRequest({ temperature: 0.1, maxOutputTokens: 800 }),
    );

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${apiKey}`);
    const body = request.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model: 'local-model',
      temperature: 0.1,
      max_tokens: 800,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'command_verdict',
          strict: true,
          schema: {
            type: 'object',
            required: ['verdict', 'confidence', 'reasons'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(body).not.toHaveProperty('stream', true);
  });

  it('keeps attacker text inside the user message only', async () => {
    server.enqueue(fakeReply.json(goodVerdict));
    await compatibleClient(server, doubles).generateStructured(verdictRequest());

    const [request] = server.requests;
    const messages = chatMessagesOf(request);
    const carrying = messages.filter((message) => message.content.includes(attackerText));
    expect(carrying).toHaveLength(1);
    expect(carrying[0].role).toBe('user');
    expect(messages.find((message) => message.role === 'system')?.content).not.toContain(attackerText);
    // Nothing else in the body (response format, model) carries it.
    const bodyText = JSON.stringify(request.body);
    expect(bodyText.split(JSON.stringify(attackerText).slice(1, -1)).length - 1).toBe(1);
  });

  it('sends a placeholder bearer token when a local server needs no key', async () => {
    server.enqueue(fakeReply.json(goodVerdict));
    await compatibleClient(server, doubles, { apiKey: undefined }).generateStructured(verdictRequest());
    expect(server.requests[0].headers.authorization).toBe('Bearer not-needed');
  });

  it('uses an injected fetch for the HTTP call', async () => {
    server.enqueue(fakeReply.json(goodVerdict));
    const fetched: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      fetched.push(String(input));
      return fetch(input, init);
    };
    const client = compatibleClient(server, doubles, { fetch: countingFetch });
    await client.generateStructured(verdictRequest());
    expect(fetched).toEqual([`${server.baseUrl}/chat/completions`]);
  });

  it('logs status, model and token counts but never the prompt, the output or the key', async () => {
    server.enqueue(
      fakeReply.rateLimited(undefined, { 'retry-after-ms': '5' }),
      fakeReply.text('not json'),
      fakeReply.json(goodVerdict),
    );
    await compatibleClient(server, doubles).generateStructured(verdictRequest());

    const logged = JSON.stringify(doubles.logs);
    expect(doubles.logs.length).toBeGreaterThanOrEqual(3);
    expect(logged).not.toContain(attackerText.slice(0, 20));
    expect(logged).not.toContain(apiKey);
    expect(logged).not.toContain('Encoded PowerShell');
    expect(logged).not.toContain('not json');
    expect(doubles.logs.find((entry) => entry.text === 'LLM structured output ready')?.details).toMatchObject({
      model: 'local-model',
      attempts: 3,
      promptTokens: expect.any(Number),
      completionTokens: expect.any(Number),
    });
  });
});

describe('OpenAiLlmClient schema re-ask', () => {
  it('re-asks once with the bad output and the zod issues, then succeeds with attempts 2 and summed usage', async () => {
    server.enqueue(
      fakeReply.json({ verdict: 'extreme', confidence: 3 }, { usage: { prompt_tokens: 100, completion_tokens: 10 } }),
      fakeReply.json(goodVerdict, { usage: { prompt_tokens: 180, completion_tokens: 25 } }),
    );
    const response = await compatibleClient(server, doubles).generateStructured(verdictRequest());

    expect(response.value).toEqual(goodVerdict);
    expect(response.attempts).toBe(2);
    expect(response.usage).toEqual({ promptTokens: 280, completionTokens: 35, totalTokens: 315 });

    const repair = chatMessagesOf(server.requests[1]);
    expect(repair).toHaveLength(4);
    expect(repair[2]).toEqual({ role: 'assistant', content: JSON.stringify({ verdict: 'extreme', confidence: 3 }) });
    expect(repair[3].role).toBe('user');
    expect(repair[3].content).toMatch(/- verdict: /);
    expect(repair[3].content).toMatch(/- confidence: /);
    expect(repair[3].content).toMatch(/- reasons: Required/);
  });

  it('re-asks after output that is not JSON', async () => {
    server.enqueue(fakeReply.text('Sure! Here is my analysis: malicious.'), fakeReply.json(goodVerdict));
    const response = await compatibleClient(server, doubles).generateStructured(verdictRequest());
    expect(response.attempts).toBe(2);
    expect(chatMessagesOf(server.requests[1])[3].content).toContain('not valid JSON');
  });

  it('accepts JSON wrapped in a Markdown code fence without re-asking', async () => {
    server.enqueue(fakeReply.text('```json\n' + JSON.stringify(goodVerdict) + '\n```'));
    const response = await compatibleClient(server, doubles).generateStructured(verdictRequest());
    expect(response).toMatchObject({ value: goodVerdict, attempts: 1 });
  });

  it('throws llm_invalid_output when the output fails the schema twice', async () => {
    server.enqueue(fakeReply.json({ verdict: 'benign' }), fakeReply.json({ verdict: 'benign', confidence: 'high' }));
    const error = await rejectionOf(compatibleClient(server, doubles).generateStructured(verdictRequest()));

    expect(error).toBeInstanceOf(CopilotError);
    expect(error).toMatchObject({ code: 'llm_invalid_output', retryable: false });
    expect((error as CopilotError).message).toContain('schema-mismatch');
    expect((error as CopilotError).message).not.toContain('benign');
    expect(server.requests).toHaveLength(2);
  });
});

describe('OpenAiLlmClient json_object fallback', () => {
  it('retries with json_object and the schema in the system message, and remembers it for the next call', async () => {
    server.enqueue(fakeReply.responseFormatUnsupported(), fakeReply.json(goodVerdict), fakeReply.json(goodVerdict));
    const client = compatibleClient(server, doubles);

    const first = await client.generateStructured(verdictRequest());
    expect(first).toMatchObject({ value: goodVerdict, attempts: 2 });
    expect(doubles.waits).toEqual([]);

    const fallback = server.requests[1].body as { response_format: unknown };
    expect(fallback.response_format).toEqual({ type: 'json_object' });
    const system = chatMessagesOf(server.requests[1])[0];
    expect(system.role).toBe('system');
    expect(system.content).toContain('You are a SOC analyst.');
    expect(system.content).toContain('"command_verdict"');
    expect(system.content).toContain('"enum":["benign","suspicious","malicious"]');

    const second = await client.generateStructured(verdictRequest());
    expect(second.attempts).toBe(1);
    expect(server.requests).toHaveLength(3);
    expect((server.requests[2].body as { response_format: unknown }).response_format).toEqual({ type: 'json_object' });
  });

  it('fails with llm_unavailable when even json_object is refused', async () => {
    server.enqueue(fakeReply.responseFormatUnsupported(), fakeReply.responseFormatUnsupported());
    const error = await rejectionOf(compatibleClient(server, doubles).generateStructured(verdictRequest()));
    expect(error).toMatchObject({ code: 'llm_unavailable', retryable: false });
    expect(server.requests).toHaveLength(2);
  });
});

describe('OpenAiLlmClient providers', () => {
  it('openai: sends max_completion_tokens to the configured base URL', async () => {
    server.enqueue(fakeReply.json(goodVerdict, { model: 'gpt-4o-mini-2024-07-18' }));
    const client = createLlmClient({
      provider: 'openai',
      apiKey,
      baseUrl: server.baseUrl,
      model: 'gpt-4o-mini',
      timeoutMs: 2_000,
      maxRetries: 0,
    });
    const response = await client.generateStructured(verdictRequest({ maxOutputTokens: 500 }));

    expect(response.model).toBe('gpt-4o-mini-2024-07-18');
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(server.requests[0].body).toMatchObject({ model: 'gpt-4o-mini', max_completion_tokens: 500 });
    expect(server.requests[0].body).not.toHaveProperty('max_tokens');
  });

  it('azure-openai: calls the deployment path with api-version and the api-key header', async () => {
    server.enqueue(fakeReply.json(goodVerdict, { model: 'gpt-4o-2024-08-06' }));
    const client = createLlmClient({
      provider: 'azure-openai',
      endpoint: `${server.url}/`,
      deployment: 'soc-gpt4o',
      apiKey: 'azure-key-abc',
      timeoutMs: 2_000,
      maxRetries: 0,
    });
    const response = await client.generateStructured(verdictRequest());

    expect(client.model).toBe('soc-gpt4o');
    expect(response.model).toBe('gpt-4o-2024-08-06');
    const [request] = server.requests;
    expect(request.path).toBe('/openai/deployments/soc-gpt4o/chat/completions');
    expect(request.deployment).toBe('soc-gpt4o');
    expect(request.query).toEqual({ 'api-version': '2024-10-21' });
    expect(request.headers['api-key']).toBe('azure-key-abc');
    expect(request.headers.authorization).toBeUndefined();
  });

  it('azure-openai: without a key, sends an Entra ID bearer token for the Cognitive Services scope', async () => {
    server.enqueue(fakeReply.json(goodVerdict));
    const scopes: string[] = [];
    const credential: TokenCredential = {
      getToken: async (scope) => {
        scopes.push(...(Array.isArray(scope) ? scope : [scope]));
        return { token: 'entra-token-xyz', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const client = createLlmClient({
      provider: 'azure-openai',
      endpoint: server.url,
      deployment: 'soc-gpt4o',
      apiVersion: '2024-08-01-preview',
      credential,
      timeoutMs: 2_000,
      maxRetries: 0,
    });
    await client.generateStructured(verdictRequest());

    expect(scopes).toEqual(['https://cognitiveservices.azure.com/.default']);
    expect(server.requests[0].headers.authorization).toBe('Bearer entra-token-xyz');
    expect(server.requests[0].headers['api-key']).toBeUndefined();
    expect(server.requests[0].query['api-version']).toBe('2024-08-01-preview');
  });

  it('azure-openai: a credential that cannot get a token is llm_auth_failed, before any request', async () => {
    const credential: TokenCredential = {
      getToken: async () => {
        throw new Error('ManagedIdentityCredential: no managed identity endpoint found');
      },
    };
    const client = createLlmClient({
      provider: 'azure-openai',
      endpoint: server.url,
      deployment: 'soc-gpt4o',
      credential,
      timeoutMs: 2_000,
      maxRetries: 2,
      sleep: doubles.sleep,
    });
    const error = await rejectionOf(client.generateStructured(verdictRequest()));
    expect(error).toMatchObject({ code: 'llm_auth_failed', retryable: false });
    expect(server.requests).toHaveLength(0);
    expect(doubles.waits).toEqual([]);
  });
});
