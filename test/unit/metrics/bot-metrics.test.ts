import { BotMetrics, outboxDepth, scrapeAllowed } from '../../../src/metrics';
import { MeteredLlmClient } from '../../../src/llm/metered-client';
import { CopilotError } from '../../../src/errors';
import { MemoryStore } from '../../../src/store';
import { feedKeys } from '../../../src/feed/model';
import type { LlmClient } from '../../../src/llm/port';
import { z } from 'zod';
import { parseExposition, sampleValue } from './exposition';

async function samplesOf(metrics: BotMetrics) {
  return parseExposition(await metrics.scrape());
}

describe('BotMetrics', () => {
  it('has a registry of its own: two instances never share series', async () => {
    const first = new BotMetrics();
    const second = new BotMetrics();
    first.observeTurn({ kind: 'message', capability: 'help', outcome: 'ok', seconds: 0.01 });
    expect(sampleValue(await samplesOf(first), 'soc_copilot_turns_total', { capability: 'help' })).toBe(1);
    expect(sampleValue(await samplesOf(second), 'soc_copilot_turns_total', { capability: 'help' })).toBeUndefined();
    expect(first.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('counts messages by capability and outcome, card actions by verb, and latency per capability', async () => {
    const metrics = new BotMetrics();
    metrics.observeTurn({ kind: 'message', capability: 'huntForThreat', outcome: 'ok', seconds: 0.3 });
    metrics.observeTurn({ kind: 'message', capability: 'huntForThreat', outcome: 'error', seconds: 12 });
    metrics.observeTurn({ kind: 'invoke', capability: 'explainAlert', outcome: 'ok', seconds: 2 });
    const samples = await samplesOf(metrics);
    const turns = 'soc_copilot_turns_total';
    expect(sampleValue(samples, turns, { capability: 'huntForThreat', outcome: 'ok' })).toBe(1);
    expect(sampleValue(samples, turns, { capability: 'huntForThreat', outcome: 'error' })).toBe(1);
    expect(sampleValue(samples, 'soc_copilot_invokes_total', { verb: 'explainAlert', outcome: 'ok' })).toBe(1);
    const histogram = 'soc_copilot_request_duration_seconds';
    const hunt = { kind: 'message', capability: 'huntForThreat' };
    expect(sampleValue(samples, `${histogram}_count`, hunt)).toBe(2);
    expect(sampleValue(samples, `${histogram}_bucket`, { ...hunt, le: '0.5' })).toBe(1);
    expect(sampleValue(samples, `${histogram}_bucket`, { ...hunt, le: '30' })).toBe(2);
    expect(sampleValue(samples, `${histogram}_bucket`, { ...hunt, le: '0.05' })).toBe(0);
    expect(sampleValue(samples, `${histogram}_count`, { kind: 'invoke', capability: 'explainAlert' })).toBe(1);
  });

  it('reads the outbox depth and the circuit states when scraped', async () => {
    const metrics = new BotMetrics();
    const store = new MemoryStore();
    await store.put(feedKeys.outbox('19:a@thread.tacv2', 'da-1'), {});
    await store.put(feedKeys.outbox('19:b@thread.tacv2', 'da-1'), {});
    await store.put(feedKeys.alert('da-1'), {});
    let circuit: 'closed' | 'open' | 'half-open' = 'closed';
    metrics.setProbes({
      outboxDepth: () => outboxDepth(store),
      circuits: () => [
        { api: 'Microsoft Graph', circuit },
        { api: 'Log Analytics', circuit: 'closed' },
      ],
    });
    let samples = await samplesOf(metrics);
    expect(sampleValue(samples, 'soc_copilot_alert_outbox_depth')).toBe(2);
    const state = 'soc_copilot_dependency_circuit_state';
    expect(sampleValue(samples, state, { api: 'Microsoft Graph', state: 'closed' })).toBe(1);
    expect(sampleValue(samples, state, { api: 'Microsoft Graph', state: 'open' })).toBe(0);
    circuit = 'open';
    samples = await samplesOf(metrics);
    expect(sampleValue(samples, state, { api: 'Microsoft Graph', state: 'closed' })).toBe(0);
    expect(sampleValue(samples, state, { api: 'Microsoft Graph', state: 'open' })).toBe(1);
    expect(sampleValue(samples, state, { api: 'Log Analytics', state: 'closed' })).toBe(1);
  });

  it('observes the alert posting lag', async () => {
    const metrics = new BotMetrics();
    metrics.observeAlertPosted(3);
    metrics.observeAlertPosted(-1);
    const samples = await samplesOf(metrics);
    expect(sampleValue(samples, 'soc_copilot_alert_post_lag_seconds_count')).toBe(2);
    expect(sampleValue(samples, 'soc_copilot_alert_post_lag_seconds_bucket', { le: '0.1' })).toBe(1);
  });

  it('adds the process metrics only when asked, once', async () => {
    const metrics = new BotMetrics();
    expect(sampleValue(await samplesOf(metrics), 'process_cpu_user_seconds_total')).toBeUndefined();
    metrics.enableProcessMetrics();
    metrics.enableProcessMetrics();
    const samples = await samplesOf(metrics);
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });
});

describe('MeteredLlmClient', () => {
  const request = { schemaName: 'test', schema: z.object({ ok: z.boolean() }), messages: [] };

  it('counts tokens by type and failures by code', async () => {
    const metrics = new BotMetrics();
    let fail = false;
    const inner: LlmClient = {
      provider: 'azure-openai',
      model: 'gpt-test',
      async generateStructured<T>() {
        if (fail) throw new CopilotError('llm_timeout', 'took too long');
        return {
          value: { ok: true } as T,
          model: 'gpt-test-2025',
          usage: { promptTokens: 100, completionTokens: 20, totalTokens: 120 },
          attempts: 1,
        };
      },
    };
    const client = new MeteredLlmClient(inner, metrics);
    expect(client.model).toBe('gpt-test');
    await client.generateStructured(request);
    await client.generateStructured(request);
    fail = true;
    await expect(client.generateStructured(request)).rejects.toThrow('took too long');
    const samples = await samplesOf(metrics);
    const labels = { provider: 'azure-openai', model: 'gpt-test' };
    expect(sampleValue(samples, 'soc_copilot_llm_tokens_total', { ...labels, type: 'prompt' })).toBe(200);
    expect(sampleValue(samples, 'soc_copilot_llm_tokens_total', { ...labels, type: 'completion' })).toBe(40);
    expect(sampleValue(samples, 'soc_copilot_llm_requests_total', { ...labels, outcome: 'ok' })).toBe(2);
    expect(sampleValue(samples, 'soc_copilot_llm_requests_total', { ...labels, outcome: 'error' })).toBe(1);
    expect(sampleValue(samples, 'soc_copilot_llm_errors_total', { code: 'llm_timeout' })).toBe(1);
  });
});

describe('scrapeAllowed', () => {
  const token = 'a-metrics-token-of-32-characters';

  it('lets every scrape through when no token is configured', () => {
    expect(scrapeAllowed(undefined, undefined)).toBe(true);
  });

  it('needs the exact bearer token when one is configured', () => {
    expect(scrapeAllowed(`Bearer ${token}`, token)).toBe(true);
    expect(scrapeAllowed(`bearer ${token}`, token)).toBe(true);
    expect(scrapeAllowed(undefined, token)).toBe(false);
    expect(scrapeAllowed('', token)).toBe(false);
    expect(scrapeAllowed(token, token)).toBe(false);
    expect(scrapeAllowed(`Bearer ${token}x`, token)).toBe(false);
    expect(scrapeAllowed(`Basic ${token}`, token)).toBe(false);
  });
});
