import { AsyncLocalStorage } from 'node:async_hooks';
import { CopilotError, isCopilotError } from '../errors';
import type { Logger } from '../logger';
import type { Store } from '../store/port';
import type { LlmClient, StructuredRequest, StructuredResponse } from './port';
import { LlmClientDecorator } from './decorator';

/**
 * Limits on LLM-backed work (issue 10, item 2):
 * - per-user and per-conversation rate limits, checked once per turn by the bot (`TurnRateLimiter`);
 * - a cap on concurrent LLM calls with a bounded queue, and a per-day token budget per team (or conversation
 *   outside teams), enforced by `LimitedLlmClient` around every call. Both throw CopilotError with an `llm_*`
 *   code, so every capability answers with its offline engine and a note, as it does when the model is down.
 */
export interface LlmLimitsSettings {
  /** LLM-backed requests per user per minute; 0 = unlimited. */
  ratePerUser: number;
  /** LLM-backed requests per conversation per minute; 0 = unlimited. */
  ratePerConversation: number;
  /** LLM calls in flight at once; 0 = unlimited. */
  maxConcurrency: number;
  /** Calls that may wait for a free slot; more are refused at once ("busy"). */
  maxQueue: number;
  /** Tokens per team (or conversation) per UTC day; 0 = unlimited. */
  dailyTokenBudget: number;
}

/** What the current turn's LLM calls are charged to, and where the budget warning goes. */
export interface LlmUsageScope {
  /** Team id in a team, else the conversation id. */
  budgetKey: string;
  /** Notices for the analyst (the 80 % budget warning), sent by the bot after the answer. */
  notices: string[];
}

const scopeStorage = new AsyncLocalStorage<LlmUsageScope>();

/** Runs `work` (and everything it starts, background work included) with its LLM calls charged to `scope`. */
export function runWithLlmScope<T>(scope: LlmUsageScope, work: () => Promise<T>): Promise<T> {
  return scopeStorage.run(scope, work);
}

export function currentLlmScope(): LlmUsageScope | undefined {
  return scopeStorage.getStore();
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; limitedBy: string };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Token buckets (capacity `perMinute`, refilled continuously) keyed by user or conversation. Memory is bounded:
 * buckets live in a Map in least-recently-used order, and the oldest are evicted beyond `maxBuckets` (an evicted
 * bucket had been idle longest, so it was nearly full anyway).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxBuckets = 10_000,
  ) {}

  get size(): number {
    return this.buckets.size;
  }

  /** Seconds until `key` may go again (0 = now), without taking anything. */
  wait(key: string): number {
    if (this.perMinute <= 0) return 0;
    const tokens = this.refilled(key);
    if (tokens >= 1) return 0;
    return Math.max(1, Math.ceil(((1 - tokens) * 60) / this.perMinute));
  }

  take(key: string): void {
    if (this.perMinute <= 0) return;
    const tokens = this.refilled(key);
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: Math.max(0, tokens - 1), updatedMs: this.now() });
    while (this.buckets.size > this.maxBuckets) {
      const oldest = this.buckets.keys().next().value as string;
      this.buckets.delete(oldest);
    }
  }

  private refilled(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.perMinute;
    const elapsedMs = Math.max(0, this.now() - bucket.updatedMs);
    return Math.min(this.perMinute, bucket.tokens + (elapsedMs / 60_000) * this.perMinute);
  }
}

/** The per-turn check: a turn is allowed only if both its user and its conversation have room; then both pay. */
export class TurnRateLimiter {
  private readonly users: RateLimiter;
  private readonly conversations: RateLimiter;

  constructor(settings: Pick<LlmLimitsSettings, 'ratePerUser' | 'ratePerConversation'>, now: () => number = Date.now) {
    this.users = new RateLimiter(settings.ratePerUser, now);
    this.conversations = new RateLimiter(settings.ratePerConversation, now);
  }

  tryTake(userKey: string, conversationKey: string): RateDecision {
    const userWait = this.users.wait(userKey);
    const conversationWait = this.conversations.wait(conversationKey);
    if (userWait > 0 || conversationWait > 0) {
      return userWait >= conversationWait
        ? { allowed: false, retryAfterSeconds: userWait, limitedBy: 'user' }
        : { allowed: false, retryAfterSeconds: conversationWait, limitedBy: 'conversation' };
    }
    this.users.take(userKey);
    this.conversations.take(conversationKey);
    return { allowed: true };
  }
}

/** At most `maxConcurrency` holders; up to `maxQueue` wait in order; beyond that `acquire` fails at once. */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: Array<{ grant: () => void }> = [];

  constructor(
    private readonly maxConcurrency: number,
    private readonly maxQueue: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.maxConcurrency <= 0) return () => undefined;
    if (this.active < this.maxConcurrency) {
      this.active += 1;
      return this.releaser();
    }
    if (this.waiting.length >= this.maxQueue) {
      throw new CopilotError('llm_rate_limited', 'LLM concurrency queue full', {
        retryable: true,
        retryAfterSeconds: 5,
        userMessage: 'The language model is busy with other requests right now.',
      });
    }
    return new Promise<() => void>((resolve, reject) => {
      const entry = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new CopilotError('llm_timeout', 'cancelled while waiting for an LLM slot', { retryable: true }));
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so `active` stays the same.
      if (next) next.grant();
      else this.active -= 1;
    };
  }
}

interface BudgetRecord {
  used: number;
  warned: boolean;
}

const budgetWriteAttempts = 10;

/** Store key of a budget counter, e.g. `budget/19:abc@thread.tacv2/2025-01-31`. */
export function budgetKeyFor(scopeKey: string, day: Date): string {
  return `budget/${scopeKey}/${day.toISOString().slice(0, 10)}`;
}

/**
 * Tokens used per team (or conversation) per UTC day, in the Store with etag retries, so several bot instances
 * share one budget. A counter that cannot be read or written never fails an answer: it is logged and let through.
 */
export class TokenBudget {
  constructor(
    private readonly budget: number,
    private readonly store: Store,
    private readonly clock: () => Date,
    private readonly logger: Logger,
  ) {}

  /** Throws `llm_rate_limited` (with a note for the analyst) when the day's budget is used up. */
  async ensureAvailable(scopeKey: string): Promise<void> {
    if (this.budget <= 0) return;
    let used = 0;
    try {
      used = (await this.store.get<BudgetRecord>(budgetKeyFor(scopeKey, this.clock())))?.value.used ?? 0;
    } catch (error) {
      this.logger.warn({ code: isCopilotError(error) ? error.code : 'internal' }, 'could not read the token budget');
      return;
    }
    if (used >= this.budget) {
      throw new CopilotError('llm_rate_limited', 'daily token budget used up', {
        retryable: false,
        retryAfterSeconds: secondsUntilUtcMidnight(this.clock()),
        userMessage: `Today's language-model budget for this team (${this.budget.toLocaleString('en-US')} tokens) is used up; it resets at 00:00 UTC.`,
      });
    }
  }

  /** Adds `tokens`; returns true the one time the counter crosses 80 % of the budget. */
  async record(scopeKey: string, tokens: number): Promise<boolean> {
    if (this.budget <= 0 || !(tokens > 0)) return false;
    const key = budgetKeyFor(scopeKey, this.clock());
    for (let attempt = 1; attempt <= budgetWriteAttempts; attempt += 1) {
      try {
        const current = await this.store.get<BudgetRecord>(key);
        const before = current?.value ?? { used: 0, warned: false };
        const used = before.used + tokens;
        const crosses = !before.warned && used >= this.budget * 0.8;
        const next: BudgetRecord = { used, warned: before.warned || crosses };
        await this.store.put(key, next, current ? { ifMatch: current.etag } : { ifNoneMatch: '*' });
        return crosses;
      } catch (error) {
        if (isCopilotError(error) && error.code === 'store_conflict' && attempt < budgetWriteAttempts) {
          // Jittered back-off: concurrent writers of one team's counter spread out instead of colliding again.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
          continue;
        }
        this.logger.warn(
          { code: isCopilotError(error) ? error.code : 'internal', tokens },
          'could not record LLM token usage',
        );
        return false;
      }
    }
    return false;
  }

  get dailyBudget(): number {
    return this.budget;
  }
}

function secondsUntilUtcMidnight(now: Date): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((midnight - now.getTime()) / 1000));
}

/** The budget warning shown once per team and day. */
export function budgetWarning(budget: number): string {
  return (
    `This team has used 80 % of today's language-model budget (${budget.toLocaleString('en-US')} tokens). ` +
    'When it is used up, answers come from the offline engine until 00:00 UTC.'
  );
}

/**
 * The LLM client decorator: a concurrency gate with a bounded queue, then the daily token budget of the scope
 * the call runs in (`runWithLlmScope`; calls outside any turn are charged to "unscoped").
 */
export class LimitedLlmClient extends LlmClientDecorator {
  readonly gate: ConcurrencyGate;
  readonly budget: TokenBudget;

  constructor(
    inner: LlmClient,
    settings: Pick<LlmLimitsSettings, 'maxConcurrency' | 'maxQueue' | 'dailyTokenBudget'>,
    dependencies: { store: Store; clock: () => Date; logger: Logger },
  ) {
    super(inner);
    this.gate = new ConcurrencyGate(settings.maxConcurrency, settings.maxQueue);
    this.budget = new TokenBudget(
      settings.dailyTokenBudget,
      dependencies.store,
      dependencies.clock,
      dependencies.logger,
    );
  }

  async generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResponse<T>> {
    const scope = currentLlmScope();
    const scopeKey = scope?.budgetKey || 'unscoped';
    await this.budget.ensureAvailable(scopeKey);
    const release = await this.gate.acquire(request.signal);
    let response: StructuredResponse<T>;
    try {
      response = await this.inner.generateStructured(request);
    } finally {
      release();
    }
    if (await this.budget.record(scopeKey, response.usage?.totalTokens ?? 0)) {
      scope?.notices.push(budgetWarning(this.budget.dailyBudget));
    }
    return response;
  }
}

/** Wraps `llm` when any of the call limits is on. */
export function withLlmLimits(
  llm: LlmClient | undefined,
  settings: LlmLimitsSettings,
  dependencies: { store: Store; clock: () => Date; logger: Logger },
): LlmClient | undefined {
  if (llm === undefined) return undefined;
  if (settings.maxConcurrency <= 0 && settings.dailyTokenBudget <= 0) return llm;
  return new LimitedLlmClient(llm, settings, dependencies);
}
