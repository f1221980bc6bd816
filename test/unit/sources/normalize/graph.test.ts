import { AlertSchema, IncidentSchema } from '../../../../src/sources/model';
import type { Alert, Entity } from '../../../../src/sources/model';
import { mapGraphAlert, mapGraphIncident, mapGraphIncidentAlerts } from '../../../../src/sources/normalize/graph';
import { loadAlertFixture } from './load-fixture';

function entity(alert: Alert, type: Entity['type']): Entity[] {
  return alert.entities.filter((candidate) => candidate.type === type);
}

describe('mapGraphAlert', () => {
  const alert = mapGraphAlert(loadAlertFixture('graph-alert-v2.json'));

  it('maps the alert facts', () => {
    expect(alert).toMatchObject({
      id: 'da638512345678901234_-1572839465',
      sourceFormat: 'graph',
      title: 'Suspicious PowerShell command line',
      severity: 'high',
      status: 'inProgress',
      category: 'Execution',
      productName: 'Microsoft Defender for Endpoint',
      serviceSource: 'microsoftDefenderForEndpoint',
      detectionSource: 'microsoftDefenderForEndpoint',
      incidentId: '31337',
      assignedTo: 'soc.tier1@contoso.com',
      tenantId: 'b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c',
      createdAt: '2024-05-02T09:14:51.603Z',
      firstActivityAt: '2024-05-02T09:12:03.116Z',
      lastActivityAt: '2024-05-02T09:13:58.222Z',
      lastUpdatedAt: '2024-05-02T09:42:10.326Z',
    });
    expect(alert.portalUrl).toMatch(/^https:\/\/security\.microsoft\.com\/alerts\//);
    expect(alert.recommendedActions).toContain('Base64-encoded');
    expect(() => AlertSchema.parse(alert)).not.toThrow();
  });

  it('drops Graph\'s "unknown" classification and determination', () => {
    expect(alert.classification).toBeUndefined();
    expect(alert.determination).toBeUndefined();
  });

  it('normalizes, deduplicates and filters MITRE technique ids', () => {
    expect(alert.techniques).toEqual(['T1059.001', 'T1027']);
  });

  it('maps device evidence to a host with its roles and device facts', () => {
    const [host] = entity(alert, 'host');
    expect(host.value).toBe('eng-wks-022.contoso.com');
    expect(host.roles).toEqual(['compromised']);
    expect(host.properties).toMatchObject({
      mdeDeviceId: '4b2e1f0c9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c',
      osPlatform: 'Windows11',
      riskScore: 'high',
      verdict: 'suspicious',
      loggedOnUsers: 'CONTOSO\\kwatanabe',
      detailedRoles: 'Main device',
    });
    expect(host.properties.remediationStatus).toBeUndefined();
  });

  it('maps user evidence to an account keyed by UPN', () => {
    const [account] = entity(alert, 'account');
    expect(account.value).toBe('kenji.watanabe@contoso.com');
    expect(account.properties).toMatchObject({
      accountName: 'kwatanabe',
      domainName: 'CONTOSO',
      aadUserId: '6f3c1a2b-8d4e-4f5a-9b6c-7d8e9f0a1b2c',
      sid: 'S-1-5-21-1004336348-1177238915-682003330-2417',
    });
  });

  it('maps process evidence with its image, parent, hashes and account', () => {
    const [process] = entity(alert, 'process');
    expect(process.value).toMatch(/^powershell\.exe -NoProfile -WindowStyle Hidden -EncodedCommand /);
    expect(process.properties).toMatchObject({
      imageFile: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      parentProcess: 'C:\\Windows\\explorer.exe',
      sha256: '9598033af8259b4d4ea71979a26f80e246bd2292921d42d4f2b428dc90c94945',
      processId: '7832',
      parentProcessId: '5120',
      account: 'kenji.watanabe@contoso.com',
      verdict: 'malicious',
    });
  });

  it('maps file, url, ip and registry evidence', () => {
    const [file] = entity(alert, 'file');
    expect(file).toMatchObject({ value: 'update_helper.dll', roles: ['created'] });
    expect(file.properties).toMatchObject({
      sha256: '55e916d1ed417203fd34cf794e0630f0b75ff32f01b736500eec44f9b1c677a8',
      sha1: '5a20d6a084ac2394c2226ed424f63a0d7e313cc0',
      filePath: 'C:\\Users\\kwatanabe\\AppData\\Local\\Temp\\update_helper.dll',
      remediationStatus: 'prevented',
    });
    expect(entity(alert, 'url')[0]).toMatchObject({
      value: 'https://cdn-telemetry-sync.example/a',
      roles: ['commandAndControl'],
    });
    expect(entity(alert, 'ip')[0]).toMatchObject({
      value: '203.0.113.45',
      roles: ['commandAndControl', 'destination'],
      properties: expect.objectContaining({ countryLetterCode: 'NL' }),
    });
    expect(entity(alert, 'registryKey')[0].value).toBe(
      'HKEY_CURRENT_USER\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run',
    );
    const [registryValue] = entity(alert, 'registryValue');
    expect(registryValue.value).toBe(
      'HKEY_CURRENT_USER\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\OneDriveUpdateHelper',
    );
    expect(registryValue.properties).toMatchObject({ valueType: 'String', valueName: 'OneDriveUpdateHelper' });
    expect(registryValue.properties.valueData).toContain('update_helper.dll');
  });

  it('maps e-mail, mailbox, cloud app and unmodelled evidence of a Defender for Office 365 alert', () => {
    const urlClick = mapGraphAlert(loadAlertFixture('graph-alert-v2-url-click.json'));
    expect(urlClick.productName).toBe('Microsoft Defender for Office 365');
    expect(urlClick.techniques).toEqual(['T1566.002', 'T1204.001']);
    expect(entity(urlClick, 'mailbox')[0]).toMatchObject({ value: 'priya.raman@contoso.com', roles: ['victim'] });
    const [message] = entity(urlClick, 'mailMessage');
    expect(message.value).toBe('7c1f2e3d-4b5a-4c69-8d7e-9f0a1b2c3d4e');
    expect(message.properties).toMatchObject({
      subject: 'Action required: confirm your direct deposit details',
      sender: 'payroll@contoso-payroll-update.example',
      recipient: 'priya.raman@contoso.com',
      senderIp: '198.51.100.23',
      deliveryAction: 'delivered',
      threats: 'Phish',
    });
    expect(entity(urlClick, 'cloudApplication')[0]).toMatchObject({
      value: 'Microsoft Exchange Online',
      properties: expect.objectContaining({ appId: '20893' }),
    });
    expect(entity(urlClick, 'other')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: 'Phish', properties: { kind: 'threat' } }),
        expect.objectContaining({
          value: 'payroll@contoso-payroll-update.example',
          properties: expect.objectContaining({ kind: 'mailClusterEvidence', emailCount: '14' }),
        }),
      ]),
    );
  });

  it('maps Azure resource, OAuth application and file hash evidence', () => {
    const mapped = mapGraphAlert({
      '@odata.type': '#microsoft.graph.security.alert',
      id: 'dc-1',
      title: 'Digital currency mining related behavior detected',
      severity: 'medium',
      status: 'new',
      createdDateTime: '2024-05-03T01:00:00Z',
      evidence: [
        {
          '@odata.type': '#microsoft.graph.security.azureResourceEvidence',
          resourceId: '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1',
          resourceName: 'vm1',
          resourceType: 'Virtual Machine',
          roles: ['compromised'],
        },
        {
          '@odata.type': '#microsoft.graph.security.oauthApplicationEvidence',
          appId: 'a1b2',
          displayName: 'Mail Sync Helper',
          publisher: 'Unverified',
        },
        { '@odata.type': '#microsoft.graph.security.fileHashEvidence', algorithm: 'sha256', value: 'ab'.repeat(32) },
      ],
    });
    expect(entity(mapped, 'azureResource')[0]).toMatchObject({
      value: '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1',
      roles: ['compromised'],
      properties: { resourceName: 'vm1', resourceType: 'Virtual Machine' },
    });
    expect(entity(mapped, 'cloudApplication')[0].properties).toMatchObject({
      kind: 'oauthApplication',
      publisher: 'Unverified',
    });
    expect(entity(mapped, 'file')[0]).toMatchObject({
      value: 'ab'.repeat(32),
      properties: { sha256: 'ab'.repeat(32) },
    });
  });

  it('treats evidence types named like object prototype members as unknown evidence', () => {
    const mapped = mapGraphAlert({
      id: 'prototype',
      title: 'x',
      createdDateTime: '2024-05-03T01:00:00Z',
      evidence: [
        { '@odata.type': '#microsoft.graph.security.valueOf', displayName: 'a' },
        { '@odata.type': 'constructor', displayName: 'b' },
      ],
    });
    expect(mapped.entities.map((entity) => [entity.type, entity.value, entity.properties.kind])).toEqual([
      ['other', 'a', 'valueOf'],
      ['other', 'b', 'constructor'],
    ]);
  });

  it('merges repeated evidence for the same entity', () => {
    const mapped = mapGraphAlert({
      '@odata.type': '#microsoft.graph.security.alert',
      id: 'merge',
      title: 'x',
      createdDateTime: '2024-05-03T01:00:00Z',
      evidence: [
        { '@odata.type': '#microsoft.graph.security.ipEvidence', ipAddress: '192.0.2.7', roles: ['source'] },
        { '@odata.type': '#microsoft.graph.security.ipEvidence', ipAddress: '192.0.2.7', roles: ['attacker'] },
      ],
    });
    expect(mapped.entities).toEqual([
      { type: 'ip', value: '192.0.2.7', properties: {}, roles: ['source', 'attacker'] },
    ]);
  });

  it('survives missing and odd fields with sensible defaults', () => {
    const receivedAt = new Date('2024-06-01T00:00:00Z');
    const mapped = mapGraphAlert(
      {
        '@odata.type': '#microsoft.graph.security.alert',
        severity: 'unknown',
        status: 'unknownFutureValue',
        createdDateTime: 'not a date',
        mitreTechniques: 'T1059',
        evidence: [null, 42, { '@odata.type': '#microsoft.graph.security.ipEvidence' }, { roles: 'attacker' }],
        incidentId: 1234,
      },
      { receivedAt },
    );
    expect(mapped).toMatchObject({
      title: 'Untitled alert from Microsoft Defender XDR',
      severity: 'informational',
      status: 'unknown',
      createdAt: '2024-06-01T00:00:00.000Z',
      incidentId: '1234',
      techniques: [],
      entities: [],
    });
    expect(mapped.id).toMatch(/^graph-[0-9a-f]{16}$/);
    expect(mapGraphAlert({ title: 'same' }, { receivedAt }).id).toBe(
      mapGraphAlert({ title: 'same' }, { receivedAt }).id,
    );
  });
});

describe('mapGraphIncident', () => {
  const payload = loadAlertFixture('graph-incident.json');

  it('maps the incident with tags and the ids of its expanded alerts', () => {
    const incident = mapGraphIncident(payload);
    expect(incident).toEqual(
      IncidentSchema.parse({
        id: '31337',
        sourceFormat: 'graph',
        title: 'Multi-stage incident involving Initial access & Execution on one endpoint reported by multiple sources',
        description:
          "A phishing e-mail with a payroll lure led to a URL click and, the next morning, to encoded PowerShell on the same user's workstation.",
        severity: 'high',
        status: 'inProgress',
        createdAt: '2024-05-01T14:03:15.553Z',
        lastUpdatedAt: '2024-05-02T09:45:45.113Z',
        alertIds: ['fa0f8c3e2b-7d41-4a9e-b0c6-2f5d8e1a9b37', 'da638512345678901234_-1572839465'],
        assignedTo: 'soc.tier1@contoso.com',
        classification: 'truePositive',
        determination: 'multiStagedAttack',
        tags: ['Finance', 'VIP', 'Defender Experts'],
        portalUrl: 'https://security.microsoft.com/incidents/31337?tid=b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c',
      }),
    );
  });

  it('maps the expanded alerts and gives them the incident id when they lack one', () => {
    const alerts = mapGraphIncidentAlerts(payload);
    expect(alerts.map((alert) => [alert.id, alert.incidentId])).toEqual([
      ['fa0f8c3e2b-7d41-4a9e-b0c6-2f5d8e1a9b37', '31337'],
      ['da638512345678901234_-1572839465', '31337'],
    ]);
  });

  it('maps Graph incident statuses onto ours', () => {
    const statusOf = (status: unknown) =>
      mapGraphIncident({ id: '1', displayName: 'x', createdDateTime: '2024-01-01T00:00:00Z', status }).status;
    expect(statusOf('active')).toBe('active');
    expect(statusOf('awaitingAction')).toBe('inProgress');
    expect(statusOf('resolved')).toBe('resolved');
    expect(statusOf('redirected')).toBe('redirected');
    expect(statusOf('unknownFutureValue')).toBe('unknown');
    expect(statusOf(undefined)).toBe('unknown');
  });
});
