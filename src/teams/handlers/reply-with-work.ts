import { workingCard } from '../../cards';
import type { AdaptiveCardJson, MessageTurn } from './types';

/**
 * Answers with a card that takes `build` to make. Fast work (no network: the offline engines) runs inside
 * the turn. Slow work (an LLM, threat-intelligence providers) gets a "working…" card at once, the turn is
 * acknowledged, and the card is replaced in place when the answer is ready — Teams does not wait long for
 * a turn, and a retried turn would do the work twice.
 */
export async function replyWithWork(
  turn: Pick<MessageTurn, 'responder' | 'later'>,
  work: {
    name: string;
    slow: boolean;
    working: { activity: string; subject: string };
    build: () => Promise<AdaptiveCardJson>;
  },
): Promise<void> {
  if (!work.slow || !turn.later) {
    await turn.responder.showTyping();
    await turn.responder.sendCard(await work.build());
    return;
  }
  const workingId = await turn.responder.sendCard(workingCard(work.working));
  turn.later(
    work.name,
    async (responder) => {
      const card = await work.build();
      if (workingId) await responder.updateCard(workingId, card);
      else await responder.sendCard(card);
    },
    { replaceActivityId: workingId },
  );
}
