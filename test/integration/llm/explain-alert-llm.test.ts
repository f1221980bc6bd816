import { alertExplanationCard } from '../../../src/cards';
import { explainAlert } from '../../../src/copilot/explain-alert';
import { explainAlertOffline } from '../../../src/copilot/explain-alert/offline';
import type { AlertExplanation } from '../../../src/copilot/explain-alert/schema';
import { defaultAttackKnowledge } from '../../../src/intel/attack/facts';
import { createLlmClient } from '../../../src/llm';
import type { LlmClient } from '../../../src/llm';
import { silentLogger } from '../../../src/logger';
import { expectValidCard, makeAlert } from '../../support/cards';
import type { FakeOpenAiServer } from '../../support/fake-openai';
import { chatMessagesOf, fakeReply, startFakeOpenAi, stopFakeOpenAi } from '../../support/fake-openai';

/**
 * explain-alert through the real openai adapter against the loopback OpenAI-compatible server: what the
 * capability sends on the wire, and how it answers when the provider is slow, down or talks nonsense.
 */

const attack = defaultAttackKnowledge();
const logger = silentLogger();
const fixedNow = new Date('2025-06-01T12:00:00.000Z');

let server: FakeOpenAiServer;
let waits: number[];

beforeAll(async () => {
  server = await startFakeOpenAi();
});

afterAll(async () => {
  await stopFakeOpenAi(server);
});

beforeEach(() => {
  server.reset();
  waits = [];
});

function client(): LlmClient {
  return createLlmClient({
    provider: 'openai-compatible',
    baseUrl: server.baseUrl,
    apiKey: 'sk-test-explain-alert',
    model: 'local-model',
    timeoutMs: 5_000,
    maxRetries: 2,
    // The waits are recorded instead of slept, so Retry-After is asserted exactly and the test stays fast.
    sleep: async (milliseconds) => {
      waits.push(milliseconds);
    },
    random: () => 0.5,
  });
}

const answer: AlertExplanation = {
  headline: 'Someone ran a hidden PowerShell command on WS-0142 that downloaded a script from the internet.',
  whatHappened: 'On WS-0142, alice@contoso.com started PowerShell with a hidden command that downloaded a script.',
  whyItMatters: 'Attackers use hidden PowerShell to install malware and take control of computers.',
  immediateRisk: { level: 'high', rationale: 'The script ran and reached an outside address.' },
  recommendedActions: ['Isolate WS-0142 from the network.', 'Reset the password of alice@contoso.com.'],
  techniques: [{ id: 'T1059.001', name: 'PowerShell', tactics: ['Execution'] }],
  keyEntities: [
    { type: 'account', value: 'alice@contoso.com' },
    { type: 'ip', value: '203.0.113.7' },
  ],
};

function explain(llm: LlmClient = client()) {
  return explainAlert(makeAlert(), { attack, llm, logger, clock: () => fixedNow });
}

/** Every key anywhere in a JSON schema. */
function schemaKeywords(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => schemaKeywords(item, found));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      found.add(key);
      schemaKeywords(value, found);
    }
  }
  return found;
}

describe('explain-alert through the openai adapter', () => {
  it('sends a strict json_schema named alert_explanation that OpenAI accepts, and keeps the answer', async () => {
    server.enqueue(
      fakeReply.json(answer, {
        model: 'qwen2.5-14b-instruct',
        usage: { prompt_tokens: 1800, completion_tokens: 350, total_tokens: 2150 },
      }),
    );

    const result = await explain();

    expect(result.engine).toEqual({
      kind: 'llm',
      provider: 'openai-compatible',
      model: 'qwen2.5-14b-instruct',
      usage: { promptTokens: 1800, completionTokens: 350, totalTokens: 2150 },
      durationMs: expect.any(Number),
    });
    expect(result.notes).toEqual([]);
    expect(result.result.techniques).toEqual([
      { id: 'T1059.001', name: 'Command and Scripting Interpreter: PowerShell', tactics: ['Execution'] },
    ]);
    expect(result.result.keyEntities).toEqual(answer.keyEntities);
    expectValidCard(alertExplanationCard(result, makeAlert()));

    expect(server.requests).toHaveLength(1);
    const body = server.requests[0].body as {
      model: string;
      temperature: number;
      max_tokens: number;
      response_format: { type: string; json_schema: { name: string; strict: boolean; schema: unknown } };
    };
    expect(body.model).toBe('local-model');
    expect(body.temperature).toBe(0.2);
    expect(body.max_tokens).toBeGreaterThan(0);
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.name).toBe('alert_explanation');
    expect(body.response_format.json_schema.strict).toBe(true);
    // OpenAI's strict mode rejects the whole request when the schema uses these.
    const keywords = schemaKeywords(body.response_format.json_schema.schema);
    expect(keywords.has('properties')).toBe(true);
    expect(keywords.has('minLength')).toBe(false);
    expect(keywords.has('maxLength')).toBe(false);

    const [system, user] = chatMessagesOf(server.requests[0]);
    expect(system.role).toBe('system');
    expect(user.content).toMatch(/UNTRUSTED_DATA_BEGIN [0-9a-f]{16} \(alert:/);
    expect(user.content).toContain('alice@contoso.com');
  });

  it('waits as Retry-After says after a 429, then answers with the LLM', async () => {
    server.enqueue(fakeReply.rateLimited(3), fakeReply.json(answer));

    const result = await explain();

    expect(result.engine.kind).toBe('llm');
    expect(result.notes).toEqual([]);
    expect(waits).toEqual([3000]);
    expect(server.requests).toHaveLength(2);
  });

  it('answers offline with a note when the server keeps failing with 500', async () => {
    server.enqueue(fakeReply.serverError(), fakeReply.serverError(), fakeReply.serverError());

    const result = await explain();

    expect(result.engine.kind).toBe('offline');
    expect(result.result).toEqual(explainAlertOffline(makeAlert(), attack));
    expect(result.notes).toEqual([
      'The language model is not reachable right now. This answer comes from the offline engine instead.',
    ]);
    expect(server.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expectValidCard(alertExplanationCard(result, makeAlert()));
  });

  it('answers offline with a note when the output fails the schema twice', async () => {
    server.enqueue(
      fakeReply.json({ ...answer, immediateRisk: { level: 'benign', rationale: 'The alert says so.' } }),
      fakeReply.text('I think this alert is fine.'),
    );

    const result = await explain();

    expect(result.engine.kind).toBe('offline');
    expect(result.notes).toEqual([
      'The language model returned an answer I could not use. This answer comes from the offline engine instead.',
    ]);
    expect(server.requests).toHaveLength(2);
    // The second request asked again, saying what was wrong.
    const repair = chatMessagesOf(server.requests[1]);
    expect(repair[repair.length - 1].content).toContain('immediateRisk.level');
    expect(server.pending()).toBe(0);
  });

  it('keeps a good second answer after one that failed the schema', async () => {
    server.enqueue(fakeReply.text('{"headline": 42}'), fakeReply.json(answer));

    const result = await explain();

    expect(result.engine.kind).toBe('llm');
    expect(result.result.headline).toBe(answer.headline);
    expect(server.requests).toHaveLength(2);
  });
});
