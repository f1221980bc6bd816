import { randomUUID } from 'node:crypto';

/**
 * Bot Framework activities as Teams sends them (shapes from real Teams traffic and the Agents
 * Playground): a 1:1 chat, a channel message with an @mention, install events and card actions.
 */
export const botAccount = { id: '28:soc-copilot-bot', name: 'SOC Copilot' };
export const analyst = {
  id: '29:analyst-1',
  name: 'Dana Analyst',
  aadObjectId: '00000000-0000-0000-0000-000000000100',
};
export const tenantId = '00000000-0000-0000-0000-0000000000aa';
export const teamId = '19:soc-team@thread.tacv2';
export const channelId = '19:soc-alerts@thread.tacv2';

type Activity = Record<string, unknown>;

interface Delivery {
  serviceUrl?: string;
  expectReplies?: boolean;
}

function base(type: string, conversation: Activity, delivery: Delivery, extra: Activity = {}): Activity {
  return {
    type,
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: delivery.serviceUrl ?? 'http://127.0.0.1:9/',
    from: analyst,
    recipient: botAccount,
    conversation,
    channelData: { tenant: { id: tenantId } },
    ...(delivery.expectReplies === false ? {} : { deliveryMode: 'expectReplies' }),
    ...extra,
  };
}

const personalConversation = { id: 'a:personal-chat-dana', conversationType: 'personal', tenantId };

export function personalMessage(text: string, delivery: Delivery = {}): Activity {
  return base('message', personalConversation, delivery, { text, textFormat: 'plain', locale: 'en-US' });
}

export function channelMessage(text: string, delivery: Delivery = {}): Activity {
  const mention = `<at>${botAccount.name}</at>`;
  return base(
    'message',
    { id: `${channelId};messageid=1700000000000`, conversationType: 'channel', isGroup: true, tenantId },
    delivery,
    {
      text: `${mention} ${text}`,
      textFormat: 'plain',
      entities: [{ type: 'mention', text: mention, mentioned: botAccount }],
      channelData: { tenant: { id: tenantId }, team: { id: teamId }, channel: { id: channelId } },
    },
  );
}

export function botInstalledInTeam(delivery: Delivery = {}): Activity {
  return base('conversationUpdate', { id: channelId, conversationType: 'channel', isGroup: true, tenantId }, delivery, {
    membersAdded: [botAccount],
    channelData: {
      tenant: { id: tenantId },
      team: { id: teamId, name: 'Security Operations' },
      eventType: 'teamMemberAdded',
    },
  });
}

export function installationUpdate(delivery: Delivery = {}): Activity {
  return base('installationUpdate', { id: channelId, conversationType: 'channel', isGroup: true, tenantId }, delivery, {
    action: 'add',
    channelData: { tenant: { id: tenantId }, team: { id: teamId }, source: { name: 'message' } },
  });
}

export function cardAction(verb: string, data: unknown, delivery: Delivery = {}): Activity {
  return base(
    'invoke',
    personalConversation,
    { ...delivery, expectReplies: false },
    {
      name: 'adaptiveCard/action',
      replyToId: 'card-activity-1',
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    },
  );
}

/** A click on a card the bot posted in the SOC channel: the invoke arrives in the card's thread. */
export function channelCardAction(
  verb: string,
  data: unknown,
  delivery: Delivery & { postId: string; from?: Record<string, unknown> },
): Activity {
  return base(
    'invoke',
    {
      id: `${channelId};messageid=${delivery.postId}`,
      conversationType: 'channel',
      isGroup: true,
      tenantId,
    },
    { ...delivery, expectReplies: false },
    {
      name: 'adaptiveCard/action',
      replyToId: delivery.postId,
      from: delivery.from ?? analyst,
      channelData: { tenant: { id: tenantId }, team: { id: teamId }, channel: { id: channelId } },
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    },
  );
}
