import {
  computeBackoffMs,
  decideRetry,
  defaultRetryPolicy,
  parseRetryAfterMs,
  sleepUnlessAborted,
  toRetryAfterSeconds,
} from '../../../src/llm/retry-policy';

const now = Date.parse('2025-03-01T12:00:00Z');

describe('parseRetryAfterMs', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfterMs({ 'retry-after': '20' }, now)).toBe(20_000);
    expect(parseRetryAfterMs({ 'retry-after': '0' }, now)).toBe(0);
  });

  it('reads fractional seconds, rounding up to whole milliseconds', () => {
    expect(parseRetryAfterMs({ 'retry-after': '1.5' }, now)).toBe(1_500);
    expect(parseRetryAfterMs({ 'retry-after': '0.0004' }, now)).toBe(1);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfterMs({ 'retry-after': 'Sat, 01 Mar 2025 12:00:45 GMT' }, now)).toBe(45_000);
  });

  it('treats an HTTP date in the past as no wait', () => {
    expect(parseRetryAfterMs({ 'retry-after': 'Sat, 01 Mar 2025 11:59:00 GMT' }, now)).toBe(0);
  });

  it('prefers retry-after-ms over retry-after', () => {
    expect(parseRetryAfterMs({ 'retry-after': '9', 'retry-after-ms': '250' }, now)).toBe(250);
  });

  it('falls back to retry-after when retry-after-ms is not a number', () => {
    expect(parseRetryAfterMs({ 'retry-after': '3', 'retry-after-ms': 'soon' }, now)).toBe(3_000);
  });

  it('matches header names case-insensitively', () => {
    expect(parseRetryAfterMs({ 'Retry-After': '4' }, now)).toBe(4_000);
    expect(parseRetryAfterMs({ 'Retry-After-Ms': '40' }, now)).toBe(40);
  });

  it.each([['-1'], ['soon'], [''], ['  '], ['1e3'], ['Not a date at all']])('ignores nonsense %p', (value) => {
    expect(parseRetryAfterMs({ 'retry-after': value }, now)).toBeUndefined();
  });

  it('returns undefined without headers', () => {
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
    expect(parseRetryAfterMs({ 'x-request-id': 'abc', 'retry-after': null }, now)).toBeUndefined();
  });
});

describe('computeBackoffMs', () => {
  const policy = { baseDelayMs: 500, maxBackoffMs: 8_000 };

  it('doubles per retry with half the delay fixed and half random', () => {
    expect(computeBackoffMs(0, policy, () => 0)).toBe(250);
    expect(computeBackoffMs(0, policy, () => 0.999999)).toBe(500);
    expect(computeBackoffMs(1, policy, () => 0.5)).toBe(750);
    expect(computeBackoffMs(2, policy, () => 0.5)).toBe(1_500);
  });

  it('is capped by maxBackoffMs', () => {
    expect(computeBackoffMs(10, policy, () => 1)).toBe(8_000);
    expect(computeBackoffMs(50, policy, () => 0)).toBe(4_000);
  });

  it('always stays within [half, full] of the exponential delay', () => {
    for (let retryIndex = 0; retryIndex < 6; retryIndex += 1) {
      const full = Math.min(8_000, 500 * 2 ** retryIndex);
      for (const random of [0, 0.1, 0.5, 0.9, 0.99]) {
        const delay = computeBackoffMs(retryIndex, policy, () => random);
        expect(delay).toBeGreaterThanOrEqual(full / 2);
        expect(delay).toBeLessThanOrEqual(full);
      }
    }
  });
});

describe('decideRetry', () => {
  const policy = defaultRetryPolicy;

  it('waits exactly what the server asked when within the cap', () => {
    expect(decideRetry({ retryIndex: 0, maxRetries: 2, retryAfterMs: 2_000, policy })).toEqual({
      action: 'wait',
      waitMs: 2_000,
    });
    expect(decideRetry({ retryIndex: 0, maxRetries: 2, retryAfterMs: 30_000, policy })).toEqual({
      action: 'wait',
      waitMs: 30_000,
    });
  });

  it('gives up, passing the wait on, when the server asks for more than the cap', () => {
    expect(decideRetry({ retryIndex: 0, maxRetries: 5, retryAfterMs: 30_001, policy })).toEqual({
      action: 'give-up',
      retryAfterMs: 30_001,
    });
  });

  it('backs off when the server gave no wait', () => {
    expect(decideRetry({ retryIndex: 1, maxRetries: 2, policy, random: () => 0 })).toEqual({
      action: 'wait',
      waitMs: 500,
    });
  });

  it('never backs off longer than the cap', () => {
    const tightPolicy = { baseDelayMs: 10_000, maxBackoffMs: 60_000, maxWaitMs: 2_000 };
    expect(decideRetry({ retryIndex: 3, maxRetries: 5, policy: tightPolicy, random: () => 1 })).toEqual({
      action: 'wait',
      waitMs: 2_000,
    });
  });

  it('gives up when the retries are used up', () => {
    expect(decideRetry({ retryIndex: 2, maxRetries: 2, retryAfterMs: 1_000, policy })).toEqual({
      action: 'give-up',
      retryAfterMs: 1_000,
    });
    expect(decideRetry({ retryIndex: 0, maxRetries: 0, policy })).toEqual({
      action: 'give-up',
      retryAfterMs: undefined,
    });
  });
});

describe('toRetryAfterSeconds', () => {
  it('rounds up so a caller never retries early', () => {
    expect(toRetryAfterSeconds(1)).toBe(1);
    expect(toRetryAfterSeconds(2_000)).toBe(2);
    expect(toRetryAfterSeconds(2_001)).toBe(3);
    expect(toRetryAfterSeconds(undefined)).toBeUndefined();
  });
});

describe('sleepUnlessAborted', () => {
  it('resolves after the wait', async () => {
    const startedAt = Date.now();
    await sleepUnlessAborted(30);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(25);
  });

  it('rejects with the abort reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const startedAt = Date.now();
    const sleeping = sleepUnlessAborted(10_000, controller.signal);
    controller.abort(new Error('caller gave up'));
    await expect(sleeping).rejects.toThrow('caller gave up');
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });

  it('rejects at once for an already aborted signal', async () => {
    await expect(sleepUnlessAborted(10_000, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});
