import { isCopilotError } from '../../../src/errors';
import { FakeAzureServer, fixture, reply, type FakeReply } from './fake-azure';
import { sourcesAgainst } from './support';

let server: FakeAzureServer;

beforeAll(async () => {
  server = await FakeAzureServer.start();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => server.reset());

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isCopilotError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** A recorded page whose next link points at the fake instead of graph.microsoft.com. */
function page(name: string): FakeReply {
  const body = fixture(name);
  if (body['@odata.nextLink'])
    body['@odata.nextLink'] = body['@odata.nextLink'].replace('https://graph.microsoft.com', server.url);
  return reply.json(body);
}

const ALERTS = 'GET /v1.0/security/alerts_v2';
const INCIDENTS = 'GET /v1.0/security/incidents';

describe('graph source: alerts', () => {
  it('lists alerts across three pages, following @odata.nextLink, with every evidence kind mapped', async () => {
    server.on(
      ALERTS,
      page('graph/alerts-page-1.json'),
      page('graph/alerts-page-2.json'),
      page('graph/alerts-page-3.json'),
    );
    const { source } = sourcesAgainst(server, ['graph']);
    const alerts = await source.listAlerts({ since: new Date('2026-02-28T10:00:00Z'), limit: 10 });

    expect(server.requests).toHaveLength(3);
    expect(server.requests[0].query).toEqual({ $filter: 'lastUpdateDateTime ge 2026-02-28T10:00:00.000Z', $top: '10' });
    expect(server.requests[1].query.$skiptoken).toBe('b2Zmc2V0PTI=');
    expect(server.requests[2].query.$skiptoken).toBe('b2Zmc2V0PTQ=');
    expect(alerts).toHaveLength(4);
    expect(alerts.every((alert) => alert.sourceFormat === 'graph')).toBe(true);

    const entityTypes = new Set(alerts.flatMap((alert) => alert.entities.map((entity) => entity.type)));
    for (const type of ['host', 'account', 'process', 'file', 'ip', 'url', 'mailbox', 'mailMessage']) {
      expect(entityTypes).toContain(type);
    }
    const phish = alerts.find((alert) => alert.id === 'fa4c1e6b2d-8f3a-4b7c-9d0e-1f2a3b4c5d6e_1');
    expect(phish).toMatchObject({
      severity: 'high',
      status: 'new',
      incidentId: '2317',
      productName: 'Microsoft Defender for Office 365',
      techniques: ['T1566.002'],
    });
    expect(phish?.entities.find((entity) => entity.type === 'mailbox')?.value).toBe('megan.bowen@contoso.example');
  });

  it('filters by severity and status and stops paging once the limit is reached', async () => {
    server.on(ALERTS, page('graph/alerts-page-1.json'), page('graph/alerts-page-2.json'));
    const { source } = sourcesAgainst(server, ['graph']);
    const alerts = await source.listAlerts({
      since: new Date('2026-03-01T00:00:00Z'),
      minimumSeverity: 'medium',
      status: 'new',
      limit: 2,
    });
    expect(alerts).toHaveLength(2);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].query.$filter).toBe(
      "lastUpdateDateTime ge 2026-03-01T00:00:00.000Z and (severity eq 'medium' or severity eq 'high') and status eq 'new'",
    );
  });

  it('filters by entity value after mapping, reading modest pages until enough alerts match', async () => {
    server.on(
      ALERTS,
      page('graph/alerts-page-1.json'),
      page('graph/alerts-page-2.json'),
      page('graph/alerts-page-3.json'),
    );
    const { source } = sourcesAgainst(server, ['graph']);
    const alerts = await source.listAlerts({ entityValues: ['https://fabrikam-payments.example/inv/20931'], limit: 1 });
    expect(alerts.map((alert) => alert.id)).toEqual(['fa4c1e6b2d-8f3a-4b7c-9d0e-1f2a3b4c5d6e_1']);
    expect(server.requests[0].query.$top).toBe('500');
    expect(server.requests).toHaveLength(1);
  });

  it('stops at the page cap', async () => {
    const { source } = sourcesAgainst(server, ['graph']);
    server.otherwise(ALERTS, () => page('graph/alerts-page-1.json'));
    const alerts = await source.listAlerts({ limit: 1000 });
    expect(server.requests).toHaveLength(5);
    expect(alerts.length).toBeGreaterThan(0);
  });

  it('gets one alert, and undefined for a 404 or an id that cannot exist', async () => {
    server.on(`${ALERTS}/fa4c1e6b2d`, reply.fixture('graph/alert-mailbox-phish.json'));
    server.on(`${ALERTS}/missing`, reply.error(404, 'NotFound', 'Alert not found'));
    const { source } = sourcesAgainst(server, ['graph']);
    expect((await source.getAlert('fa4c1e6b2d-8f3a-4b7c-9d0e-1f2a3b4c5d6e_1'))?.title).toBe(
      'Email messages containing malicious URL removed after delivery',
    );
    expect(await source.getAlert('missing')).toBeUndefined();
    expect(await source.getAlert('../../users')).toBeUndefined();
    expect(server.requests).toHaveLength(2);
  });

  it('reports a malformed list as source_invalid_response', async () => {
    server.on(ALERTS, reply.json({ value: [{ title: 'no id' }] }));
    const { source } = sourcesAgainst(server, ['graph']);
    expect((await rejection(source.listAlerts())).code).toBe('source_invalid_response');
  });

  it('waits out a 429 Retry-After and re-acquires an expired token once', async () => {
    server.on(
      ALERTS,
      reply.error(429, 'TooManyRequests', 'Rate limit', { 'retry-after': '3' }),
      reply.error(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'),
      page('graph/alerts-page-3.json'),
    );
    const { source, waits, credential } = sourcesAgainst(server, ['graph']);
    expect(await source.listAlerts()).toHaveLength(1);
    expect(waits).toEqual([3000]);
    expect(credential.issuedCount).toBe(2);
  });
});

describe('graph source: incidents', () => {
  it('lists incidents with their alerts expanded', async () => {
    server.on(INCIDENTS, reply.fixture('graph/incidents-expanded.json'));
    const { source } = sourcesAgainst(server, ['graph']);
    const [incident] = await source.listIncidents({ minimumSeverity: 'high', limit: 5 });
    expect(server.requests[0].query).toMatchObject({ $expand: 'alerts', $top: '5' });
    expect(server.requests[0].query.$filter).toContain("(severity eq 'high')");
    expect(incident).toMatchObject({ id: '31337', sourceFormat: 'graph' });
    expect(incident.alertIds).toEqual(['fa0f8c3e2b-7d41-4a9e-b0c6-2f5d8e1a9b37', 'da638512345678901234_-1572839465']);
  });

  it('gets an incident by number (with or without #), undefined when Graph answers 404', async () => {
    server.on(`${INCIDENTS}/31337`, reply.fixture('graph/incident-expanded.json'));
    server.on(`${INCIDENTS}/404`, reply.error(404, 'NotFound', 'Incident not found'));
    const { source } = sourcesAgainst(server, ['graph']);
    expect((await source.getIncident('#31337'))?.alertIds).toHaveLength(2);
    expect(server.requests[0].query).toEqual({ $expand: 'alerts' });
    expect(await source.getIncident('404')).toBeUndefined();
  });
});

describe('graph source: user context', () => {
  const USER = 'GET /v1.0/users/megan.bowen@contoso.example';
  const RISK = 'GET /v1.0/identityProtection/riskyUsers';
  const SIGN_INS = 'GET /v1.0/auditLogs/signIns';

  it('combines profile and manager, Identity Protection risk and recent sign-ins', async () => {
    server.on(USER, reply.fixture('graph/user-with-manager.json'));
    server.on(RISK, reply.fixture('graph/risky-users.json'));
    server.on(SIGN_INS, reply.fixture('graph/sign-ins.json'));
    const { source } = sourcesAgainst(server, ['graph']);
    const context = await source.getUserContext('megan.bowen@contoso.example');
    expect(context).toMatchObject({
      userPrincipalName: 'megan.bowen@contoso.example',
      displayName: 'Megan Bowen',
      department: 'Finance',
      manager: 'alex.wilber@contoso.example',
      riskLevel: 'high',
    });
    expect(context?.recentSignIns).toHaveLength(3);
    expect(context?.recentSignIns[1]).toMatchObject({
      succeeded: false,
      ipAddress: '203.0.113.45',
      location: 'Amsterdam, NL',
      failureReason: 'Error validating credentials due to invalid username or password.',
    });
    expect(server.requestsTo(USER)[0].query.$expand).toBe('manager($select=displayName,userPrincipalName)');
    expect(server.requestsTo(RISK)[0].query.$filter).toBe("userPrincipalName eq 'megan.bowen@contoso.example'");
  });

  it('returns a partial context when a sub-call fails (no P2 licence, missing permission)', async () => {
    server.on(USER, reply.fixture('graph/user-with-manager.json'));
    server.on(RISK, reply.error(403, 'Forbidden', 'Tenant is not licensed for Entra ID P2'));
    server.on(SIGN_INS, reply.error(403, 'Authorization_RequestDenied', 'Insufficient privileges'));
    const { source } = sourcesAgainst(server, ['graph']);
    const context = await source.getUserContext('megan.bowen@contoso.example');
    expect(context).toMatchObject({ displayName: 'Megan Bowen', riskLevel: 'unknown', recentSignIns: [] });
  });

  it('is undefined for an unknown user, and throws when every call fails', async () => {
    server.on(USER, reply.error(404, 'Request_ResourceNotFound', 'does not exist'));
    server.on(RISK, reply.json({ value: [] }));
    server.on(SIGN_INS, reply.json({ value: [] }));
    const { source } = sourcesAgainst(server, ['graph']);
    expect(await source.getUserContext('megan.bowen@contoso.example')).toBeUndefined();

    server.reset();
    server.otherwise('GET /v1.0/', reply.error(403, 'Forbidden', 'no'));
    expect((await rejection(source.getUserContext('megan.bowen@contoso.example'))).code).toBe('source_auth_failed');
  });
});

describe('graph source: write-back', () => {
  it('PATCHes alert triage fields and maps the updated alert', async () => {
    server.on('PATCH /v1.0/security/alerts_v2/fa4c1e6b2d', (request) =>
      reply.json({ ...fixture('graph/alert-mailbox-phish.json'), ...(request.body as object) }),
    );
    const { source } = sourcesAgainst(server, ['graph']);
    const updated = await source.updateAlert?.('fa4c1e6b2d-8f3a-4b7c-9d0e-1f2a3b4c5d6e_1', {
      status: 'resolved',
      assignedTo: 'soc-analyst@contoso.example',
      classification: 'truePositive',
      determination: 'phishing',
    });
    expect(server.requests[0].body).toEqual({
      status: 'resolved',
      assignedTo: 'soc-analyst@contoso.example',
      classification: 'truePositive',
      determination: 'phishing',
    });
    expect(updated).toMatchObject({ status: 'resolved', classification: 'truePositive', determination: 'phishing' });
  });

  it('posts alert and incident comments, false when the item does not exist', async () => {
    server.on('POST /v1.0/security/alerts_v2/a1/comments', reply.json({ value: [{ comment: 'x' }] }));
    server.on('POST /v1.0/security/incidents/31337/comments', reply.json({ value: [{ comment: 'y' }] }));
    server.on('POST /v1.0/security/incidents/9/comments', reply.error(404, 'NotFound', 'no incident'));
    const { source } = sourcesAgainst(server, ['graph']);
    expect(await source.addAlertComment?.('a1', 'Checked with the user: not them.')).toBe(true);
    expect(await source.addIncidentComment?.('#31337', 'Contained.')).toBe(true);
    expect(await source.addIncidentComment?.('9', 'Nothing')).toBe(false);
    expect(server.requests[0].body).toEqual({
      '@odata.type': 'microsoft.graph.security.alertComment',
      comment: 'Checked with the user: not them.',
    });
  });

  it('PATCHes incidents (tags as customTags) and refuses invalid updates before sending', async () => {
    server.on('PATCH /v1.0/security/incidents/31337', reply.fixture('graph/incident-expanded.json'));
    const { source } = sourcesAgainst(server, ['graph']);
    await source.updateIncident?.('31337', { status: 'inProgress', tags: ['phishing'] });
    expect(server.requests[0].body).toEqual({ status: 'inProgress', customTags: ['phishing'] });
    expect((await rejection(source.updateIncident!('31337', { status: 'closed' } as never))).code).toBe('bad_input');
    expect((await rejection(source.addAlertComment!('a1', '   '))).code).toBe('bad_input');
    expect(server.requests).toHaveLength(1);
  });
});

describe('graph source: probe and health', () => {
  it('probes with one cheap call and reports the circuit state', async () => {
    server.on(ALERTS, reply.json({ value: [] }));
    const { source } = sourcesAgainst(server, ['graph']);
    await source.probe?.();
    expect(server.requests[0].query).toEqual({ $top: '1' });
    expect(source.health?.()).toEqual([{ api: 'Microsoft Graph', circuit: 'closed' }]);
  });
});
