import { CopilotError } from '../../../../src/errors';
import { DemoSecurityDataSource } from '../../../../src/sources/demo';

const now = new Date('2025-03-14T15:00:00.000Z');
const clock = () => new Date(now);
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 60 * 60 * 1000);

describe('DemoSecurityDataSource', () => {
  const source = new DemoSecurityDataSource(clock);

  it('is named demo', () => {
    expect(source.name).toBe('demo');
  });

  describe('listAlerts', () => {
    it('returns every alert newest first by default', async () => {
      const alerts = await source.listAlerts();
      expect(alerts.length).toBeGreaterThanOrEqual(30);
      const created = alerts.map((alert) => Date.parse(alert.createdAt));
      expect([...created].sort((left, right) => right - left)).toEqual(created);
      expect(alerts[0].incidentId).toBe('45');
    });

    it('filters by minimum severity, status and since', async () => {
      const high = await source.listAlerts({ minimumSeverity: 'high' });
      expect(high.length).toBeGreaterThan(5);
      expect(high.every((alert) => alert.severity === 'high')).toBe(true);
      const medium = await source.listAlerts({ minimumSeverity: 'medium' });
      expect(medium.every((alert) => alert.severity === 'high' || alert.severity === 'medium')).toBe(true);
      expect(medium.length).toBeGreaterThan(high.length);

      const resolved = await source.listAlerts({ status: 'resolved' });
      expect(resolved.length).toBeGreaterThan(0);
      expect(resolved.every((alert) => alert.status === 'resolved')).toBe(true);

      const since = hoursAgo(24);
      const lastDay = await source.listAlerts({ since });
      const updatedAt = (alert: { lastUpdatedAt?: string; createdAt: string }) =>
        Date.parse(alert.lastUpdatedAt ?? alert.createdAt);
      expect(lastDay.every((alert) => updatedAt(alert) >= since.getTime())).toBe(true);
      const older = (await source.listAlerts()).filter((alert) => !lastDay.some((recent) => recent.id === alert.id));
      expect(older.every((alert) => updatedAt(alert) < since.getTime())).toBe(true);
      expect(new Set(lastDay.map((alert) => alert.incidentId))).toEqual(new Set(['44', '45', '49']));
    });

    it('filters by entity values without regard to case, and by short host names', async () => {
      const kenji = await source.listAlerts({ entityValues: ['KENJI.WATANABE@contoso.com'] });
      expect(kenji.map((alert) => alert.id).sort()).toEqual(['da-1001', 'da-1002', 'da-1003', 'da-1004', 'fa-3003']);
      const workstation = await source.listAlerts({ entityValues: ['eng-wks-022'] });
      expect(workstation.map((alert) => alert.id)).toEqual(
        expect.arrayContaining(['da-1001', 'da-1002', 'da-1003', 'da-1004', 'aa-2001', 'sn-6002']),
      );
      expect(await source.listAlerts({ entityValues: ['203.0.113.45', 'nobody@contoso.com'] })).toHaveLength(2);
      expect(await source.listAlerts({ entityValues: ['nobody@contoso.com'] })).toEqual([]);
    });

    it('honours limit', async () => {
      expect(await source.listAlerts({ limit: 3 })).toHaveLength(3);
      expect(await source.listAlerts({ limit: 0 })).toEqual([]);
    });
  });

  describe('listIncidents', () => {
    it('returns incidents newest first, filtered by since, severity and limit', async () => {
      const incidents = await source.listIncidents();
      expect(incidents.map((incident) => incident.id)).toEqual(['45', '49', '44', '43', '47', '46', '42', '48']);
      expect((await source.listIncidents({ since: hoursAgo(24) })).map((incident) => incident.id)).toEqual([
        '45',
        '49',
        '44',
      ]);
      const high = await source.listIncidents({ minimumSeverity: 'high' });
      expect(high.every((incident) => incident.severity === 'high')).toBe(true);
      expect(high.map((incident) => incident.id)).not.toContain('48');
      expect(await source.listIncidents({ limit: 2 })).toHaveLength(2);
    });
  });

  describe('lookups', () => {
    it('finds alerts by id as an analyst types it', async () => {
      expect((await source.getAlert(' DA-1001 '))?.title).toBe('Suspicious PowerShell command line');
      expect(await source.getAlert('da-9999')).toBeUndefined();
    });

    it('finds incidents by number with or without #', async () => {
      expect((await source.getIncident('#43'))?.title).toMatch(/^Human-operated attack/);
      expect((await source.getIncident('42'))?.alertIds).toEqual([
        'fa-3001',
        'fa-3002',
        'ad-4001',
        'ca-5001',
        'sn-6001',
      ]);
      expect(await source.getIncident('4')).toBeUndefined();
    });

    it('finds user context by UPN without regard to case', async () => {
      const user = await source.getUserContext('Priya.Raman@CONTOSO.com');
      expect(user).toMatchObject({ department: 'Finance', riskLevel: 'high', isPrivileged: false });
      expect(user?.recentSignIns.some((signIn) => signIn.ipAddress === '203.0.113.77')).toBe(true);
      expect((await source.getUserContext('adm-mlindqvist@contoso.com'))?.isPrivileged).toBe(true);
      expect(await source.getUserContext('nobody@contoso.com')).toBeUndefined();
    });

    it('hands out copies, so callers cannot change the data set', async () => {
      const alert = await source.getAlert('da-1001');
      if (alert === undefined) throw new Error('da-1001 missing');
      alert.title = 'changed';
      alert.entities.length = 0;
      expect((await source.getAlert('da-1001'))?.title).toBe('Suspicious PowerShell command line');
      expect((await source.getAlert('da-1001'))?.entities.length).toBeGreaterThan(0);
    });
  });

  describe('updateAlert', () => {
    it('changes triage fields, stamps the update time and touches the incident', async () => {
      let current = new Date(now);
      const writable = new DemoSecurityDataSource(() => current);
      current = new Date(now.getTime() + 5 * 60 * 1000);
      const updated = await writable.updateAlert('da-1007', {
        status: 'inProgress',
        assignedTo: 'jordan.lee@contoso.com',
        classification: 'truePositive',
      });
      expect(updated).toMatchObject({
        status: 'inProgress',
        assignedTo: 'jordan.lee@contoso.com',
        classification: 'truePositive',
        lastUpdatedAt: current.toISOString(),
      });
      expect((await writable.getAlert('da-1007'))?.status).toBe('inProgress');
      expect((await writable.getIncident('45'))?.lastUpdatedAt).toBe(current.toISOString());
      expect((await writable.updateAlert('da-1007', { assignedTo: '' }))?.assignedTo).toBeUndefined();
      expect((await source.getAlert('da-1007'))?.status).toBe('new');
    });

    it('returns undefined for an unknown alert and rejects invalid updates', async () => {
      const writable = new DemoSecurityDataSource(clock);
      expect(await writable.updateAlert('zz-0000', { status: 'resolved' })).toBeUndefined();
      await expect(writable.updateAlert('da-1001', { status: 'closed' } as never)).rejects.toMatchObject({
        code: 'bad_input',
      });
      await expect(writable.updateAlert('da-1001', { severity: 'low' } as never)).rejects.toBeInstanceOf(CopilotError);
    });
  });
});
