import { TurnContext, type ConversationReference } from 'botbuilder';
import type { Store } from '../store/port';
import { readTurnInfo, type ConversationKind } from './turn-info';

/**
 * Conversation references, kept so the bot can post proactively later (alert cards, finished work).
 * Saved on install and on the first message in a conversation; rewritten only when something that
 * matters for delivery (the service URL) changes, so a normal turn costs one read.
 */
export interface ConversationRecord {
  reference: Partial<ConversationReference>;
  kind: ConversationKind;
  tenantId?: string;
  teamId?: string;
  channelId?: string;
  firstSeenAt: string;
  updatedAt: string;
}

export const conversationKey = (conversationId: string) => `conversations/${conversationId}`;

/** Whether this turn is the first the bot has seen of the conversation (so a welcome is due). */
export type ConversationFreshness = 'new' | 'known';

export async function rememberConversation(
  store: Store,
  context: TurnContext,
  clock: () => Date,
): Promise<ConversationFreshness> {
  const conversationId = context.activity.conversation?.id;
  if (!conversationId || !context.activity.serviceUrl) return 'known';
  const key = conversationKey(conversationId);
  const existing = await store.get<ConversationRecord>(key);
  if (existing && existing.value.reference.serviceUrl === context.activity.serviceUrl) return 'known';

  const info = readTurnInfo(context);
  const now = clock().toISOString();
  const reference = TurnContext.getConversationReference(context.activity);
  // Keep the reference small and free of the user's message: only what delivery needs.
  delete reference.activityId;
  const record: ConversationRecord = {
    reference,
    kind: info.conversationKind,
    tenantId: info.tenantId,
    teamId: info.teamId,
    channelId: info.channelId,
    firstSeenAt: existing?.value.firstSeenAt ?? now,
    updatedAt: now,
  };
  try {
    await store.put(key, record, existing ? { ifMatch: existing.etag } : { ifNoneMatch: '*' });
  } catch (error) {
    // Another instance saved it at the same moment; its copy is as good as ours, and it welcomes.
    if ((error as { code?: string }).code !== 'store_conflict') throw error;
    return 'known';
  }
  return existing ? 'known' : 'new';
}

/** When the bot is removed, forget the conversation, so a later install welcomes again. */
export async function forgetConversation(store: Store, conversationId: string | undefined): Promise<void> {
  if (conversationId) await store.delete(conversationKey(conversationId));
}
