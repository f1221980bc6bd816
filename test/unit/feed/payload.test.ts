import { alertsFromWebhookBody, maxAlertsPerRequest } from '../../../src/feed/payload';

const receivedAt = new Date('2026-11-27T10:00:00Z');
const graphAlert = (id: string) => ({
  '@odata.type': '#microsoft.graph.security.alert',
  id,
  title: `Alert ${id}`,
  severity: 'high',
  status: 'new',
  serviceSource: 'microsoftDefenderForEndpoint',
  createdDateTime: '2026-11-27T09:00:00Z',
});

describe('alertsFromWebhookBody', () => {
  it('takes one alert or a batch', () => {
    expect(alertsFromWebhookBody(graphAlert('a1'), receivedAt).map((alert) => alert.id)).toEqual(['a1']);
    expect(alertsFromWebhookBody([graphAlert('a1'), graphAlert('a2')], receivedAt)).toHaveLength(2);
  });

  it('turns a Graph incident with its alerts expanded into those alerts', () => {
    const incident = {
      '@odata.type': '#microsoft.graph.security.incident',
      id: '42',
      displayName: 'Multi-stage incident',
      severity: 'high',
      status: 'active',
      createdDateTime: '2026-11-27T09:00:00Z',
      incidentWebUrl: 'https://security.microsoft.com/incidents/42',
      alerts: [graphAlert('a1'), graphAlert('a2')],
    };
    const alerts = alertsFromWebhookBody(incident, receivedAt);
    expect(alerts.map((alert) => [alert.id, alert.incidentId])).toEqual([
      ['a1', '42'],
      ['a2', '42'],
    ]);
  });

  it('makes a Sentinel incident row one feed item of its own', () => {
    const [alert] = alertsFromWebhookBody(
      {
        IncidentNumber: 77,
        Title: 'Credential attack',
        Severity: 'Medium',
        Status: 'Active',
        CreatedTime: '2026-11-27T09:00:00Z',
      },
      receivedAt,
    );
    expect(alert).toMatchObject({
      id: 'incident-77',
      incidentId: '77',
      title: 'Credential attack',
      severity: 'medium',
    });
  });

  it.each([
    ['null', null, 'alert object'],
    ['a number', 42, 'alert object'],
    ['an empty batch', [], 'empty'],
    ['a batch of strings', ['a'], 'alert object'],
    ['an unknown object', { hello: 'world' }, 'Unsupported alert format'],
    ['a bad item in a batch', [graphAlert('a1'), { nope: 1 }], 'item 1'],
  ])('refuses %s, saying why', (_name, body, reason) => {
    expect(() => alertsFromWebhookBody(body, receivedAt)).toThrow(reason);
  });

  it(`caps a batch at ${maxAlertsPerRequest} alerts`, () => {
    const batch = Array.from({ length: maxAlertsPerRequest + 1 }, (_, index) => graphAlert(`a${index}`));
    expect(() => alertsFromWebhookBody(batch, receivedAt)).toThrow(`at most ${maxAlertsPerRequest}`);
  });
});
