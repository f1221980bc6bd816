import { cardAction, channelMessage, personalMessage } from '../../support/activities';
import { startTestBot, useConnectedBot } from '../../support/bot-harness';
import { defaultFakeUsage, da1004Explanation, FakeLlmClient } from '../../support/fake-llm';
import { parseExposition, sampleValue, type Sample } from '../../unit/metrics/exposition';

/** GET /metrics after a few real turns: the listed series, with the right labels and counts. */
const llm = new FakeLlmClient({ model: 'metered-model' });
const harness = useConnectedBot({ overrides: { llm } });

async function scrape(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/metrics`, { headers });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/** Deferred answers are counted when their work ends, just after the update reaches Teams: poll briefly. */
async function scrapeUntil(ready: (samples: Sample[]) => boolean): Promise<Sample[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const samples = parseExposition((await scrape(harness.testBot.url)).text);
    if (ready(samples) || Date.now() > deadline) return samples;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('GET /metrics', () => {
  it('counts turns, card actions, latency, LLM tokens and errors, and shows the feed and process gauges', async () => {
    // A message answered in the turn.
    expect((await harness.testBot.post(personalMessage('help'))).status).toBe(200);

    // An LLM answer after a working card (deferred past the turn).
    llm.answer(da1004Explanation);
    harness.connector.reset();
    await harness.testBot.post(
      channelMessage('explain alert da-1004', { serviceUrl: harness.connector.url, expectReplies: false }),
    );
    await harness.connector.waitForCalls(2, 20_000);

    // A hunt whose LLM call fails: the offline templates answer, the failure is counted by code.
    llm.unavailable();
    harness.connector.reset();
    await harness.testBot.post(
      channelMessage('hunt for encoded PowerShell', { serviceUrl: harness.connector.url, expectReplies: false }),
    );
    await harness.connector.waitForCalls(2, 20_000);

    // Card actions: one answered, one refused (a button without its alert id).
    expect((await harness.testBot.post(cardAction('showHelp', {}, { serviceUrl: harness.connector.url }))).status).toBe(
      200,
    );
    await harness.testBot.post(cardAction('explainAlert', { alertId: '' }, { serviceUrl: harness.connector.url }));

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

    // One LLM failure does not open the model's circuit: the gauge shows it closed (demo data has no APIs).
    const circuit = 'soc_copilot_dependency_circuit_state';
    expect(sampleValue(samples, circuit, { api: 'language model', state: 'closed' })).toBe(1);
    expect(sampleValue(samples, circuit, { api: 'language model', state: 'open' })).toBe(0);

    expect(sampleValue(samples, 'soc_copilot_alert_outbox_depth')).toBe(0);
    expect(samples.some((sample) => sample.name.startsWith('soc_copilot_alert_post_lag_seconds'))).toBe(true);
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('answers in the Prometheus text format, open without METRICS_TOKEN', async () => {
    const response = await scrape(harness.testBot.url);
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
