import { AuditTrail, estimateCostUsd } from '../../../src/audit/trail';
import { loadConfig } from '../../../src/config';
import { MemoryStore } from '../../../src/store';

describe('estimated LLM cost in the audit trail', () => {
  it('prices prompt and completion tokens separately, to a hundredth of a cent', () => {
    const prices = { promptPer1k: 0.15, completionPer1k: 0.6 };
    expect(estimateCostUsd({ prompt: 1200, completion: 340, total: 1540 }, prices)).toBe(0.384);
    expect(estimateCostUsd({ prompt: 100_000, completion: 20_000, total: 120_000 }, prices)).toBe(27);
    expect(estimateCostUsd(undefined, prices)).toBeUndefined();
    expect(estimateCostUsd({ prompt: 1, completion: 1, total: 2 }, undefined)).toBeUndefined();
  });

  it('adds the estimate to records with tokens when prices are configured', async () => {
    const store = new MemoryStore();
    const trail = new AuditTrail(store, () => new Date('2026-11-27T12:00:00Z'), {
      promptPer1k: 2.5,
      completionPer1k: 10,
    });
    const key = await trail.append({
      at: '2026-11-27T12:00:00.000Z',
      kind: 'message',
      capability: 'explainAlertById',
      actor: { userId: '29:a' },
      where: { conversationKind: 'personal', conversationId: 'a:1' },
      inputs: {},
      engine: { kind: 'llm', provider: 'openai', model: 'gpt-4o' },
      tokens: { prompt: 2000, completion: 500, total: 2500 },
      durationMs: 10,
      outcome: 'ok',
      correlationId: 'c',
    });
    expect((await store.get<{ estimatedCostUsd?: number }>(key))?.value.estimatedCostUsd).toBe(10);
  });

  it('reads both prices from the configuration, or none', () => {
    expect(
      loadConfig({ LLM_PRICE_PER_1K_PROMPT_TOKENS: '0.15', LLM_PRICE_PER_1K_COMPLETION_TOKENS: '0.6' }).audit.prices,
    ).toEqual({ promptPer1k: 0.15, completionPer1k: 0.6 });
    expect(loadConfig({ LLM_PRICE_PER_1K_PROMPT_TOKENS: '0.15' }).audit.prices).toBeUndefined();
    expect(() => loadConfig({ LLM_PRICE_PER_1K_PROMPT_TOKENS: '-1' })).toThrow(/LLM_PRICE_PER_1K_PROMPT_TOKENS/);
  });
});
