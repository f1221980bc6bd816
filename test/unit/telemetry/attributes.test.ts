import { activityAttributes, pathTemplate } from '../../../src/telemetry/attributes';

describe('activityAttributes', () => {
  it('keeps the protocol facts of a message and nothing its sender wrote or is called', () => {
    const attributes = activityAttributes({
      type: 'message',
      text: 'explain alert da-1009',
      channelId: 'msteams',
      from: { id: '29:someone', name: 'Dana Analyst', aadObjectId: '00000000-0000-0000-0000-000000000100' },
      conversation: { id: 'a:chat', conversationType: 'personal', tenantId: 'tenant' },
    });
    expect(attributes).toEqual({
      'soc.activity.type': 'message',
      'soc.channel': 'msteams',
      'soc.conversation.kind': 'personal',
    });
  });

  it('names an invoke and the card verb it carries', () => {
    expect(
      activityAttributes({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'explainAlert', data: { alertId: 'da-1009' } } },
        channelId: 'msteams',
        conversation: { id: '19:x', conversationType: 'channel' },
      }),
    ).toEqual({
      'soc.activity.type': 'invoke',
      'soc.activity.name': 'adaptiveCard/action',
      'soc.card.verb': 'explainAlert',
      'soc.channel': 'msteams',
      'soc.conversation.kind': 'channel',
    });
  });

  it('drops or generalises values that are not plain protocol names', () => {
    expect(
      activityAttributes({
        type: 'invoke',
        name: 'Dana says hi to everyone',
        value: { action: { verb: 'run query; drop table' } },
        channelId: 'Some Channel',
        conversation: { conversationType: 'a-new-kind' },
      }),
    ).toEqual({ 'soc.activity.type': 'invoke', 'soc.activity.name': 'other', 'soc.conversation.kind': 'other' });
    expect(activityAttributes(undefined)).toEqual({});
    expect(activityAttributes('message')).toEqual({});
  });
});

describe('pathTemplate', () => {
  it.each([
    ['/v1.0/security/alerts_v2/da-1009', '/v1.0/security/alerts_v2/{id}'],
    ['/v1.0/security/alerts_v2', '/v1.0/security/alerts_v2'],
    ['/v1.0/security/incidents/31337/comments', '/v1.0/security/incidents/{id}/comments'],
    ['/v1.0/users/alice%40contoso.com', '/v1.0/users/{id}'],
    ['/v1.0/users/alice', '/v1.0/users/{id}'],
    ['/v1.0/security/runHuntingQuery', '/v1.0/security/runHuntingQuery'],
    ['/v1/workspaces/3f2a9c1e-7b4d-4e8a-9c0f-5d6e7f8a9b0c/query', '/v1/workspaces/{id}/query'],
    [
      '/subscriptions/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/resourceGroups/soc/providers/Microsoft.OperationalInsights/workspaces/contoso/providers/Microsoft.SecurityInsights/incidents/abc-1/comments/6c1d',
      '/subscriptions/{id}/resourceGroups/{id}/providers/Microsoft.OperationalInsights/workspaces/{id}/providers/Microsoft.SecurityInsights/incidents/{id}/comments/{id}',
    ],
    ['/v1.0/things/someone@contoso.com/x%ZZ', '/v1.0/things/{id}/{id}'],
  ])('%s → %s', (path, template) => {
    expect(pathTemplate(path)).toBe(template);
  });
});
