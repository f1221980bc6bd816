import type { AdaptiveCard } from './card-kit';
import { LIMITS, adaptiveCard, container, subtleNote, text, textBlock } from './card-kit';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';

export interface SlowDownCardInput {
  /** Seconds until the next LLM-backed request is accepted. */
  retryAfterSeconds: number;
  /** Whose limit was reached: the analyst's own, or the whole conversation's. */
  limitedBy: 'user' | 'conversation';
  /** When to try again, already formatted for the analyst (e.g. "14:05:30 UTC"). */
  retryAt: string;
}

/** "In 40 seconds", "in about 2 minutes". */
export function waitPhrase(seconds: number): string {
  if (seconds < 60) return `in ${Math.max(1, Math.ceil(seconds))} second${Math.ceil(seconds) === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `in about ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/**
 * A friendly "slow down", not an error: nothing failed, the rate limit on language-model work was reached.
 * It says when to try again; commands that need no model (help, ATT&CK look-ups, browsing) still work meanwhile.
 */
export function slowDownCard(input: SlowDownCardInput): AdaptiveCard {
  const body = [
    container(
      [
        textBlock(text('Let’s slow down a little', LIMITS.title), { weight: 'bolder', color: 'warning' }),
        textBlock(text(slowDownText(input), LIMITS.note), {
          spacing: 'small',
        }),
      ],
      { style: 'warning' },
    ),
    subtleNote(
      text(
        'Help, ATT&CK look-ups, browsing alerts and incidents, and running queries still work in the meantime.',
        LIMITS.note,
      ),
    ),
  ];
  return fitCard(adaptiveCard(body), CARD_BUDGET_BYTES).card;
}

/** The card's message as one sentence, for a button's answer to the analyst who clicked it. */
export function slowDownText(input: SlowDownCardInput): string {
  const whose =
    input.limitedBy === 'user'
      ? 'You have sent a lot of requests in the last minute.'
      : 'This conversation has sent a lot of requests in the last minute.';
  return `${whose} Please try again ${waitPhrase(input.retryAfterSeconds)} (${input.retryAt}).`;
}
