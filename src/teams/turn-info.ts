import type { TurnContext } from 'botbuilder';

export type ConversationKind = 'personal' | 'channel' | 'groupChat';

/** Who and where a turn comes from, read once from the activity. */
export interface TurnInfo {
  conversationKind: ConversationKind;
  conversationId: string;
  tenantId?: string;
  teamId?: string;
  channelId?: string;
  user: { id: string; name?: string; aadObjectId?: string };
}

export function readTurnInfo(context: TurnContext): TurnInfo {
  const activity = context.activity;
  const conversationType = activity.conversation?.conversationType;
  const channelData = (activity.channelData ?? {}) as {
    tenant?: { id?: string };
    team?: { id?: string };
    channel?: { id?: string };
  };
  const conversationKind: ConversationKind =
    conversationType === 'channel' ? 'channel' : conversationType === 'groupChat' ? 'groupChat' : 'personal';
  return {
    conversationKind,
    conversationId: activity.conversation?.id ?? '',
    tenantId: activity.conversation?.tenantId ?? channelData.tenant?.id,
    teamId: channelData.team?.id,
    channelId: channelData.channel?.id,
    user: {
      id: activity.from?.id ?? '',
      name: activity.from?.name,
      aadObjectId: activity.from?.aadObjectId,
    },
  };
}

/**
 * The text a route sees: the bot's own mention is already removed by Teams AI; here any leftover
 * mention markup, HTML tags Teams adds around pasted text, entities and extra whitespace go too.
 */
export function normalizeMessageText(text: string | undefined): string {
  if (!text) return '';
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(?:p|div|span|strong|em|b|i)(?:\s[^>]*)?>/gi, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&amp;/gi, '&')
    .replace(/[ \t\u00a0]+/g, ' ')
    .trim();
}
