import type { ConversationReference, TurnContext } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { AdaptiveCard } from '../../cards/card-kit';
import { DeliveryError, type ChannelMessenger } from '../../feed/worker';
import { parseRetryAfterMs } from '../../llm/retry-policy';
import type { FeedSubscription } from '../../feed/model';
import { cardActivity } from '../responder';

/**
 * The feed worker's way into Teams: a proactive turn on the channel's stored reference (its conversation id
 * without a thread suffix, so each alert starts a new post), and updates of posted cards by activity id.
 * Connector failures become DeliveryError with the status and Retry-After, for the worker's backoff.
 */
export function createTeamsMessenger(adapter: TeamsAdapter, botAppId: string): ChannelMessenger {
  /**
   * Runs one send in a proactive turn. The failure is caught inside the turn: escaping it would reach the
   * adapter's onTurnError, which posts an error card into the SOC channel and swallows the error.
   */
  const reach = async <T>(subscription: FeedSubscription, send: (context: TurnContext) => Promise<T>): Promise<T> => {
    let outcome: { value: T } | { failure: unknown } | undefined;
    try {
      await adapter.continueConversationAsync(
        botAppId,
        subscription.reference as Partial<ConversationReference>,
        async (context) => {
          try {
            outcome = { value: await send(context) };
          } catch (error) {
            outcome = { failure: error };
          }
        },
      );
    } catch (error) {
      outcome = { failure: error };
    }
    if (outcome === undefined) throw new DeliveryError('the proactive turn did not run', undefined, undefined);
    if ('failure' in outcome) throw toDeliveryError(outcome.failure);
    return outcome.value;
  };
  return {
    async post(subscription, card: AdaptiveCard) {
      const activityId = await reach(subscription, async (context) => {
        // A proactive turn's reference carries a made-up activity id, which would make this a reply to it
        // (POST …/activities/{id}); without it the connector creates a new post in the channel.
        context.onSendActivities(async (_context, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
        return (await context.sendActivity(cardActivity(card)))?.id;
      });
      // A post the channel accepted always has an id; without one nothing can be updated later, so it is retried.
      if (activityId === undefined)
        throw new DeliveryError('Bot Connector returned no activity id', undefined, undefined);
      return activityId;
    },
    async update(subscription, activityId, card) {
      await reach(subscription, async (context) => {
        await context.updateActivity({ ...cardActivity(card), id: activityId });
      });
    },
  };
}

/** The Bot Connector client's errors (RestError-like) as a DeliveryError; the message never carries the card. */
function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const failure = (error ?? {}) as {
    statusCode?: number;
    status?: number;
    code?: string;
    response?: { status?: number; headers?: { get?: (name: string) => string | undefined } | Record<string, string> };
  };
  const status = failure.statusCode ?? failure.status ?? failure.response?.status;
  const headers = failure.response?.headers;
  const header = (name: string): string | undefined =>
    headers === undefined
      ? undefined
      : typeof headers.get === 'function'
        ? ((headers.get as (name: string) => string | undefined)(name) ?? undefined)
        : (headers as Record<string, string>)[name];
  return new DeliveryError(
    `Bot Connector ${status === undefined ? `request failed (${failure.code ?? 'no response'})` : `answered ${status}`}`,
    typeof status === 'number' ? status : undefined,
    parseRetryAfterMs({ 'retry-after': header('retry-after') }),
  );
}
