import type { ConversationReference } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { AdaptiveCard } from '../../cards/card-kit';
import { DeliveryError, type ChannelMessenger } from '../../feed/worker';
import type { FeedSubscription } from '../../feed/model';
import { cardActivity } from '../responder';

/**
 * The feed worker's way into Teams: a proactive turn on the channel's stored reference (its conversation id
 * without a thread suffix, so each alert starts a new post), and updates of posted cards by activity id.
 * Connector failures become DeliveryError with the status and Retry-After, for the worker's backoff.
 */
export function createTeamsMessenger(adapter: TeamsAdapter, botAppId: string): ChannelMessenger {
  const reach = async <T>(
    subscription: FeedSubscription,
    work: Parameters<typeof adapter.continueConversationAsync>[2],
    result: () => T,
  ) => {
    try {
      await adapter.continueConversationAsync(botAppId, subscription.reference as Partial<ConversationReference>, work);
      return result();
    } catch (error) {
      throw toDeliveryError(error);
    }
  };
  return {
    async post(subscription, card: AdaptiveCard) {
      let activityId: string | undefined;
      return reach(
        subscription,
        async (context) => {
          activityId = (await context.sendActivity(cardActivity(card)))?.id;
        },
        () => activityId,
      );
    },
    async update(subscription, activityId, card) {
      await reach(
        subscription,
        async (context) => {
          await context.updateActivity({ ...cardActivity(card), id: activityId });
        },
        () => undefined,
      );
    },
  };
}

/** The Bot Connector client's errors (RestError-like) as a DeliveryError; the message never carries the card. */
export function toDeliveryError(error: unknown): DeliveryError {
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
    parseRetryAfter(header('retry-after')),
  );
}

/** Retry-After as seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value.trim())) return Math.round(Number(value.trim()) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
