import { mapDefenderAlert } from '../../../../src/sources/normalize/defender';
import { loadAlertFixture } from './load-fixture';

describe('mapDefenderAlert', () => {
  const alert = mapDefenderAlert(loadAlertFixture('defender-api-alert.json'));

  it('maps the alert facts, numeric incident id and a portal link', () => {
    expect(alert).toMatchObject({
      id: 'da638512388812349876_1948372615',
      sourceFormat: 'defender',
      title: 'Suspicious access to LSASS service',
      severity: 'high',
      status: 'new',
      category: 'CredentialAccess',
      productName: 'Microsoft Defender for Endpoint',
      serviceSource: 'microsoftDefenderForEndpoint',
      detectionSource: 'WindowsDefenderAtp',
      createdAt: '2024-05-02T10:21:33.722Z',
      firstActivityAt: '2024-05-02T10:19:58.664Z',
      lastActivityAt: '2024-05-02T10:20:02.881Z',
      lastUpdatedAt: '2024-05-02T10:22:01.126Z',
      incidentId: '31339',
      assignedTo: 'secops@contoso.com',
      tenantId: 'b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c',
      techniques: ['T1003.001', 'T1003'],
      portalUrl: 'https://security.microsoft.com/alerts/da638512388812349876_1948372615',
    });
    expect(alert.classification).toBeUndefined();
  });

  it('turns the machine, related user and evidence into entities', () => {
    const byType = (type: string) => alert.entities.filter((entity) => entity.type === type);
    expect(byType('host')).toEqual([
      {
        type: 'host',
        value: 'eng-wks-022.contoso.com',
        properties: {
          mdeDeviceId: '4b2e1f0c9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c',
          deviceGroup: 'Engineering workstations',
          loggedOnUsers: 'CONTOSO\\kwatanabe',
        },
        roles: [],
      },
    ]);
    expect(byType('account').map((account) => account.value)).toEqual([
      'CONTOSO\\kwatanabe',
      'kenji.watanabe@contoso.com',
    ]);
    const [process] = byType('process');
    expect(process.value).toBe(
      'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 716 C:\\ProgramData\\lsass.dmp full',
    );
    expect(process.properties).toMatchObject({
      imageFile: 'C:\\Windows\\System32\\rundll32.exe',
      parentProcess: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      processId: '9144',
      parentProcessId: '7832',
      account: 'CONTOSO\\kwatanabe',
      sha256: 'b3c74200aba681517ae7ab1160c0f60e364bb48b3496b4a4566df3a15d6c93d4',
      detectionStatus: 'Detected',
    });
    expect(byType('file')[0]).toMatchObject({
      value: 'lsass.dmp',
      properties: expect.objectContaining({ filePath: 'C:\\ProgramData\\lsass.dmp' }),
    });
    expect(byType('ip')[0].value).toBe('203.0.113.45');
    expect(byType('url')[0].value).toBe('https://cdn-telemetry-sync.example/a');
    expect(byType('other')).toEqual([
      expect.objectContaining({ value: 'Mimikatz', properties: { kind: 'malwareFamily' } }),
      expect.objectContaining({ value: 'HackTool:Win32/Mimikatz', properties: { kind: 'threat' } }),
    ]);
  });

  it('maps Defender severities and statuses', () => {
    const map = (severity: string, status: string) =>
      mapDefenderAlert({ id: 'x', title: 't', alertCreationTime: '2024-01-01T00:00:00Z', severity, status });
    expect(map('UnSpecified', 'Unknown')).toMatchObject({ severity: 'informational', status: 'unknown' });
    expect(map('Informational', 'InProgress')).toMatchObject({ severity: 'informational', status: 'inProgress' });
    expect(map('Low', 'Resolved')).toMatchObject({ severity: 'low', status: 'resolved' });
    expect(map('Medium', 'New')).toMatchObject({ severity: 'medium', status: 'new' });
  });

  it('survives an alert with nothing but a creation time', () => {
    const alert = mapDefenderAlert({ alertCreationTime: '2024-01-01T00:00:00Z', evidence: [{}, null, 'x'] });
    expect(alert.title).toBe('Untitled alert from Microsoft Defender for Endpoint');
    expect(alert.portalUrl).toBeUndefined();
    expect(alert.entities).toEqual([]);
  });
});
