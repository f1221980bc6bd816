import type { AuditRecord } from '../../../src/audit';
import { MemoryStore } from '../../../src/store';
import {
  analyst,
  cardAction,
  channelId,
  channelMessage,
  personalMessage,
  teamId,
  tenantId,
} from '../../support/activities';
import { repliedCards, useConnectedBot } from '../../support/bot-harness';
import { renderedText } from '../../support/cards';

/** Every request through /api/messages leaves exactly one audit record, with the right actor and no secrets. */
const store = new MemoryStore();

const harness = useConnectedBot({ overrides: { store } });
beforeEach(() => harness.connector.reset());

async function records(): Promise<AuditRecord[]> {
  const keys = await store.list('audit/');
  return Promise.all(keys.map(async (key) => (await store.get<AuditRecord>(key))!.value));
}

/** Posts one activity and returns the audit records it added. */
async function recordsAddedBy(activity: Record<string, unknown>): Promise<AuditRecord[]> {
  const before = new Set((await records()).map((record) => record.id));
  await harness.testBot.post(activity);
  return (await records()).filter((record) => !before.has(record.id));
}

describe('the audit trail through /api/messages', () => {
  it.each([
    ['help', 'help'],
    ['explain alert da-1004', 'explainAlertById'],
    ['analyze alert da-1004', 'analyzeAlertById'],
    ['triage', 'triageQueue'],
    ['investigate incident 42', 'investigateIncidentById'],
    ['report incident 42 for executives', 'reportIncident'],
    ['hunt for encoded PowerShell', 'huntForThreat'],
    ['kql failed sign-ins from new countries last 24h', 'questionToKql'],
    ['what is T1566.001', 'describeTechnique'],
    ['check 203.0.113[.]7', 'checkIndicators'],
    ['remediation for alert da-1009', 'remediateSubject'],
    ['incidents', 'listIncidents'],
    ['alerts high', 'listAlerts'],
    ['audit', 'showMyAudit'],
    ['make me a sandwich', 'unknownInput'],
  ])('"%s" writes exactly one %s record with the caller as actor', async (text, capability) => {
    const added = await recordsAddedBy(personalMessage(text));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      kind: 'message',
      capability,
      outcome: 'ok',
      actor: { aadObjectId: analyst.aadObjectId, name: analyst.name, userId: analyst.id, tenantId },
      where: { conversationKind: 'personal', conversationId: 'a:personal-chat-dana' },
    });
    expect(added[0].durationMs).toBeGreaterThanOrEqual(0);
  });

  it('records ids, the engine and the data source of an explanation, and where a channel request came from', async () => {
    const [record] = await recordsAddedBy(channelMessage('explain alert da-1004'));
    expect(record).toMatchObject({
      capability: 'explainAlertById',
      inputs: { alertId: 'da-1004' },
      engine: { kind: 'offline' },
      dataSources: ['demo'],
      where: { conversationKind: 'channel', teamId, channelId },
    });
  });

  it('records the KQL of a hunt', async () => {
    const [record] = await recordsAddedBy(personalMessage('hunt for encoded PowerShell in defender'));
    expect(record).toMatchObject({ capability: 'huntForThreat', engine: { kind: 'offline' } });
    expect(record.kql).toMatch(/DeviceProcessEvents/);
  });

  it('records a failure with its error code', async () => {
    const [record] = await recordsAddedBy(personalMessage('explain alert no-such-alert'));
    expect(record).toMatchObject({ capability: 'explainAlertById', outcome: 'error', errorCode: 'not_found' });
  });

  it.each([
    ['explainAlert', { alertId: 'da-1004' }],
    ['analyzeAlert', { alertId: 'da-1004' }],
    ['remediateAlert', { alertId: 'da-1009' }],
    ['investigateIncident', { incidentId: '42' }],
  ])('a %s button writes exactly one invoke record', async (verb, data) => {
    const added = await recordsAddedBy(cardAction(verb, data, { serviceUrl: harness.connector.url }));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      kind: 'invoke',
      capability: verb,
      outcome: 'ok',
      inputs: data,
      actor: { aadObjectId: analyst.aadObjectId, tenantId },
    });
  });

  it('"audit" shows the caller their own recent requests', async () => {
    const response = await harness.testBot.post(personalMessage('audit'));
    const shown = repliedCards(response.body).map(renderedText).join('\n');
    expect(shown).toContain('Your recent activity');
    expect(shown).toContain('explainAlertById');
    const other = personalMessage('audit');
    other.from = { id: '29:someone-else', name: 'Eve', aadObjectId: '00000000-0000-0000-0000-000000000999' };
    const theirs = repliedCards((await harness.testBot.post(other)).body)
      .map(renderedText)
      .join('\n');
    expect(theirs).toContain('no record of requests from you');
  });

  it('keeps no planted secret and no raw alert payload in any record', async () => {
    const secrets = {
      password: 'Winter2024!Pa55',
      bearer: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbmFseXN0In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
      accountKey: 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4MTIzNA==',
      pem: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
      marker: 'UNIQUE-PAYLOAD-MARKER-7781',
    };
    const connectionString = `DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=${secrets.accountKey};EndpointSuffix=core.windows.net`;
    const pem = `-----BEGIN PRIVATE KEY-----\n${secrets.pem}\n-----END PRIVATE KEY-----`;
    const alert = {
      id: 'planted-1',
      title: `Suspicious logon ${secrets.marker}`,
      severity: 'high',
      createdDateTime: new Date().toISOString(),
      evidence: [
        {
          '@odata.type': '#microsoft.graph.security.processEvidence',
          processCommandLine: `net use \\\\fs01\\c$ /user:corp\\admin ${secrets.password} && curl -H "Authorization: Bearer ${secrets.bearer}"`,
        },
      ],
      description: `${connectionString}\n${pem}`,
    };
    const messages = [
      personalMessage(`explain ${JSON.stringify(alert)}`),
      personalMessage(`run DeviceProcessEvents | where ProcessCommandLine has "-p ${secrets.password}" | take 5`),
      personalMessage(`check 203.0.113[.]7 Authorization: Bearer ${secrets.bearer}`),
      personalMessage(`analyze ${connectionString} ${pem}`),
      cardAction(
        'runHuntQuery',
        { query: `DeviceEvents | where AdditionalFields has "password=${secrets.password}"`, platform: 'defender' },
        { serviceUrl: harness.connector.url },
      ),
    ];
    for (const message of messages) expect(await recordsAddedBy(message)).toHaveLength(1);
    const stored = JSON.stringify(await records());
    for (const [name, secret] of Object.entries(secrets))
      expect({ name, found: stored.includes(secret) }).toEqual({ name, found: false });
    expect(stored).not.toContain('BEGIN PRIVATE KEY');
  });
});
