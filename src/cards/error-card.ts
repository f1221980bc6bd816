import type { AdaptiveCard } from './card-kit';
import { LIMITS, adaptiveCard, container, joinText, label, subtleNote, text, textBlock } from './card-kit';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';

export interface ErrorCardInput {
  title?: string;
  /** Already written for the analyst (CopilotError.userMessage); never a stack or a vendor message. */
  userMessage: string;
  /** Ties the card to the log line, so support can find what happened. */
  correlationId: string;
  retryable: boolean;
}

export function errorCard(input: ErrorCardInput): AdaptiveCard {
  const advice = input.retryable
    ? 'This is usually temporary. Please try again in a minute.'
    : 'Trying again will not help. If you need this, share the reference below with your administrator.';
  const body = [
    container(
      [
        textBlock(text(input.title ?? 'Something went wrong', LIMITS.title), { weight: 'bolder', color: 'attention' }),
        textBlock(text(input.userMessage, LIMITS.note), { spacing: 'small' }),
      ],
      { style: 'attention' },
    ),
    textBlock(text(advice, LIMITS.note), { spacing: 'small' }),
    subtleNote(joinText([label('Reference:'), text(input.correlationId, LIMITS.label)], ' ')),
  ];
  return fitCard(adaptiveCard(body), CARD_BUDGET_BYTES).card;
}
