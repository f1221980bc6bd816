import { ActivityTypes, CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { AdaptiveCardJson, Responder } from './handlers/types';
import type { TurnInfo } from './turn-info';

export function cardActivity(card: AdaptiveCardJson) {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

/** A Responder bound to one turn. Created per turn, never shared. */
export function turnResponder(context: TurnContext, info: TurnInfo): Responder {
  return {
    async sendCard(card) {
      const response = await context.sendActivity(cardActivity(card));
      return response?.id;
    },
    async updateCard(activityId, card) {
      await context.updateActivity({ ...cardActivity(card), id: activityId });
    },
    async showTyping() {
      // Typing indicators are a 1:1 chat affordance; in channels they are noise and count against rate limits.
      if (info.conversationKind === 'personal') await context.sendActivity({ type: ActivityTypes.Typing });
    },
  };
}
