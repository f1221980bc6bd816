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
  /** When the welcome card was posted; clients re-send install events, the welcome goes out once. */
  welcomedAt?: string;
}

export const conversationKey = (conversationId: string) => `conversations/${conversationId}`;

export async function rememberConversation(store: Store, context: TurnContext, clock: () => Date): Promise<void> {
  const conversationId = context.activity.conversation?.id;
  if (!conversationId || !context.activity.serviceUrl) return;
  const key = conversationKey(conversationId);
  const existing = await store.get<ConversationRecord>(key);
  if (existing && existing.value.reference.serviceUrl === context.activity.serviceUrl) return;

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
    welcomedAt: existing?.value.welcomedAt,
  };
  try {
    await store.put(key, record, existing ? { ifMatch: existing.etag } : { ifNoneMatch: '*' });
  } catch (error) {
    // Another instance saved it at the same moment; its copy is as good as ours.
    if ((error as { code?: string }).code !== 'store_conflict') throw error;
  }
}

/**
 * Marks the conversation as welcomed; true only for the one caller (turn, instance) that did so, which
 * then posts the welcome. Claiming before posting means a crash can lose a welcome but never doubles it.
 */
export async function claimWelcome(
  store: Store,
  conversationId: string | undefined,
  clock: () => Date,
): Promise<boolean> {
  if (!conversationId) return false;
  const key = conversationKey(conversationId);
  const existing = await store.get<ConversationRecord>(key);
  if (!existing || existing.value.welcomedAt) return false;
  try {
    await store.put(key, { ...existing.value, welcomedAt: clock().toISOString() }, { ifMatch: existing.etag });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'store_conflict') return false;
    throw error;
  }
}

/** When the bot is removed, forget the conversation, so a later install welcomes again. */
export async function forgetConversation(store: Store, conversationId: string | undefined): Promise<void> {
  if (conversationId) await store.delete(conversationKey(conversationId));
}
