import { slowDownCard } from '../../cards/slow-down-card';
import type { RateDecision } from '../../llm/limits';
import type { MessageTurn } from './types';

/** Answers a turn refused by the LLM rate limit with the "slow down" card (not an error card). */
export async function slowDown(turn: MessageTurn, decision: Extract<RateDecision, { allowed: false }>): Promise<void> {
  const retryAt = new Date(turn.services.clock().getTime() + decision.retryAfterSeconds * 1000);
  turn.logger.info(
    { limitedBy: decision.limitedBy, retryAfterSeconds: decision.retryAfterSeconds },
    'LLM rate limit reached; answered with slow down',
  );
  turn.audit?.({ inputs: { rateLimited: decision.limitedBy, retryAfterSeconds: decision.retryAfterSeconds } });
  await turn.responder.sendCard(
    slowDownCard({
      retryAfterSeconds: decision.retryAfterSeconds,
      limitedBy: decision.limitedBy === 'conversation' ? 'conversation' : 'user',
      retryAt: `${retryAt.toISOString().slice(11, 19)} UTC`,
    }),
  );
}
