import { isCopilotError } from '../../../src/errors';
import { FakeAzureServer, fixture, reply, type FakeReply, type RecordedRequest } from './fake-azure';
import { ARM_INCIDENTS, LA_QUERY, sourcesAgainst } from './support';

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

/** Log Analytics answers chosen by the table the KQL starts with. */
function byTable(answers: Record<string, FakeReply>) {
  return (request: RecordedRequest): FakeReply => {
    const query = (request.body as { query: string }).query;
    const table = query.split(/\s|\|/)[0];
    return answers[table] ?? reply.error(400, 'BadArgumentError', `no answer for ${table}`);
  };
}

function sentQueries(): string[] {
  return server.requestsTo(LA_QUERY).map((request) => (request.body as { query: string }).query);
}

describe('sentinel source: alerts and incidents over Log Analytics', () => {
  it('lists the latest state of each alert with arg_max, severity and status filters', async () => {
    server.on(LA_QUERY, reply.fixture('sentinel/securityalert-rows.json'));
    const { source } = sourcesAgainst(server, ['sentinel']);
    const alerts = await source.listAlerts({
      since: new Date('2026-03-01T00:00:00Z'),
      minimumSeverity: 'medium',
      status: 'new',
      limit: 10,
    });
    const [query] = sentQueries();
    expect(query).toBe(
      [
        'SecurityAlert',
        '| where TimeGenerated >= datetime(2026-03-01T00:00:00.000Z)',
        '| summarize arg_max(TimeGenerated, *) by SystemAlertId',
        '| where AlertSeverity in~ ("Medium", "High")',
        '| where Status in~ ("New")',
        '| order by TimeGenerated desc',
        '| take 10',
      ].join('\n'),
    );
    expect(server.requests[0].body).toMatchObject({ timespan: 'P3D' });
    expect(alerts).toHaveLength(2);
    const spray = alerts.find((alert) => alert.id === '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
    expect(spray).toMatchObject({
      sourceFormat: 'sentinel',
      severity: 'medium',
      techniques: ['T1110', 'T1078', 'T1110.003'],
    });
    expect(spray?.entities.map((entity) => entity.type).sort()).toEqual(['account', 'ip', 'mailbox', 'url']);
    expect(alerts[0].entities.map((entity) => entity.type)).toEqual(
      expect.arrayContaining(['host', 'process', 'file']),
    );
  });

  it('filters by entity value after mapping', async () => {
    server.on(LA_QUERY, reply.fixture('sentinel/securityalert-rows.json'));
    const { source } = sourcesAgainst(server, ['sentinel']);
    const alerts = await source.listAlerts({ entityValues: ['megan.bowen@contoso.example'], limit: 5 });
    expect(alerts.map((alert) => alert.id)).toEqual(['7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f']);
    expect(sentQueries()[0]).toContain('| take 500');
  });

  it('gets an alert by SystemAlertId as a quoted literal, undefined when no row comes back', async () => {
    server.on(
      LA_QUERY,
      reply.fixture('sentinel/securityalert-one.json'),
      reply.json({ tables: [{ name: 'PrimaryResult', columns: [], rows: [] }] }),
    );
    const { source } = sourcesAgainst(server, ['sentinel']);
    expect((await source.getAlert('7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f'))?.title).toBe(
      'Password spray followed by a successful sign-in',
    );
    expect(sentQueries()[0]).toContain('| where SystemAlertId == "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"');
    expect(await source.getAlert('0000')).toBeUndefined();
    expect(await source.getAlert('x" | union SigninLogs')).toBeUndefined();
    expect(server.requests).toHaveLength(2);
  });

  it('lists and gets incidents by number', async () => {
    server.on(
      LA_QUERY,
      reply.fixture('sentinel/securityincident-rows.json'),
      reply.fixture('sentinel/securityincident-one.json'),
    );
    const { source } = sourcesAgainst(server, ['sentinel']);
    const incidents = await source.listIncidents({ minimumSeverity: 'high', limit: 2 });
    expect(incidents.map((incident) => incident.id)).toEqual(['1043', '1042']);
    expect(sentQueries()[0]).toContain('| summarize arg_max(TimeGenerated, *) by IncidentNumber');
    expect(sentQueries()[0]).toContain('| where Severity in~ ("High")');
    const incident = await source.getIncident('#1042');
    expect(incident).toMatchObject({ id: '1042', status: 'inProgress', assignedTo: 'jordan.lee@contoso.com' });
    expect(incident?.alertIds).toHaveLength(2);
    expect(sentQueries()[1]).toContain('| where IncidentNumber == 1042');
  });

  it('reports a malformed answer and a 404 workspace clearly', async () => {
    server.on(
      LA_QUERY,
      reply.raw('{"tables": [', 200),
      reply.error(404, 'WorkspaceNotFoundError', 'Workspace not found'),
    );
    const { source } = sourcesAgainst(server, ['sentinel']);
    expect((await rejection(source.listIncidents())).code).toBe('source_invalid_response');
    expect((await rejection(source.listIncidents())).code).toBe('not_found');
  });
});

describe('sentinel source: user context', () => {
  it('combines IdentityInfo and SigninLogs', async () => {
    server.otherwise(
      LA_QUERY,
      byTable({
        IdentityInfo: reply.fixture('sentinel/identityinfo-row.json'),
        SigninLogs: reply.fixture('sentinel/signinlogs-rows.json'),
      }),
    );
    const { source } = sourcesAgainst(server, ['sentinel']);
    const context = await source.getUserContext('Megan.Bowen@contoso.example');
    expect(context).toMatchObject({
      userPrincipalName: 'megan.bowen@contoso.example',
      department: 'Finance',
      manager: 'alex.wilber@contoso.example',
      riskLevel: 'medium',
      isPrivileged: true,
    });
    expect(context?.recentSignIns.map((signIn) => signIn.succeeded)).toEqual([true, false]);
    expect(sentQueries().join('\n')).toContain('| where AccountUPN =~ "Megan.Bowen@contoso.example"');
  });

  it('treats a missing table as no context, not an error', async () => {
    server.otherwise(
      LA_QUERY,
      byTable({
        IdentityInfo: reply.fixture('sentinel/log-analytics-error-missing-table.json', 400),
        SigninLogs: reply.fixture('sentinel/signinlogs-rows.json'),
      }),
    );
    const { source } = sourcesAgainst(server, ['sentinel']);
    const context = await source.getUserContext('megan.bowen@contoso.example');
    expect(context).toMatchObject({ userPrincipalName: 'megan.bowen@contoso.example', riskLevel: 'unknown' });
    expect(context?.recentSignIns).toHaveLength(2);

    server.reset();
    server.otherwise(LA_QUERY, reply.fixture('sentinel/log-analytics-error-missing-table.json', 400));
    expect(await source.getUserContext('megan.bowen@contoso.example')).toBeUndefined();
  });
});

describe('sentinel source: incident write-back through ARM', () => {
  const INCIDENT = `${ARM_INCIDENTS}/8f2d6c1e-3b4a-4e5f-9a7b-1c2d3e4f5a6b`;

  it('resolves the number to the incident name, then PUTs the changed properties with the etag', async () => {
    server.on(LA_QUERY, reply.fixture('sentinel/securityincident-one.json'));
    server.on(`GET ${INCIDENT}`, reply.fixture('sentinel/arm-incident.json'));
    // ARM answers with the whole resource: the server-computed properties come back with the new etag.
    server.on(`PUT ${INCIDENT}`, (request) => {
      const stored = fixture('sentinel/arm-incident.json');
      const sent = request.body as { properties: Record<string, unknown> };
      return reply.json({
        ...stored,
        etag: '"0400c1a2-0000-0000-0000-5c37296e0000"',
        properties: { ...stored.properties, ...sent.properties },
      });
    });
    const { source } = sourcesAgainst(server, ['sentinel']);
    const updated = await source.updateIncident?.('1042', {
      status: 'resolved',
      classification: 'truePositive',
      determination: 'compromisedAccount',
      assignedTo: 'soc-analyst@contoso.example',
    });
    const put = server.requestsTo(`PUT ${INCIDENT}`)[0];
    expect(put.query).toEqual({ 'api-version': '2024-03-01' });
    const body = put.body as { etag: string; properties: Record<string, unknown> };
    expect(body.etag).toBe('"0300bf09-0000-0000-0000-5c37296e0000"');
    expect(body.properties).toMatchObject({
      title: 'Password spray against Entra ID followed by a successful sign-in',
      severity: 'Medium',
      status: 'Closed',
      classification: 'TruePositive',
      classificationReason: 'SuspiciousActivity',
      owner: { userPrincipalName: 'soc-analyst@contoso.example' },
    });
    expect(body.properties.incidentNumber).toBeUndefined();
    expect(updated).toMatchObject({ id: '1042', status: 'resolved', classification: 'TruePositive' });
  });

  it('reports an etag conflict as source_conflict', async () => {
    server.on(`GET ${INCIDENT}`, reply.fixture('sentinel/arm-incident.json'));
    server.on(`PUT ${INCIDENT}`, reply.error(412, 'PreconditionFailed', 'The etag does not match'));
    const { source } = sourcesAgainst(server, ['sentinel']);
    const error = await rejection(
      source.updateIncident!('8f2d6c1e-3b4a-4e5f-9a7b-1c2d3e4f5a6b', { status: 'inProgress' }),
    );
    expect(error.code).toBe('source_conflict');
  });

  it('adds a comment under a new id, false for an incident that does not exist', async () => {
    server.on(`PUT ${INCIDENT}/comments/`, reply.fixture('sentinel/arm-incident-comment.json'));
    server.on(LA_QUERY, reply.json({ tables: [{ name: 'PrimaryResult', columns: [], rows: [] }] }));
    const { source } = sourcesAgainst(server, ['sentinel']);
    expect(await source.addIncidentComment?.('8f2d6c1e-3b4a-4e5f-9a7b-1c2d3e4f5a6b', 'Contained.')).toBe(true);
    const put = server.requestsTo(`PUT ${INCIDENT}/comments/`)[0];
    expect(put.path).toMatch(/\/comments\/[0-9a-f-]{36}$/);
    expect(put.body).toEqual({ properties: { message: 'Contained.' } });
    expect(await source.addIncidentComment?.('9999', 'Nothing')).toBe(false);
  });

  it('has no write-back without the workspace ARM coordinates, and none for alerts', () => {
    const { source } = sourcesAgainst(server, ['sentinel'], { arm: false });
    expect(source.updateIncident).toBeUndefined();
    expect(source.addIncidentComment).toBeUndefined();
    expect(source.updateAlert).toBeUndefined();
  });
});

describe('sentinel source: probe', () => {
  it('runs a table-less query and reports both APIs', async () => {
    server.on(
      LA_QUERY,
      reply.json({ tables: [{ name: 'PrimaryResult', columns: [{ name: 'probe', type: 'long' }], rows: [[1]] }] }),
    );
    const { source } = sourcesAgainst(server, ['sentinel']);
    await source.probe?.();
    expect(sentQueries()).toEqual(['print probe = 1']);
    expect(source.health?.().map((health) => health.api)).toEqual(['Log Analytics', 'Azure Resource Manager']);
  });
});
