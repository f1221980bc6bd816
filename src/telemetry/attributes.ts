import type { Attributes } from '@opentelemetry/api';

/**
 * What a span may say about a request. Only values the bot's own code or the Bot Framework protocol defines (activity
 * types, invoke names, card verbs, conversation kinds) pass, each matched against a narrow pattern; message text,
 * user, team or conversation names and ids never do.
 */

const conversationKinds = new Set(['personal', 'channel', 'groupChat']);
const protocolName = /^[A-Za-z][\w./-]{0,63}$/;
const cardVerb = /^[A-Za-z][\w.-]{0,47}$/;

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function named(value: unknown, pattern: RegExp): string | undefined {
  return typeof value === 'string' && pattern.test(value) ? value : undefined;
}

/** The span attributes of a Bot Framework activity (POST /api/messages). */
export function activityAttributes(activity: unknown): Attributes {
  const attributes: Attributes = {};
  const type = named(field(activity, 'type'), protocolName);
  if (type) attributes['soc.activity.type'] = type;
  // Invoke and event names are protocol names (adaptiveCard/action, signin/verifyState), never user text.
  if (type === 'invoke' || type === 'event') {
    attributes['soc.activity.name'] = named(field(activity, 'name'), protocolName) ?? 'other';
  }
  const verb = named(field(field(field(activity, 'value'), 'action'), 'verb'), cardVerb);
  if (verb) attributes['soc.card.verb'] = verb;
  const channel = named(field(activity, 'channelId'), /^[a-z][a-z0-9-]{0,31}$/);
  if (channel) attributes['soc.channel'] = channel;
  const kind = field(field(activity, 'conversation'), 'conversationType');
  if (typeof kind === 'string') attributes['soc.conversation.kind'] = conversationKinds.has(kind) ? kind : 'other';
  return attributes;
}

/** Collections whose next path segment is an id or a name (alerts_v2/{id}, users/{id}, workspaces/{id} …). */
const collections = new Set(
  [
    'alerts',
    'alerts_v2',
    'incidents',
    'users',
    'comments',
    'subscriptions',
    'resourcegroups',
    'workspaces',
    'devices',
    'machines',
    'files',
    'ips',
    'domains',
    'urls',
    'hosts',
    'indicators',
    'articles',
  ].map((name) => name.toLowerCase()),
);
/** A fixed path word: a resource or action name, an API version, a provider namespace. */
const pathWord = /^(?:v\d+(?:\.\d+)?|beta|[A-Za-z]+(?:_v\d+)?|[A-Za-z]+(?:\.[A-Za-z]+)+)$/;

/**
 * The path of a URL as a template: ids, names and anything that is not a plain word become {id}, and the query string
 * is dropped (it can hold a KQL query or a user's name). `/v1.0/users/alice@contoso.com` → `/v1.0/users/{id}`.
 */
export function pathTemplate(pathname: string): string {
  let previous = '';
  const segments = pathname.split('/').map((segment) => {
    if (segment === '') return segment;
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      decoded = '%'; // a malformed escape is not a word
    }
    const keep = pathWord.test(decoded) && !collections.has(previous.toLowerCase());
    previous = keep ? decoded : '';
    return keep ? decoded : '{id}';
  });
  return segments.join('/');
}
