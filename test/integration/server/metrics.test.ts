import { cardAction, channelMessage, personalMessage } from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot-harness';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { defaultFakeUsage, FakeLlmClient } from '../../support/fake-llm';
import { parseExposition, sampleValue, type Sample } from '../../unit/metrics/exposition';

/** GET /metrics after a few real turns: the listed series, with the right labels and counts. */
const explanation = {
  headline: 'Someone tried to read passwords from memory on a server.',
  whatHappened: 'A program opened the memory of the Windows sign-in process on a server.',
  whyItMatters: 'Stolen passwords let an attacker sign in as real employees.',
  immediateRisk: { level: 'critical', rationale: 'Credential theft on a server, not resolved.' },
  recommendedActions: ['Isolate the server.', 'Reset the passwords of accounts that signed in to it.'],
  techniques: [{ id: 'T1003.001', name: 'LSASS Memory', tactics: ['Credential Access'] }],
  keyEntities: [],
};

let connector: FakeConnector;
let llm: FakeLlmClient;
let testBot: TestBot;

beforeAll(async () => {
  connector = await startFakeConnector();
  llm = new FakeLlmClient({ model: 'metered-model' });
  testBot = await startTestBot({ overrides: { llm } });
});
afterAll(async () => {
  await testBot.stop();
  await connector.stop();
});

async function scrape(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/metrics`, { headers });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/** Deferred answers are counted when their work ends, just after the update reaches Teams: poll briefly. */
async function scrapeUntil(ready: (samples: Sample[]) => boolean): Promise<Sample[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const samples = parseExposition((await scrape(testBot.url)).text);
    if (ready(samples) || Date.now() > deadline) return samples;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('GET /metrics', () => {
  it('counts turns, card actions, latency, LLM tokens and errors, and shows the feed and process gauges', async () => {
    // A message answered in the turn.
    expect((await testBot.post(personalMessage('help'))).status).toBe(200);

    // An LLM answer after a working card (deferred past the turn).
    llm.answer(explanation);
    connector.reset();
    await testBot.post(channelMessage('explain alert da-1004', { serviceUrl: connector.url, expectReplies: false }));
    await connector.waitForCalls(2, 20_000);

    // A hunt whose LLM call fails: the offline templates answer, the failure is counted by code.
    llm.unavailable();
    connector.reset();
    await testBot.post(
      channelMessage('hunt for encoded PowerShell', { serviceUrl: connector.url, expectReplies: false }),
    );
    await connector.waitForCalls(2, 20_000);

    // Card actions: one answered, one refused (a button without its alert id).
    expect((await testBot.post(cardAction('showHelp', {}, { serviceUrl: connector.url }))).status).toBe(200);
    await testBot.post(cardAction('explainAlert', { alertId: '' }, { serviceUrl: connector.url }));

    const samples = await scrapeUntil(
      (current) =>
        sampleValue(current, 'soc_copilot_turns_total', { capability: 'huntForThreat', outcome: 'ok' }) === 1 &&
        sampleValue(current, 'soc_copilot_turns_total', { capability: 'explainAlertById', outcome: 'ok' }) === 1,
    );
    const turns = 'soc_copilot_turns_total';
    expect(sampleValue(samples, turns, { capability: 'help', outcome: 'ok' })).toBe(1);
    expect(sampleValue(samples, turns, { capability: 'explainAlertById', outcome: 'ok' })).toBe(1);
    expect(sampleValue(samples, turns, { capability: 'huntForThreat', outcome: 'ok' })).toBe(1);
    const invokes = 'soc_copilot_invokes_total';
    expect(sampleValue(samples, invokes, { verb: 'showHelp', outcome: 'ok' })).toBe(1);
    expect(sampleValue(samples, invokes, { verb: 'explainAlert', outcome: 'error' })).toBe(1);
    expect(sampleValue(samples, invokes, { verb: 'explainAlert', outcome: 'ok' })).toBeUndefined();

    const latency = 'soc_copilot_request_duration_seconds';
    expect(sampleValue(samples, `${latency}_count`, { kind: 'message', capability: 'help' })).toBe(1);
    expect(sampleValue(samples, `${latency}_count`, { kind: 'message', capability: 'explainAlertById' })).toBe(1);
    expect(sampleValue(samples, `${latency}_count`, { kind: 'invoke', capability: 'showHelp' })).toBe(1);
    expect(sampleValue(samples, `${latency}_bucket`, { kind: 'message', capability: 'help', le: '+Inf' })).toBe(1);

    const llmLabels = { provider: 'openai', model: 'metered-model' };
    const tokens = 'soc_copilot_llm_tokens_total';
    expect(sampleValue(samples, tokens, { ...llmLabels, type: 'prompt' })).toBe(defaultFakeUsage.promptTokens);
    expect(sampleValue(samples, tokens, { ...llmLabels, type: 'completion' })).toBe(defaultFakeUsage.completionTokens);
    expect(sampleValue(samples, 'soc_copilot_llm_requests_total', { ...llmLabels, outcome: 'ok' })).toBe(1);
    expect(sampleValue(samples, 'soc_copilot_llm_errors_total', { code: 'llm_unavailable' })).toBe(1);

    expect(sampleValue(samples, 'soc_copilot_alert_outbox_depth')).toBe(0);
    expect(samples.some((sample) => sample.name.startsWith('soc_copilot_alert_post_lag_seconds'))).toBe(true);
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('answers in the Prometheus text format, open without METRICS_TOKEN', async () => {
    const response = await scrape(testBot.url);
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.text).toContain('# TYPE soc_copilot_turns_total counter');
  });

  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const token = 'scrape-token-for-the-metrics-test';
    const guarded = await startTestBot({ environment: { METRICS_TOKEN: token } });
    try {
      const anonymous = await scrape(guarded.url);
      expect(anonymous.status).toBe(401);
      expect(anonymous.text).not.toContain('soc_copilot_');
      expect((await scrape(guarded.url, { authorization: 'Bearer not-the-token' })).status).toBe(401);
      const allowed = await scrape(guarded.url, { authorization: `Bearer ${token}` });
      expect(allowed.status).toBe(200);
      expect(allowed.text).toContain('soc_copilot_turns_total');
    } finally {
      await guarded.stop();
    }
  });
});
