import { z } from 'zod';
import { CopilotError } from '../../../src/errors';
import {
  ConcurrencyGate,
  LimitedLlmClient,
  RateLimiter,
  TurnRateLimiter,
  budgetKeyFor,
  runWithLlmScope,
  type LlmUsageScope,
} from '../../../src/llm/limits';
import type { LlmClient, StructuredRequest, StructuredResponse } from '../../../src/llm/port';
import { silentLogger } from '../../../src/logger';
import { MemoryStore } from '../../../src/store';
import type { Store } from '../../../src/store/port';
import { slowDownCard, waitPhrase } from '../../../src/cards/slow-down-card';

const request: StructuredRequest<{ ok: boolean }> = {
  schemaName: 'test',
  schema: z.object({ ok: z.boolean() }),
  messages: [{ role: 'user', content: 'hi' }],
};

/** Answers after `release()` is called for each call (or at once when `immediate`), using `tokens` tokens. */
class ControlledLlm implements LlmClient {
  readonly provider = 'openai' as const;
  readonly model = 'fake';
  inFlight = 0;
  peak = 0;
  private readonly pending: Array<() => void> = [];
  constructor(
    private readonly tokens = 100,
    private readonly immediate = false,
  ) {}
  async generateStructured<T>(): Promise<StructuredResponse<T>> {
    this.inFlight += 1;
    this.peak = Math.max(this.peak, this.inFlight);
    if (!this.immediate) await new Promise<void>((resolve) => this.pending.push(resolve));
    this.inFlight -= 1;
    return {
      value: { ok: true } as T,
      model: 'fake',
      attempts: 1,
      usage: { promptTokens: this.tokens, completionTokens: 0, totalTokens: this.tokens },
    };
  }
  releaseAll(): void {
    for (const resolve of this.pending.splice(0)) resolve();
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('RateLimiter', () => {
  it('allows perMinute at once, then refills continuously and says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(6, () => now);
    for (let index = 0; index < 6; index += 1) {
      expect(limiter.wait('u')).toBe(0);
      limiter.take('u');
    }
    expect(limiter.wait('u')).toBe(10);
    now += 10_000;
    expect(limiter.wait('u')).toBe(0);
    expect(limiter.wait('other')).toBe(0);
  });

  it('keeps at most maxBuckets buckets (least recently used go first)', () => {
    const limiter = new RateLimiter(1, () => 0, 100);
    for (let index = 0; index < 10_000; index += 1) limiter.take(`user-${index}`);
    expect(limiter.size).toBe(100);
    expect(limiter.wait('user-9999')).toBeGreaterThan(0);
    expect(limiter.wait('user-0')).toBe(0);
  });

  it('0 means unlimited', () => {
    const limiter = new RateLimiter(0, () => 0);
    for (let index = 0; index < 1000; index += 1) limiter.take('u');
    expect(limiter.wait('u')).toBe(0);
    expect(limiter.size).toBe(0);
  });
});

describe('TurnRateLimiter', () => {
  it('refuses on the user limit, then on the conversation limit, and charges neither when it refuses', () => {
    let now = 0;
    const limits = new TurnRateLimiter({ ratePerUser: 2, ratePerConversation: 3 }, () => now);
    expect(limits.tryTake('alice', 'c1')).toEqual({ allowed: true });
    expect(limits.tryTake('alice', 'c1')).toEqual({ allowed: true });
    expect(limits.tryTake('alice', 'c1')).toMatchObject({ allowed: false, limitedBy: 'user', retryAfterSeconds: 30 });
    expect(limits.tryTake('bob', 'c1')).toEqual({ allowed: true });
    expect(limits.tryTake('carol', 'c1')).toMatchObject({ allowed: false, limitedBy: 'conversation' });
    expect(limits.tryTake('carol', 'c2')).toEqual({ allowed: true });
    now += 60_000;
    expect(limits.tryTake('alice', 'c1')).toEqual({ allowed: true });
  });
});

describe('ConcurrencyGate', () => {
  it('lets maxConcurrency through, queues maxQueue, refuses the rest as llm_rate_limited', async () => {
    const gate = new ConcurrencyGate(2, 1);
    const first = await gate.acquire();
    await gate.acquire();
    const queued = gate.acquire();
    await expect(gate.acquire()).rejects.toMatchObject({ code: 'llm_rate_limited' });
    expect(gate.queued).toBe(1);
    first();
    first(); // a second release is a no-op
    await queued;
    expect(gate.inFlight).toBe(2);
    expect(gate.queued).toBe(0);
  });

  it('drops a waiter whose signal aborts', async () => {
    const gate = new ConcurrencyGate(1, 5);
    const release = await gate.acquire();
    const controller = new AbortController();
    const waiting = gate.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'llm_timeout' });
    expect(gate.queued).toBe(0);
    release();
    expect(gate.inFlight).toBe(0);
  });
});

describe('LimitedLlmClient', () => {
  const clock = () => new Date('2025-03-01T12:00:00Z');

  it('never has more than maxConcurrency calls in flight', async () => {
    const inner = new ControlledLlm();
    const client = new LimitedLlmClient(
      inner,
      { maxConcurrency: 3, maxQueue: 100, dailyTokenBudget: 0 },
      { store: new MemoryStore(), clock, logger: silentLogger() },
    );
    const calls = Array.from({ length: 20 }, () => client.generateStructured(request));
    for (let round = 0; round < 10; round += 1) {
      await flush();
      inner.releaseAll();
    }
    await Promise.all(calls);
    expect(inner.peak).toBe(3);
  });

  it('counts tokens per scope and day in the store, warns once at 80 %, then stops with llm_rate_limited', async () => {
    const store = new MemoryStore();
    const client = new LimitedLlmClient(
      new ControlledLlm(300, true),
      { maxConcurrency: 0, maxQueue: 0, dailyTokenBudget: 1000 },
      { store, clock, logger: silentLogger() },
    );
    const scope: LlmUsageScope = { budgetKey: 'team-1', notices: [] };
    await runWithLlmScope(scope, () => client.generateStructured(request));
    await runWithLlmScope(scope, () => client.generateStructured(request));
    expect(scope.notices).toEqual([]);
    await runWithLlmScope(scope, () => client.generateStructured(request));
    expect(scope.notices).toHaveLength(1);
    expect(scope.notices[0]).toMatch(/80 %/);
    await runWithLlmScope(scope, () => client.generateStructured(request));
    expect(scope.notices).toHaveLength(1);
    const refused = await runWithLlmScope(scope, () => client.generateStructured(request)).catch((error) => error);
    expect(refused).toBeInstanceOf(CopilotError);
    expect(refused.code).toBe('llm_rate_limited');
    expect(refused.userMessage).toMatch(/budget/);
    expect((await store.get<{ used: number }>(budgetKeyFor('team-1', clock())))?.value.used).toBe(1200);
    expect(budgetKeyFor('team-1', clock())).toBe('budget/team-1/2025-03-01');
    // Another team has its own budget.
    await runWithLlmScope({ budgetKey: 'team-2', notices: [] }, () => client.generateStructured(request));
  });

  it('loses no tokens when many calls record at once (etag retries)', async () => {
    const store = new MemoryStore();
    const client = new LimitedLlmClient(
      new ControlledLlm(10, true),
      { maxConcurrency: 0, maxQueue: 0, dailyTokenBudget: 1_000_000 },
      { store, clock, logger: silentLogger() },
    );
    await runWithLlmScope({ budgetKey: 't', notices: [] }, () =>
      Promise.all(Array.from({ length: 4 }, () => client.generateStructured(request))),
    );
    expect((await store.get<{ used: number }>(budgetKeyFor('t', clock())))?.value.used).toBe(40);
  });

  it('answers even when the budget counter cannot be read or written', async () => {
    const broken: Store = {
      get: () => Promise.reject(new CopilotError('store_failure', 'down')),
      put: () => Promise.reject(new CopilotError('store_failure', 'down')),
      delete: () => Promise.resolve(false),
      list: () => Promise.resolve([]),
      close: () => Promise.resolve(),
    };
    const client = new LimitedLlmClient(
      new ControlledLlm(10, true),
      { maxConcurrency: 1, maxQueue: 1, dailyTokenBudget: 5 },
      { store: broken, clock, logger: silentLogger() },
    );
    await expect(client.generateStructured(request)).resolves.toMatchObject({ value: { ok: true } });
  });
});

describe('the slow down card', () => {
  it('is a friendly warning that says when to try again, not an error', () => {
    const card = JSON.stringify(slowDownCard({ retryAfterSeconds: 42, limitedBy: 'user', retryAt: '12:00:42 UTC' }));
    expect(card).toContain('in 42 seconds');
    expect(card).toContain('12:00:42 UTC');
    expect(card).not.toContain('attention');
    expect(waitPhrase(1)).toBe('in 1 second');
    expect(waitPhrase(90)).toBe('in about 2 minutes');
  });
});
