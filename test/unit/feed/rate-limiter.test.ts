import { ConversationRateLimiter, teamsConversationLimits } from '../../../src/feed/rate-limiter';

describe('ConversationRateLimiter', () => {
  let now = 0;
  const limiter = () => new ConversationRateLimiter(teamsConversationLimits, () => now);
  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows 7 messages a second per conversation, then asks to wait', () => {
    const rate = limiter();
    for (let index = 0; index < 7; index++) {
      expect(rate.delayFor('c1')).toBe(0);
      rate.record('c1');
    }
    expect(rate.delayFor('c1')).toBe(1000);
    expect(rate.delayFor('c2')).toBe(0);
    now += 1000;
    expect(rate.delayFor('c1')).toBe(0);
  });

  it('holds 60 messages per 30 seconds', () => {
    const rate = limiter();
    for (let index = 0; index < 60; index++) {
      while (rate.delayFor('c1') > 0) now += rate.delayFor('c1');
      rate.record('c1');
    }
    const started = 1_000_000;
    expect(now - started).toBeGreaterThanOrEqual(8000);
    expect(rate.delayFor('c1')).toBe(started + 30_000 - now);
  });

  it('pauses a conversation for a Retry-After', () => {
    const rate = limiter();
    rate.pause('c1', 2500);
    expect(rate.delayFor('c1')).toBe(2500);
    now += 2500;
    expect(rate.delayFor('c1')).toBe(0);
  });
});
