import type { AdaptiveCard } from './card-kit';
import { LIMITS, adaptiveCard, subtleNote, text, textBlock } from './card-kit';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';

/**
 * Posted at once when an answer needs the LLM, then replaced in place by the result: the analyst sees
 * the bot is on it, and the turn is acknowledged long before Teams' time-out.
 */
export function workingCard(input: { activity: string; subject: string }): AdaptiveCard {
  const body = [
    textBlock(text(input.activity, LIMITS.title), { weight: 'bolder' }),
    textBlock(text(input.subject, LIMITS.headline), { spacing: 'small' }),
    subtleNote(text('This card updates in place when the answer is ready.', LIMITS.note)),
  ];
  return fitCard(adaptiveCard(body), CARD_BUDGET_BYTES).card;
}
