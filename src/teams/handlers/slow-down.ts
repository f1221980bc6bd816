import { slowDownCard, slowDownText, type SlowDownCardInput } from '../../cards/slow-down-card';
import type { RateDecision } from '../../llm/limits';
import type { MessageTurn } from './types';

type Refusal = Extract<RateDecision, { allowed: false }>;

/** Logs and audits the refusal, and says when to try again. */
function refuse(turn: MessageTurn, decision: Refusal): SlowDownCardInput {
  const retryAt = new Date(turn.services.clock().getTime() + decision.retryAfterSeconds * 1000);
  turn.logger.info(
    { limitedBy: decision.limitedBy, retryAfterSeconds: decision.retryAfterSeconds },
    'LLM rate limit reached; answered with slow down',
  );
  turn.audit?.({ inputs: { rateLimited: decision.limitedBy, retryAfterSeconds: decision.retryAfterSeconds } });
  return {
    retryAfterSeconds: decision.retryAfterSeconds,
    limitedBy: decision.limitedBy === 'conversation' ? 'conversation' : 'user',
    retryAt: `${retryAt.toISOString().slice(11, 19)} UTC`,
  };
}

/** Answers a turn refused by the LLM rate limit with the "slow down" card (not an error card). */
export async function slowDown(turn: MessageTurn, decision: Refusal): Promise<void> {
  await turn.responder.sendCard(slowDownCard(refuse(turn, decision)));
}

/**
 * The same refusal for a card button: the text goes back in the invoke answer, which only the analyst who
 * clicked sees, so a busy channel is not filled with "slow down" cards and the alert card stays as it is.
 */
export function slowDownAnswer(turn: MessageTurn, decision: Refusal): string {
  return slowDownText(refuse(turn, decision));
}
