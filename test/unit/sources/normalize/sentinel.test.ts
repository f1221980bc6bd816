import type { Alert, Entity } from '../../../../src/sources/model';
import { mapSentinelAlert, mapSentinelIncident } from '../../../../src/sources/normalize/sentinel';
import { loadAlertFixture } from './load-fixture';

function entitiesOf(alert: Alert, type: Entity['type']): Entity[] {
  return alert.entities.filter((entity) => entity.type === type);
}

/** The first row of the shared msticpy data set, inlined so this test runs without ../shared. */
const parsedRow = {
  TenantId: '802d39e1-9d70-404d-832c-2de5e2478eda',
  StartTimeUtc: '2019-01-15 09:15:03',
  EndTimeUtc: '2019-01-15 09:15:03',
  ProviderAlertId: '526e34b6-6578-4fc0-9db6-e126b4d673f0',
  SystemAlertId: '2518547570966661760_526e34b6-6578-4fc0-9db6-e126b4d673f0',
  ProviderName: 'Detection',
  VendorName: 'Microsoft',
  AlertType: 'Suspicious Account Creation Detected',
  AlertName: 'Suspicious Account Creation Detected',
  AlertDisplayName: 'Suspicious Account Creation Detected',
  Description: 'Analysis of host data on MSTICALERTSWIN1 detected creation or use of a local account adm1nistrator.',
  Severity: 'Medium',
  IsIncident: false,
  ExtendedProperties: { 'Compromised Host': 'MSTICALERTSWIN1', 'Suspicious Account Name': 'adm1nistrator' },
  Entities: [
    { $id: '4', HostName: 'MSTICALERTSWIN1', NetBiosName: 'MSTICALERTSWIN1', OSFamily: 'Windows', Type: 'host' },
    { $id: '5', Name: 'adm1nistrator', Host: { $ref: '4' }, Type: 'account', LogonId: '0x0' },
    { $id: '6', Directory: 'c:\\windows\\system32', Name: 'cmd.exe', Type: 'file' },
    { $id: '7', ProcessId: '0x165c', CommandLine: '', ImageFile: { $ref: '6' }, Host: { $ref: '4' }, Type: 'process' },
    { $id: '8', Name: 'MSTICAdmin', NTDomain: 'MSTICAlertsWin1', Sid: 'S-1-5-21-9-500', Type: 'account' },
    { $id: '9', Directory: 'c:\\windows\\system32', Name: 'net.exe', Type: 'file' },
    {
      $id: '10',
      ProcessId: '0x141c',
      CommandLine: 'net  user adm1nistrator bob_testing /add',
      ElevationToken: 'Default',
      ImageFile: { $ref: '9' },
      Account: { $ref: '8' },
      ParentProcess: { $ref: '7' },
      Host: { $ref: '4' },
      Type: 'process',
    },
    { $id: '11', SessionId: '0x0', Type: 'host-logon-session', Host: { $ref: '4' }, Account: { $ref: '5' } },
  ],
  ConfidenceLevel: 'Unknown',
  TimeGenerated: '2019-01-15 09:15:08',
  CompromisedEntity: 'MSTICALERTSWIN1',
};

describe('mapSentinelAlert', () => {
  describe('a row with parsed Entities and msticpy-era column names', () => {
    const alert = mapSentinelAlert(parsedRow);

    it('maps the alert facts and normalizes zone-less times to UTC ISO', () => {
      expect(alert).toMatchObject({
        id: '2518547570966661760_526e34b6-6578-4fc0-9db6-e126b4d673f0',
        sourceFormat: 'sentinel',
        title: 'Suspicious Account Creation Detected',
        severity: 'medium',
        status: 'unknown',
        productName: 'Microsoft Defender for Cloud',
        detectionSource: 'Detection',
        createdAt: '2019-01-15T09:15:08.000Z',
        firstActivityAt: '2019-01-15T09:15:03.000Z',
        lastActivityAt: '2019-01-15T09:15:03.000Z',
        alertType: 'Suspicious Account Creation Detected',
        tenantId: '802d39e1-9d70-404d-832c-2de5e2478eda',
      });
    });

    it('resolves $ref so processes carry their image, parent, host and account', () => {
      const netProcess = entitiesOf(alert, 'process').find((process) => process.value.startsWith('net '));
      expect(netProcess?.properties).toMatchObject({
        imageFile: 'c:\\windows\\system32\\net.exe',
        parentProcess: 'c:\\windows\\system32\\cmd.exe',
        parentProcessId: '0x165c',
        host: 'MSTICALERTSWIN1',
        account: 'MSTICAlertsWin1\\MSTICAdmin',
        processId: '0x141c',
      });
      const parent = entitiesOf(alert, 'process').find((process) => process.properties.processId === '0x165c');
      expect(parent?.value).toBe('c:\\windows\\system32\\cmd.exe');
    });

    it('maps accounts, hosts and files, skips logon sessions and marks the compromised host', () => {
      expect(entitiesOf(alert, 'account').map((account) => account.value)).toEqual([
        'adm1nistrator',
        'MSTICAlertsWin1\\MSTICAdmin',
      ]);
      expect(entitiesOf(alert, 'host')).toEqual([
        expect.objectContaining({ value: 'MSTICALERTSWIN1', roles: ['compromised'] }),
      ]);
      expect(entitiesOf(alert, 'file').map((file) => file.value)).toEqual(['cmd.exe', 'net.exe']);
      expect(entitiesOf(alert, 'other')).toEqual([]);
    });
  });

  describe('a Log Analytics row with Entities and ExtendedProperties as JSON strings', () => {
    const row = loadAlertFixture('sentinel-securityalert-strings.json');
    const alert = mapSentinelAlert(row);

    it('reads the current column names and the JSON-string columns', () => {
      expect(typeof row.Entities).toBe('string');
      expect(alert).toMatchObject({
        id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
        title: 'Encoded PowerShell beaconing to a rare domain',
        severity: 'high',
        status: 'new',
        productName: 'Microsoft Sentinel',
        createdAt: '2024-05-02T09:20:11.000Z',
        firstActivityAt: '2024-05-02T09:12:03.000Z',
        lastActivityAt: '2024-05-02T09:18:40.527Z',
        lastUpdatedAt: '2024-05-02T09:20:11.883Z',
        techniques: ['T1059', 'T1071', 'T1059.001', 'T1071.001'],
        tactics: ['Execution', 'CommandAndControl'],
        recommendedActions:
          'Isolate the device eng-wks-022 from the network.\nCollect a memory image before rebooting.\nBlock the domain at the proxy.',
      });
      expect(alert.portalUrl).toBeUndefined();
    });

    it('resolves entities defined inline and puts file hashes into properties', () => {
      const [process, parent] = entitiesOf(alert, 'process');
      expect(process.properties).toMatchObject({
        imageFile: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        parentProcess: 'C:\\Windows\\explorer.exe',
        host: 'eng-wks-022.contoso.com',
        account: 'kwatanabe@contoso.com',
        sha256: '9598033af8259b4d4ea71979a26f80e246bd2292921d42d4f2b428dc90c94945',
      });
      expect(parent.value).toBe('C:\\Windows\\explorer.exe');
      const files = entitiesOf(alert, 'file');
      expect(files.find((file) => file.value === 'powershell.exe')?.properties.sha256).toBe(
        '9598033af8259b4d4ea71979a26f80e246bd2292921d42d4f2b428dc90c94945',
      );
      // The SHA256 belongs to powershell.exe; only the unowned SHA1 stands alone as a file entity.
      expect(files.find((file) => file.value === '5a20d6a084ac2394c2226ed424f63a0d7e313cc0')?.properties).toEqual({
        sha1: '5a20d6a084ac2394c2226ed424f63a0d7e313cc0',
      });
      expect(files.some((file) => file.value.startsWith('9598033a'))).toBe(false);
    });

    it('maps accounts by UPN, ip with location, url, dns, registry and malware entities', () => {
      expect(entitiesOf(alert, 'account')[0]).toMatchObject({
        value: 'kwatanabe@contoso.com',
        properties: expect.objectContaining({ aadUserId: '6f3c1a2b-8d4e-4f5a-9b6c-7d8e9f0a1b2c' }),
      });
      expect(entitiesOf(alert, 'host')[0]).toMatchObject({ value: 'eng-wks-022.contoso.com', roles: ['compromised'] });
      expect(entitiesOf(alert, 'ip')[0]).toMatchObject({
        value: '203.0.113.45',
        properties: { countryLetterCode: 'NL', country: 'Netherlands', city: 'Amsterdam', asn: '64500' },
      });
      expect(entitiesOf(alert, 'url')[0].value).toBe('https://cdn-telemetry-sync.example/a');
      expect(entitiesOf(alert, 'domain')[0]).toMatchObject({
        value: 'cdn-telemetry-sync.example',
        properties: { resolvedAddresses: '203.0.113.45' },
      });
      expect(entitiesOf(alert, 'registryValue')[0]).toMatchObject({
        value: 'HKEY_CURRENT_USER\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\OneDriveUpdateHelper',
        properties: expect.objectContaining({ valueType: 'String' }),
      });
      expect(entitiesOf(alert, 'other')).toEqual([
        expect.objectContaining({ value: 'Cobalt Strike', properties: { kind: 'malware', category: 'Backdoor' } }),
      ]);
    });
  });

  it('accepts comma-separated techniques and drops non-technique strings', () => {
    const alert = mapSentinelAlert({ SystemAlertId: 'a', Techniques: 't1110.003, T1110, Brute Force, T1110.003' });
    expect(alert.techniques).toEqual(['T1110.003', 'T1110']);
  });

  it('survives a row with broken JSON columns and no times', () => {
    const alert = mapSentinelAlert(
      { SystemAlertId: 'x', Entities: '[{"$id": "1", "Type": "ip"', ExtendedProperties: 'oops', Severity: 'Odd' },
      { receivedAt: new Date('2024-01-01T00:00:00Z') },
    );
    expect(alert).toMatchObject({
      id: 'x',
      title: 'Untitled Sentinel alert',
      severity: 'informational',
      createdAt: '2024-01-01T00:00:00.000Z',
      entities: [],
    });
  });

  it('adds the compromised entity when no entity names it', () => {
    const alert = mapSentinelAlert({ SystemAlertId: 'y', AlertName: 'z', CompromisedEntity: 'vm1lin', Entities: null });
    expect(alert.entities).toEqual([{ type: 'host', value: 'vm1lin', properties: {}, roles: ['compromised'] }]);
  });
});

describe('mapSentinelIncident', () => {
  it('maps a Log Analytics SecurityIncident row with JSON-string dynamic columns', () => {
    const incident = mapSentinelIncident(loadAlertFixture('sentinel-securityincident.json'));
    expect(incident).toMatchObject({
      id: '1042',
      sourceFormat: 'sentinel',
      title: 'Password spray against Entra ID followed by a successful sign-in',
      severity: 'medium',
      status: 'inProgress',
      createdAt: '2024-05-02T08:31:12.447Z',
      lastUpdatedAt: '2024-05-02T09:45:58.902Z',
      alertIds: ['5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9', '0a9b8c7d-6e5f-4a3b-2c1d-0f9e8d7c6b5a'],
      assignedTo: 'jordan.lee@contoso.com',
      tags: ['Identity', 'Password spray'],
    });
    expect(incident.classification).toBeUndefined();
    expect(incident.portalUrl).toMatch(/^https:\/\/portal\.azure\.com\//);
  });

  it('maps the Sentinel lifecycle and parsed dynamic columns', () => {
    const incident = mapSentinelIncident({
      IncidentNumber: 7,
      Title: 'Closed one',
      Severity: 'Low',
      Status: 'Closed',
      Classification: 'BenignPositive',
      ClassificationReason: 'SuspiciousButExpected',
      CreatedTime: '2024-05-01 10:00:00',
      AlertIds: ['a', 'b', 'a'],
      Owner: { email: 'owner@contoso.com' },
      Labels: [{ labelName: 'Travel' }],
    });
    expect(incident).toMatchObject({
      id: '7',
      status: 'resolved',
      classification: 'BenignPositive',
      determination: 'SuspiciousButExpected',
      createdAt: '2024-05-01T10:00:00.000Z',
      alertIds: ['a', 'b'],
      assignedTo: 'owner@contoso.com',
      tags: ['Travel'],
    });
    expect(mapSentinelIncident({ IncidentNumber: 8, Status: 'New' }).status).toBe('active');
  });
});
