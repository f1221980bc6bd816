/**
 * Teams' per-bot, per-conversation limits (7 messages a second, 60 per 30 seconds, 1800 per hour), kept as
 * sliding windows so the outbox never provokes a 429 on its own; a 429 the service sends anyway pauses the
 * conversation for its Retry-After. In memory: the limits are per bot, so several instances would each need
 * a share (or a shared counter) — one instance posts the feed today.
 */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

export const teamsConversationLimits: readonly RateWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1800, windowMs: 3_600_000 },
];

export class ConversationRateLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly pausedUntil = new Map<string, number>();
  private readonly longestWindowMs: number;

  constructor(
    private readonly windows: readonly RateWindow[] = teamsConversationLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.longestWindowMs = Math.max(0, ...windows.map((window) => window.windowMs));
  }

  /** Milliseconds until the conversation may receive the next message; 0 means now. */
  delayFor(conversationId: string): number {
    const now = this.now();
    let delay = Math.max(0, (this.pausedUntil.get(conversationId) ?? 0) - now);
    const times = this.prune(conversationId, now);
    for (const window of this.windows) {
      const inWindow = times.filter((time) => time > now - window.windowMs);
      if (inWindow.length >= window.limit) {
        // The oldest send that keeps the window full must leave it first.
        const release = inWindow[inWindow.length - window.limit] + window.windowMs;
        delay = Math.max(delay, release - now);
      }
    }
    return delay;
  }

  record(conversationId: string): void {
    const times = this.sent.get(conversationId) ?? [];
    times.push(this.now());
    this.sent.set(conversationId, times);
  }

  /** The service said 429: nothing more to this conversation until then. */
  pause(conversationId: string, forMs: number): void {
    const until = this.now() + forMs;
    this.pausedUntil.set(conversationId, Math.max(until, this.pausedUntil.get(conversationId) ?? 0));
  }

  private prune(conversationId: string, now: number): number[] {
    const times = this.sent.get(conversationId);
    if (!times) return [];
    const fresh = times.filter((time) => time > now - this.longestWindowMs);
    if (fresh.length === 0) this.sent.delete(conversationId);
    else this.sent.set(conversationId, fresh);
    return fresh;
  }
}
