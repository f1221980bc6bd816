import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AlertSchema, IncidentSchema } from '../../../../src/sources/model';
import { mapGraphAlert, mapGraphIncident } from '../../../../src/sources/normalize/graph';
import { mapSentinelAlert, mapSentinelIncident } from '../../../../src/sources/normalize/sentinel';
import { mapGraphSignIn } from '../../../../src/sources/graph/user-context';
import { mapArmIncident } from '../../../../src/sources/sentinel/arm';
import { mapSigninLogsRow } from '../../../../src/sources/sentinel/sentinel-source';
import { rowsToRecords } from '../../../../src/sources/http/hunting';

/** The recorded Graph and Log Analytics payloads the contract tests serve, mapped directly. */

const fixtures = path.join(__dirname, '..', '..', '..', 'fixtures');
const load = (name: string): any => JSON.parse(readFileSync(path.join(fixtures, name), 'utf8'));

function tableRecords(name: string): Array<Record<string, unknown>> {
  const [table] = load(name).tables;
  return rowsToRecords(table.columns, table.rows, table.rows.length);
}

describe('recorded Graph payloads', () => {
  const pages = ['graph/alerts-page-1.json', 'graph/alerts-page-2.json', 'graph/alerts-page-3.json'];

  it('maps every alert on the recorded pages to a valid Alert', () => {
    const alerts = pages.flatMap((page) => load(page).value.map((item: unknown) => mapGraphAlert(item)));
    expect(alerts).toHaveLength(4);
    for (const alert of alerts) expect(AlertSchema.parse(alert)).toEqual(alert);
  });

  it('maps mailbox, message, URL and IP evidence of the phishing alert', () => {
    const alert = mapGraphAlert(load('graph/alert-mailbox-phish.json'));
    const byType = Object.fromEntries(alert.entities.map((entity) => [entity.type, entity]));
    expect(byType.mailbox).toMatchObject({ value: 'megan.bowen@contoso.example', roles: ['victim'] });
    expect(byType.mailMessage).toMatchObject({
      value: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
      properties: { subject: 'Your invoice INV-20931 is overdue', sender: 'billing@fabrikam-payments.example' },
    });
    expect(byType.url.value).toBe('https://fabrikam-payments.example/inv/20931');
    expect(byType.ip.value).toBe('203.0.113.45');
    expect(alert).toMatchObject({ severity: 'high', status: 'new', techniques: ['T1566.002'], incidentId: '2317' });
    expect(alert.classification).toBeUndefined();
  });

  it('maps device, process, file and user evidence', () => {
    const alert = mapGraphAlert(load('graph/alerts-page-1.json').value[1]);
    const types = alert.entities.map((entity) => entity.type);
    expect(types).toEqual(expect.arrayContaining(['host', 'account', 'process', 'file']));
  });

  it('maps an incident with its expanded alerts', () => {
    const incident = mapGraphIncident(load('graph/incident-expanded.json'));
    expect(IncidentSchema.parse(incident)).toEqual(incident);
    expect(incident.alertIds).toHaveLength(2);
  });

  it('maps sign-ins: error code 0 succeeded, others carry the failure reason, location as city and country', () => {
    const signIns = load('graph/sign-ins.json').value.map((entry: any) => mapGraphSignIn(entry));
    expect(signIns[0]).toEqual({
      time: '2026-03-02T07:33:10.000Z',
      ipAddress: '203.0.113.45',
      location: 'Amsterdam, NL',
      application: 'Office 365 Exchange Online',
      succeeded: true,
      failureReason: undefined,
    });
    expect(signIns[1]).toMatchObject({ succeeded: false, failureReason: expect.stringContaining('invalid username') });
  });
});

describe('recorded Log Analytics and ARM payloads', () => {
  it('maps SecurityAlert rows from a query result', () => {
    const alerts = tableRecords('sentinel/securityalert-rows.json').map((row) => mapSentinelAlert(row));
    expect(alerts.map((alert) => alert.sourceFormat)).toEqual(['sentinel', 'sentinel']);
    const spray = alerts[1];
    expect(spray).toMatchObject({
      id: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
      severity: 'medium',
      status: 'new',
      productName: 'Microsoft Sentinel',
      tactics: ['CredentialAccess', 'InitialAccess'],
    });
    expect(spray.recommendedActions?.split('\n')).toHaveLength(2);
    expect(spray.entities.find((entity) => entity.type === 'account')?.roles).toContain('compromised');
  });

  it('maps SecurityIncident rows whose dynamic columns arrive as JSON text', () => {
    const [newest, older] = tableRecords('sentinel/securityincident-rows.json').map((row) => mapSentinelIncident(row));
    expect(newest).toMatchObject({ id: '1043', severity: 'high', status: 'active', assignedTo: undefined });
    expect(older).toMatchObject({ id: '1042', status: 'inProgress', tags: ['Identity', 'Password spray'] });
  });

  it('maps an ARM incident resource like a SecurityIncident row', () => {
    const incident = mapArmIncident(load('sentinel/arm-incident.json'));
    expect(incident).toMatchObject({
      id: '1042',
      sourceFormat: 'sentinel',
      severity: 'medium',
      status: 'inProgress',
      assignedTo: 'jordan.lee@contoso.com',
      tags: ['Identity'],
      createdAt: '2024-05-02T08:31:12.447Z',
    });
  });

  it('maps SigninLogs rows', () => {
    const [success, failure] = tableRecords('sentinel/signinlogs-rows.json').map((row) => mapSigninLogsRow(row));
    expect(success).toMatchObject({ succeeded: true, ipAddress: '203.0.113.45', location: 'NL' });
    expect(failure).toMatchObject({ succeeded: false, failureReason: expect.stringContaining('invalid username') });
  });

  it('lines Log Analytics rows up with their columns, null for missing cells', () => {
    expect(rowsToRecords([{ name: 'A' }, { name: 'B' }], [[1], [2, 'x', 'extra']], 5)).toEqual([
      { A: 1, B: null },
      { A: 2, B: 'x' },
    ]);
  });
});
