import { TurnContext, type ConversationReference } from 'botbuilder';
import { CopilotError } from '../../errors';
import { conversationKey, type ConversationRecord } from '../conversations';
import { feedSubscriptionCard } from '../../cards/alert-card';
import type { FeedSubscription } from '../../feed/model';
import { channelConversationId } from '../../feed/model';
import { SubscriptionRegistry, parseSeverityThreshold } from '../../feed/subscriptions';
import type { Severity } from '../../sources/model';
import type { Store } from '../../store/port';
import type { MessageHandler } from '../handlers/types';
import { readTurnInfo, type TurnInfo } from '../turn-info';

/** The channel's reference for new posts: the channel itself, not the thread the command was typed in. */
function subscriptionFor(
  stored: Partial<ConversationReference>,
  info: TurnInfo,
  minimumSeverity: Severity,
  sources: string[],
  now: Date,
): FeedSubscription {
  const reference = { ...stored };
  delete reference.activityId;
  const conversationId = channelConversationId(info.conversationId);
  if (reference.conversation) reference.conversation = { ...reference.conversation, id: conversationId };
  return {
    conversationId,
    reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
    tenantId: info.tenantId,
    teamId: info.teamId,
    channelId: info.channelId ?? (info.conversationKind === 'channel' ? conversationId : undefined),
    minimumSeverity,
    sources,
    subscribedBy: { name: info.user.name ?? 'an analyst', id: info.user.id, aadObjectId: info.user.aadObjectId },
    subscribedAt: now.toISOString(),
  };
}

/** "from defender for endpoint, sentinel" → the source filters. */
function sourcesIn(filter: string): string[] {
  const match = /\bfrom\s+([^\n]{1,200})$/i.exec(filter);
  if (!match) return [];
  return match[1]
    .split(/\s*(?:,|\band\b|\bor\b)\s*/i)
    .map((part) => part.replace(/[.!?]+$/, '').trim())
    .filter((part) => part.length > 1)
    .slice(0, 10);
}

/** "use this channel for alerts [high and above] [from defender]", "send alerts here medium and above". */
export const subscribeAlertFeed: MessageHandler = async (turn) => {
  // beforeTurn stored this conversation's reference (src/teams/conversations.ts); the feed posts with it.
  const stored = await turn.services.store.get<ConversationRecord>(conversationKey(turn.info.conversationId));
  if (!stored) {
    throw new CopilotError('bad_input', 'no conversation reference for a feed subscription', {
      userMessage: 'I cannot post to this conversation on my own yet. Mention me here once more, then try again.',
    });
  }
  const filter = turn.groups.filter ?? '';
  const minimumSeverity =
    parseSeverityThreshold(filter.replace(/\bfrom\b[\s\S]*$/i, '')) ?? turn.services.config.alertFeed.defaultSeverity;
  const sources = sourcesIn(filter);
  const subscription = subscriptionFor(
    stored.value.reference,
    turn.info,
    minimumSeverity,
    sources,
    turn.services.clock(),
  );
  await new SubscriptionRegistry(turn.services.store).subscribe(subscription);
  turn.logger.info(
    {
      conversationId: subscription.conversationId,
      minimumSeverity,
      sources,
      analyst: subscription.subscribedBy?.aadObjectId,
    },
    'alert feed: channel subscribed',
  );
  await turn.responder.sendCard(feedSubscriptionCard({ subscribed: true, minimumSeverity, sources }));
};

/** "stop alerts here". */
export const unsubscribeAlertFeed: MessageHandler = async (turn) => {
  const conversationId = channelConversationId(turn.info.conversationId);
  await new SubscriptionRegistry(turn.services.store).unsubscribe(conversationId);
  turn.logger.info({ conversationId, analyst: turn.info.user.aadObjectId }, 'alert feed: channel unsubscribed');
  await turn.responder.sendCard(feedSubscriptionCard({ subscribed: false }));
};

/**
 * The bot was installed in a team: the team's channel subscribes with the default threshold, once (clients
 * re-send install events). Resolves true when it newly subscribed, so the caller confirms.
 */
export async function subscribeOnInstall(
  store: Store,
  context: TurnContext,
  minimumSeverity: Severity,
  now: Date,
): Promise<boolean> {
  const info = readTurnInfo(context);
  if (info.conversationKind !== 'channel' || !info.conversationId) return false;
  const reference = TurnContext.getConversationReference(context.activity);
  return new SubscriptionRegistry(store).create(subscriptionFor(reference, info, minimumSeverity, [], now));
}
